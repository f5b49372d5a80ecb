"""Saves only the model's state_dict; the resumed Adam starts its moment estimates from zero."""
CAUGHT_BY = "test_resumed_run_equals_uninterrupted"
MESSAGE_MENTIONS = "optimizer.state_dict()"
MESSAGE_MENTIONS_KO = "optimizer.state_dict()"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


def save_checkpoint(path, model, optimizer, epoch):
    torch.save({"model": model.state_dict(), "epoch": epoch}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path)
    model.load_state_dict(checkpoint["model"])
    return checkpoint["epoch"]
