"""Unsqueezes the wrong axes, so the distance matrix comes out transposed (m, n)."""
CAUGHT_BY = "test_pairwise_sq_dists_against_cdist"
MESSAGE_MENTIONS = "unsqueeze"
MESSAGE_MENTIONS_KO = "unsqueeze"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def pairwise_sq_dists(a, b):
    return ((a.unsqueeze(0) - b.unsqueeze(1)) ** 2).sum(-1)
