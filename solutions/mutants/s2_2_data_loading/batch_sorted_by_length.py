"""Sorts the batch longest first before padding (the habit pack_padded_sequence's enforce_sorted=True taught): the
rows, lengths and labels no longer follow the batch's order, which the caller pairs with other data by position."""
# pack_padded_sequence(..., enforce_sorted=False) accepts lengths in any order,
# https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pack_padded_sequence.html
CAUGHT_BY = "test_pad_collate_matches_pad_sequence"
MESSAGE_MENTIONS = "sorted longest first"
MESSAGE_MENTIONS_KO = "긴 것부터 정렬"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference

_reference_pad_collate = pad_collate  # noqa: F405


def pad_collate(batch, padding_value=0):
    batch = sorted(batch, key=lambda pair: len(pair[0]), reverse=True)
    return _reference_pad_collate(batch, padding_value)
