"""latent_diffusion_loss takes the VAE's posterior mode directly and forgets the scaling factor."""
CAUGHT_BY = "test_latent_diffusion_loss_matches_the_judges"
MESSAGE_MENTIONS = "scaling factor is left out"
MESSAGE_MENTIONS_KO = "스케일링 계수가 빠졌습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    with torch.no_grad():
        latents = vae.encode(x0).latent_dist.mode()
    noisy = q_sample(latents, t, noise, alphas_cumprod)
    return F.mse_loss(unet(noisy, t, encoder_hidden_states=text_states).sample, noise)
