"""make_autoencoder has one down block and one up block: the encoder never halves the size, so the latents stay 16x16."""
CAUGHT_BY = "test_make_autoencoder_gives_8x8_latents"
MESSAGE_MENTIONS = "one halving"
MESSAGE_MENTIONS_KO = "한 번 절반으로 줄인"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

from diffusers import AutoencoderKL  # noqa: E402

from ptgrade.items.s5_3_gan_text_to_image import IMAGE_SIZE  # noqa: E402


def make_autoencoder():
    return AutoencoderKL(in_channels=3, out_channels=3, down_block_types=("DownEncoderBlock2D",),
                         up_block_types=("UpDecoderBlock2D",), block_out_channels=(32,), layers_per_block=1,
                         latent_channels=4, norm_num_groups=8, sample_size=IMAGE_SIZE)
