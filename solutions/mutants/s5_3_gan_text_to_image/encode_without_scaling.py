"""encode_to_latents returns the posterior as it is, without multiplying by the scaling factor."""
CAUGHT_BY = "test_encode_to_latents_scales_the_posterior"
MESSAGE_MENTIONS = "scaling factor is left out"
MESSAGE_MENTIONS_KO = "스케일링 계수가 빠졌습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch  # noqa: E402


def encode_to_latents(vae, images, generator=None):
    with torch.no_grad():
        posterior = vae.encode(images).latent_dist
        return posterior.mode() if generator is None else posterior.sample(generator)
