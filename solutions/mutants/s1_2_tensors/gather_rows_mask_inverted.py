"""Zeroes where ids != pad_id: the mask's polarity reversed."""
CAUGHT_BY = "test_gather_rows_indexes_and_masks"
MESSAGE_MENTIONS = "wrong way round"
MESSAGE_MENTIONS_KO = "마스크가 반대입니다"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def gather_rows(table, ids, pad_id):
    return table[ids].masked_fill((ids != pad_id).unsqueeze(-1), 0)
