"""Updates the best config on every trial instead of only when it improves: returns the last trial."""
CAUGHT_BY = "test_random_search_tries_sampled_configs_and_keeps_the_best"
MESSAGE_MENTIONS = "returned the last trial"
MESSAGE_MENTIONS_KO = "마지막 시도를 반환했습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def random_search(space, n_trials, train_and_evaluate, generator):
    history, best, best_acc = [], None, -1.0
    for _ in range(n_trials):
        config = sample_config(space, generator)
        metrics = train_and_evaluate(config)
        history.append((config, metrics))
        if metrics["val_acc"] > best_acc:
            best_acc = metrics["val_acc"]
        best = config
    return best, history
