"""Calls pad_sequence without batch_first=True, which returns (longest, batch): time first."""
CAUGHT_BY = "test_pad_collate_matches_pad_sequence"
MESSAGE_MENTIONS = "batch_first"
MESSAGE_MENTIONS_KO = "batch_first"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def pad_collate(batch, padding_value=0):
    sequences = [sequence for sequence, _ in batch]
    padded = pad_sequence(sequences, padding_value=padding_value)
    lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    return padded, lengths, labels
