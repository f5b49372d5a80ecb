"""latent_diffusion_loss encodes x0 with autograd on: backward runs through the VAE and leaves gradients in it."""
CAUGHT_BY = "test_latent_diffusion_loss_leaves_the_vae_frozen"
MESSAGE_MENTIONS = "frozen VAE"
MESSAGE_MENTIONS_KO = "동결된 VAE"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch.nn.functional as F  # noqa: E402


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    latents = vae.encode(x0).latent_dist.mode() * vae.config.scaling_factor
    noisy = q_sample(latents, t, noise, alphas_cumprod)
    return F.mse_loss(unet(noisy, t, encoder_hidden_states=text_states).sample, noise)
