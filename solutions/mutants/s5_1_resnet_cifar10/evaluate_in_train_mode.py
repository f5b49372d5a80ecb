"""Evaluates without model.eval(): Dropout stays on and BatchNorm uses and updates batch statistics."""
CAUGHT_BY = "test_evaluate_uses_eval_mode_without_grad"
MESSAGE_MENTIONS = "model.eval()"
MESSAGE_MENTIONS_KO = "model.eval()"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def evaluate(model, loader):
    device = _device_of(model)
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            total += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(dim=1) == y).sum().item()
            count += len(y)
    return total / count, correct / count
