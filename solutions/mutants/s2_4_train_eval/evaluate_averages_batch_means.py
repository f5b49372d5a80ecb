"""evaluate averages the batches' mean losses as equals: with a last batch of 5 samples beside batches of 20, its
samples weigh four times as much (a classic of "why does my validation loss depend on the batch size?")."""
CAUGHT_BY = "test_evaluate_uses_eval_mode"
MESSAGE_MENTIONS = "the batches' mean losses are averaged as equals"
MESSAGE_MENTIONS_KO = "같은 가중치로 평균했지만"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402


def evaluate(model, loader, loss_fn):
    model.eval()
    device = _device_of(model)
    total, correct, count, batches = 0.0, 0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            total += loss_fn(logits, y).item()
            batches += 1
            correct += (logits.argmax(dim=1) == y).sum().item()
            count += len(y)
    return total / batches, correct / count
