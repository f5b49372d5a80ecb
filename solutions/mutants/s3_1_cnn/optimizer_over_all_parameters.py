"""Hands every parameter, frozen ones included, to the optimizer."""
CAUGHT_BY = "test_finetune_optimizer_holds_only_trainable_parameters"
MESSAGE_MENTIONS = "requires_grad"
MESSAGE_MENTIONS_KO = "requires_grad"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference


def finetune_optimizer(model, lr):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
