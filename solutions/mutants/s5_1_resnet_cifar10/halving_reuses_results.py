"""Caches each config's first result and ranks every later round by it instead of training at the larger budget."""
CAUGHT_BY = "test_successive_halving_spends_the_schedules_budget"
MESSAGE_MENTIONS = "results from a smaller budget were reused"
MESSAGE_MENTIONS_KO = "더 작은 예산의 결과를 다시 썼습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def successive_halving(configs, train_for, min_budget, eta=3):
    alive, budget, history, seen = list(configs), min_budget, [], {}
    while len(alive) > 1:
        for config in alive:
            if config["name"] not in seen:  # already trained: reuse it
                seen[config["name"]] = train_for(config, budget)
                history.append((config, budget, seen[config["name"]]))
        ranked = sorted(alive, key=lambda config: -seen[config["name"]]["val_acc"])
        alive = ranked[:max(1, len(alive) // eta)]
        budget *= eta
    return alive[0], history
