"""Trusts F.embedding's padding_idx to zero the padding rows; it only stops their gradient."""
CAUGHT_BY = "test_gather_rows_indexes_and_masks"
MESSAGE_MENTIONS = "padding_idx"
MESSAGE_MENTIONS_KO = "padding_idx는 그 위치의 변화도만 막고"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402


def gather_rows(table, ids, pad_id):
    return F.embedding(ids, table, padding_idx=pad_id)
