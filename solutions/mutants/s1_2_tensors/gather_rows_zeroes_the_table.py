"""Zeroes the padding row of the table itself before the lookup: right values, but the caller's table changed."""
CAUGHT_BY = "test_gather_rows_indexes_and_masks"
MESSAGE_MENTIONS = "in place"
MESSAGE_MENTIONS_KO = "table을 제자리에서 바꿨습니다"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def gather_rows(table, ids, pad_id):
    table[pad_id] = 0
    return table[ids]
