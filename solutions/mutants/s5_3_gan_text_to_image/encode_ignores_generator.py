"""encode_to_latents always takes the posterior's mode, even when it is given a generator to sample with."""
CAUGHT_BY = "test_encode_to_latents_scales_the_posterior"
MESSAGE_MENTIONS = "generator is ignored"
MESSAGE_MENTIONS_KO = "generator를 무시했습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch  # noqa: E402


def encode_to_latents(vae, images, generator=None):
    with torch.no_grad():
        return vae.encode(images).latent_dist.mode() * vae.config.scaling_factor
