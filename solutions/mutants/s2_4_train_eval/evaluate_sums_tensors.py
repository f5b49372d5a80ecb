"""evaluate adds up the loss and correct-count tensors instead of their .item(): the values are right, but it
returns 0-d tensors where the docstring promises two Python floats."""
CAUGHT_BY = "test_evaluate_uses_eval_mode"
MESSAGE_MENTIONS = "two Python floats"
MESSAGE_MENTIONS_KO = "Python float 두 개"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402


def evaluate(model, loader, loss_fn):
    model.eval()
    device = _device_of(model)
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            total += loss_fn(logits, y) * len(y)
            correct += (logits.argmax(dim=1) == y).sum()
            count += len(y)
    return total / count, correct / count
