"""Takes argmax over dim=0 (the batch axis) instead of dim=1 (the classes)."""
CAUGHT_BY = "test_accuracy_is_fraction_of_argmax_hits"
MESSAGE_MENTIONS = "class axis"
MESSAGE_MENTIONS_KO = "배치 축이 아니라 클래스 축"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


def accuracy(logits, targets):
    return (logits.argmax(dim=0) == targets).float().mean().item()
