"""Never multiplies the budget by eta: every round trains for min_budget epochs."""
CAUGHT_BY = "test_successive_halving_spends_the_schedules_budget"
MESSAGE_MENTIONS = "the budget never grew"
MESSAGE_MENTIONS_KO = "예산이 한 번도 늘지 않았습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def successive_halving(configs, train_for, min_budget, eta=3):
    alive, history = list(configs), []
    while len(alive) > 1:
        scores = []
        for config in alive:
            metrics = train_for(config, min_budget)
            history.append((config, min_budget, metrics))
            scores.append(metrics["val_acc"])
        ranked = sorted(range(len(alive)), key=lambda i: -scores[i])
        alive = [alive[i] for i in ranked[:max(1, len(alive) // eta)]]
    return alive[0], history
