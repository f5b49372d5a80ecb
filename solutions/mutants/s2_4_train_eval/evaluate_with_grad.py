"""Evaluates without torch.no_grad(): every forward records an autograd graph nobody uses."""
CAUGHT_BY = "test_evaluate_runs_without_grad"
MESSAGE_MENTIONS = "no_grad"
MESSAGE_MENTIONS_KO = "no_grad"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


def evaluate(model, loader, loss_fn):
    model.eval()
    device = _device_of(model)
    total, correct, count = 0.0, 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        logits = model(x)
        total += loss_fn(logits, y).item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        count += len(y)
    return total / count, correct / count
