"""Adds each batch's loss and correct count as tensors (no .item()), so evaluate returns two 0-d tensors instead of
Python floats."""
CAUGHT_BY = "test_evaluate_uses_eval_mode_without_grad"
MESSAGE_MENTIONS = "the totals were kept as tensors"
MESSAGE_MENTIONS_KO = "텐서로 합계를 냈습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def evaluate(model, loader):
    model.eval()
    device = _device_of(model)
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            total += F.cross_entropy(logits, y, reduction="sum")
            correct += (logits.argmax(dim=1) == y).sum()
            count += len(y)
    return total / count, correct / count
