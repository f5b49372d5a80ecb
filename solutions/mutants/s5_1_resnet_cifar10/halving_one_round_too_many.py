"""Counts ceil(log_eta(n)) + 1 rounds: the last config left is trained once more at eta times the budget."""
CAUGHT_BY = "test_successive_halving_spends_the_schedules_budget"
MESSAGE_MENTIONS = "one round too many"
MESSAGE_MENTIONS_KO = "라운드가 하나 더 있습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def successive_halving(configs, train_for, min_budget, eta=3):
    alive, budget, history = list(configs), min_budget, []
    for _ in range(math.ceil(math.log(len(configs), eta)) + 1):
        scores = []
        for config in alive:
            metrics = train_for(config, budget)
            history.append((config, budget, metrics))
            scores.append(metrics["val_acc"])
        ranked = sorted(range(len(alive)), key=lambda i: -scores[i])
        alive = [alive[i] for i in ranked[:max(1, len(alive) // eta)]]
        budget *= eta
    return alive[0], history
