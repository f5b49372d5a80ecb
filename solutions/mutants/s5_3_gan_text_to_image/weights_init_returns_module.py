"""weights_init returns the module it initialised, where the docstring says it works in place and returns nothing."""
CAUGHT_BY = "test_weights_init_follows_dcgan"
MESSAGE_MENTIONS = "returns nothing"
MESSAGE_MENTIONS_KO = "아무것도 반환하지 않아야"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
    return module
