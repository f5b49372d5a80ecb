"""Detaches the whole straight-through result, which cuts the gradient to x."""
CAUGHT_BY = "test_straight_through_round_passes_gradient"
MESSAGE_MENTIONS = "Detach only the correction"
MESSAGE_MENTIONS_KO = "보정값만 detach하세요"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def straight_through_round(x):
    return (x + (x.round() - x)).detach()
