"""weights_init draws every module's weight that is not a BatchNorm2d's from N(0, 0.02): a Linear layer (or any other
module with a weight) is initialised too, where the docstring leaves other modules as they are."""
CAUGHT_BY = "test_weights_init_follows_dcgan"
MESSAGE_MENTIONS = "leaves other modules as they are"
MESSAGE_MENTIONS_KO = "다른 모듈은 그대로"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def weights_init(module):
    if isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
    elif isinstance(getattr(module, "weight", None), torch.Tensor):
        nn.init.normal_(module.weight, 0.0, 0.02)
