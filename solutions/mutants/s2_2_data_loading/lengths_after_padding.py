"""Takes the lengths from the padded rows (`[len(row) for row in padded]`), so every length is the longest one and
pack_padded_sequence would read the padding as data."""
CAUGHT_BY = "test_pad_collate_matches_pad_sequence"
MESSAGE_MENTIONS = "after padding"
MESSAGE_MENTIONS_KO = "패딩한 뒤"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def pad_collate(batch, padding_value=0):
    sequences = [sequence for sequence, _ in batch]
    padded = pad_sequence(sequences, batch_first=True, padding_value=padding_value)
    lengths = torch.tensor([len(row) for row in padded], dtype=torch.int64)
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    return padded, lengths, labels
