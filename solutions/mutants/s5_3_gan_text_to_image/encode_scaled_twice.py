"""encode_to_latents multiplies by the scaling factor when it takes the posterior and again when it returns."""
CAUGHT_BY = "test_encode_to_latents_scales_the_posterior"
MESSAGE_MENTIONS = "applied twice"
MESSAGE_MENTIONS_KO = "스케일링 계수를 두 번 곱했습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch  # noqa: E402


def encode_to_latents(vae, images, generator=None):
    scale = vae.config.scaling_factor
    with torch.no_grad():
        posterior = vae.encode(images).latent_dist
        latents = (posterior.mode() if generator is None else posterior.sample(generator)) * scale
    return latents * scale
