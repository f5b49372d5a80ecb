"""Detaches x instead of the correction: the gradient comes out as -1 instead of 1."""
CAUGHT_BY = "test_straight_through_round_passes_gradient"
MESSAGE_MENTIONS = "Detach only the correction"
MESSAGE_MENTIONS_KO = "보정값만 detach하세요"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def straight_through_round(x):
    return x.detach() + (x.round() - x)
