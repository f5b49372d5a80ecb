"""Draws one random number before the loop and uses it for every key: the learning rate, the dropout and the batch
size all rise and fall together."""
CAUGHT_BY = "test_sample_config_draws_each_kind_with_its_distribution"
MESSAGE_MENTIONS = "one random number is shared by several keys"
MESSAGE_MENTIONS_KO = "난수 하나를 여러 키가 함께 씁니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def sample_config(space, generator):
    config = {}
    u = torch.rand((), generator=generator, dtype=torch.float64).item()
    for name, (kind, *args) in space.items():
        if kind == "log_uniform":
            low, high = math.log(args[0]), math.log(args[1])
            config[name] = math.exp(low + u * (high - low))
        elif kind == "uniform":
            config[name] = args[0] + u * (args[1] - args[0])
        else:
            options = args[0]
            config[name] = options[min(int(u * len(options)), len(options) - 1)]
    return config
