"""Sorts the scores from the lowest: every round keeps the worst configurations."""
CAUGHT_BY = "test_successive_halving_keeps_the_best_of_each_round"
MESSAGE_MENTIONS = "you kept the worst"
MESSAGE_MENTIONS_KO = "가장 나쁜 것을 남겼습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def successive_halving(configs, train_for, min_budget, eta=3):
    alive, budget, history = list(configs), min_budget, []
    while len(alive) > 1:
        scores = []
        for config in alive:
            metrics = train_for(config, budget)
            history.append((config, budget, metrics))
            scores.append(metrics["val_acc"])
        ranked = sorted(range(len(alive)), key=lambda i: scores[i])
        alive = [alive[i] for i in ranked[:max(1, len(alive) // eta)]]
        budget *= eta
    return alive[0], history
