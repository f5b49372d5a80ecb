"""Sums the squared errors for the default reduction instead of averaging them."""
CAUGHT_BY = "test_mse_matches_torch_for_every_reduction"
MESSAGE_MENTIONS = "number of elements"
MESSAGE_MENTIONS_KO = "요소 개수로 나누고"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def mse_loss(prediction, target, reduction="mean"):
    squared = (prediction - target) ** 2
    return squared if reduction == "none" else squared.sum()
