"""Updates the leaf in place outside torch.no_grad(): autograd refuses."""
CAUGHT_BY = "test_sgd_step_updates_in_place"
MESSAGE_MENTIONS = "no_grad"
MESSAGE_MENTIONS_KO = "torch.no_grad():` 안에서만"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def sgd_step_(param, grad, lr):
    param -= lr * grad
