"""latent_diffusion_loss multiplies by the scaling factor the latents that encode_to_latents has already scaled."""
CAUGHT_BY = "test_latent_diffusion_loss_matches_the_judges"
MESSAGE_MENTIONS = "applied twice"
MESSAGE_MENTIONS_KO = "스케일링 계수를 두 번 곱했습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch.nn.functional as F  # noqa: E402


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    latents = encode_to_latents(vae, x0) * vae.config.scaling_factor
    noisy = q_sample(latents, t, noise, alphas_cumprod)
    return F.mse_loss(unet(noisy, t, encoder_hidden_states=text_states).sample, noise)
