"""latent_diffusion_loss noises the pixels (with noise of its own) and encodes the noised pictures, instead of noising the latents."""
CAUGHT_BY = "test_latent_diffusion_loss_matches_the_judges"
MESSAGE_MENTIONS = "in latent space"
MESSAGE_MENTIONS_KO = "잠재 공간에서"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    noisy = encode_to_latents(vae, q_sample(x0, t, torch.randn_like(x0), alphas_cumprod))
    return F.mse_loss(unet(noisy, t, encoder_hidden_states=text_states).sample, noise)
