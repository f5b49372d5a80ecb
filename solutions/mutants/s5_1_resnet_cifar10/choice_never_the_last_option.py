"""Picks a choice at index int(u * (len(options) - 1)): the last option is never drawn."""
CAUGHT_BY = "test_sample_config_draws_each_kind_with_its_distribution"
MESSAGE_MENTIONS = "was never drawn"
MESSAGE_MENTIONS_KO = "한 번도 뽑히지 않은 선택지"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def sample_config(space, generator):
    config = {}
    for name, (kind, *args) in space.items():
        u = torch.rand((), generator=generator, dtype=torch.float64).item()
        if kind == "log_uniform":
            config[name] = math.exp(math.log(args[0]) + u * (math.log(args[1]) - math.log(args[0])))
        elif kind == "uniform":
            config[name] = args[0] + u * (args[1] - args[0])
        else:
            config[name] = args[0][int(u * (len(args[0]) - 1))]
    return config
