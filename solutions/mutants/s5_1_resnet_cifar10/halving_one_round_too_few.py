"""Stops while eta configs are still alive and returns the first of them: the last round never runs."""
CAUGHT_BY = "test_successive_halving_spends_the_schedules_budget"
MESSAGE_MENTIONS = "one round too few"
MESSAGE_MENTIONS_KO = "라운드가 하나 모자랍니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def successive_halving(configs, train_for, min_budget, eta=3):
    alive, budget, history = list(configs), min_budget, []
    while len(alive) > eta:
        scores = []
        for config in alive:
            metrics = train_for(config, budget)
            history.append((config, budget, metrics))
            scores.append(metrics["val_acc"])
        ranked = sorted(range(len(alive)), key=lambda i: -scores[i])
        alive = [alive[i] for i in ranked[:max(1, len(alive) // eta)]]
        budget *= eta
    return alive[0], history
