"""Builds the padded batch with torch.zeros on the default device and dtype, then copies sequences in."""
CAUGHT_BY = "test_pad_collate_follows_sequence_device_and_dtype"
MESSAGE_MENTIONS = "default device"
MESSAGE_MENTIONS_KO = "기본 장치에 torch.zeros"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def pad_collate(batch, padding_value=0):
    sequences = [sequence for sequence, _ in batch]
    lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)
    padded = torch.full((len(sequences), int(lengths.max())), padding_value, dtype=torch.int64)
    for row, sequence in enumerate(sequences):
        padded[row, :len(sequence)] = sequence
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    return padded, lengths, labels
