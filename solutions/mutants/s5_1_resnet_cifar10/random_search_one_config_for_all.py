"""Draws one configuration before the loop and tries it in every trial."""
CAUGHT_BY = "test_random_search_tries_sampled_configs_and_keeps_the_best"
MESSAGE_MENTIONS = "drew one configuration for all trials"
MESSAGE_MENTIONS_KO = "모든 시도에 설정 하나를 뽑아 썼습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def random_search(space, n_trials, train_and_evaluate, generator):
    config = sample_config(space, generator)
    configs = [config for _ in range(n_trials)]
    best, results = search(configs, train_and_evaluate)
    return best, list(zip(configs, results))
