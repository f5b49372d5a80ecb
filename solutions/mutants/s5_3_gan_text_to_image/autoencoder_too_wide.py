"""make_autoencoder takes wide blocks in the manner of Stable Diffusion's VAE (64 and 128 channels, two layers each): 3.3 million parameters for 16x16 pictures."""
CAUGHT_BY = "test_make_autoencoder_gives_8x8_latents"
MESSAGE_MENTIONS = "parameters"
MESSAGE_MENTIONS_KO = "CPU에서 학습되도록"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference

from diffusers import AutoencoderKL  # noqa: E402

from ptgrade.items.s5_3_gan_text_to_image import IMAGE_SIZE  # noqa: E402


def make_autoencoder():
    return AutoencoderKL(in_channels=3, out_channels=3, down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
                         up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"), block_out_channels=(64, 128),
                         layers_per_block=2, latent_channels=4, norm_num_groups=32, sample_size=IMAGE_SIZE)
