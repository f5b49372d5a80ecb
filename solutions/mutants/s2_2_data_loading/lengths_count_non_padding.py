"""Counts each row's values that differ from padding_value for its length: a token equal to the padding value inside a
sequence is not counted."""
CAUGHT_BY = "test_pad_collate_matches_pad_sequence"
MESSAGE_MENTIONS = "differ from padding_value"
MESSAGE_MENTIONS_KO = "padding_value와 다른 값의 개수"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def pad_collate(batch, padding_value=0):
    sequences = [sequence for sequence, _ in batch]
    padded = pad_sequence(sequences, batch_first=True, padding_value=padding_value)  # noqa: F405
    lengths = (padded != padding_value).sum(dim=1).cpu()
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)  # noqa: F405
    return padded, lengths, labels
