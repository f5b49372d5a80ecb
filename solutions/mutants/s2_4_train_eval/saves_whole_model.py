"""Pickles the model and optimizer objects; torch.load (weights_only=True by default) refuses them."""
CAUGHT_BY = "test_checkpoint_loads_with_weights_only"
MESSAGE_MENTIONS = "state_dict"
MESSAGE_MENTIONS_KO = "state_dict"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


def save_checkpoint(path, model, optimizer, epoch):
    torch.save({"model": model, "optimizer": optimizer, "epoch": epoch}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=False)
    model.load_state_dict(checkpoint["model"].state_dict())
    optimizer.load_state_dict(checkpoint["optimizer"].state_dict())
    return checkpoint["epoch"]
