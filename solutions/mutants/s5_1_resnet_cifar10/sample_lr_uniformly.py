"""Draws a log-uniform hyper-parameter uniformly between low and high: learning rates crowd into the top decade."""
CAUGHT_BY = "test_sample_config_draws_each_kind_with_its_distribution"
MESSAGE_MENTIONS = "uniformly between low and high"
MESSAGE_MENTIONS_KO = "low와 high 사이에서 균등하게 뽑아서"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def sample_config(space, generator):
    config = {}
    for name, (kind, *args) in space.items():
        u = torch.rand((), generator=generator, dtype=torch.float64).item()
        if kind in ("log_uniform", "uniform"):
            config[name] = args[0] + u * (args[1] - args[0])
        else:
            config[name] = args[0][int(u * len(args[0]))]
    return config
