"""Draws from the global random state instead of the generator it is given: a seed reproduces nothing."""
CAUGHT_BY = "test_sample_config_stays_in_the_space_and_follows_its_generator"
MESSAGE_MENTIONS = "global random state"
MESSAGE_MENTIONS_KO = "전역 난수 상태"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def sample_config(space, generator):
    config = {}
    for name, (kind, *args) in space.items():
        u = torch.rand(()).item()
        if kind == "log_uniform":
            config[name] = math.exp(math.log(args[0]) + u * (math.log(args[1]) - math.log(args[0])))
        elif kind == "uniform":
            config[name] = args[0] + u * (args[1] - args[0])
        else:
            config[name] = args[0][int(u * len(args[0]))]
    return config
