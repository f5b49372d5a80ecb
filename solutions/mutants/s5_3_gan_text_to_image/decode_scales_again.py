"""decode_latents multiplies by the scaling factor before decoding, as encode_to_latents does, instead of dividing."""
CAUGHT_BY = "test_decode_latents_undoes_the_scaling"
MESSAGE_MENTIONS = "multiplied by the scaling factor again"
MESSAGE_MENTIONS_KO = "스케일링 계수를 다시 곱했습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch  # noqa: E402


def decode_latents(vae, latents):
    with torch.no_grad():
        return vae.decode(latents * vae.config.scaling_factor).sample.clamp(-1, 1)
