"""Returns x.round() without the straight-through trick: the gradient is round's own, 0 everywhere."""
CAUGHT_BY = "test_straight_through_round_passes_gradient"
MESSAGE_MENTIONS = "the gradient is 0 everywhere"
MESSAGE_MENTIONS_KO = "변화도가 모든 곳에서 0입니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def straight_through_round(x):
    return x.round()
