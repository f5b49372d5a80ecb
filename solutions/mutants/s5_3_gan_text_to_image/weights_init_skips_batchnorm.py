"""weights_init only initialises the convolutions and leaves BatchNorm at weight 1, bias 0."""
CAUGHT_BY = "test_weights_init_follows_dcgan"
MESSAGE_MENTIONS = "BatchNorm2d(4096).weight"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
