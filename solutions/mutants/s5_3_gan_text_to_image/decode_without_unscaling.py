"""decode_latents decodes the scaled latents as they are, without dividing by the scaling factor."""
CAUGHT_BY = "test_decode_latents_undoes_the_scaling"
MESSAGE_MENTIONS = "without dividing"
MESSAGE_MENTIONS_KO = "스케일링 계수로 먼저 나누지 않고"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

import torch  # noqa: E402


def decode_latents(vae, latents):
    with torch.no_grad():
        return vae.decode(latents).sample.clamp(-1, 1)
