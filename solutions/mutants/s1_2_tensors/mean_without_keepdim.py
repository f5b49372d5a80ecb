"""Reduces without keepdim, so the per-row statistics broadcast along columns instead of rows."""
CAUGHT_BY = "test_normalize_rows_broadcasts_per_row"
MESSAGE_MENTIONS = "keepdim"
MESSAGE_MENTIONS_KO = "keepdim"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def normalize_rows(x):
    return (x - x.mean(dim=1)) / x.std(dim=1, correction=0)
