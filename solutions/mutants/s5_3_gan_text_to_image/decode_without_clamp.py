"""decode_latents returns the decoder's output without clamping it to [-1, 1]."""
CAUGHT_BY = "test_decode_latents_undoes_the_scaling"
MESSAGE_MENTIONS = "not clamped"
MESSAGE_MENTIONS_KO = "[-1, 1]로 자르지 않았습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch  # noqa: E402


def decode_latents(vae, latents):
    with torch.no_grad():
        return vae.decode(latents / vae.config.scaling_factor).sample
