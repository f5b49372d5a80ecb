"""Writes x.round() + (x - x.round()).detach(): the detach on the wrong term gives x back, unrounded."""
CAUGHT_BY = "test_straight_through_round_passes_gradient"
MESSAGE_MENTIONS = "the detach is on the wrong term"
MESSAGE_MENTIONS_KO = "detach를 엉뚱한 항에 붙였습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def straight_through_round(x):
    return x.round() + (x - x.round()).detach()
