"""Picks the configuration with the best TEST accuracy: the test set is used for model selection."""
CAUGHT_BY = "test_search_picks_best_validation_config"
MESSAGE_MENTIONS = "you chose by test accuracy"
MESSAGE_MENTIONS_KO = "테스트 정확도로 골랐습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def search(configs, train_and_evaluate):
    results = [train_and_evaluate(config) for config in configs]
    best = max(range(len(configs)), key=lambda i: results[i].get("test_acc", results[i]["val_acc"]))
    return configs[best], results
