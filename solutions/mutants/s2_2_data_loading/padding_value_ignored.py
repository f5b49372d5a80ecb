"""Accepts padding_value but does not pass it on: pad_sequence pads with its default 0 whatever the caller asked."""
CAUGHT_BY = "test_pad_collate_matches_pad_sequence"
MESSAGE_MENTIONS = "padding_value was not used"
MESSAGE_MENTIONS_KO = "padding_value를 쓰지 않았습니다"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def pad_collate(batch, padding_value=0):
    sequences = [sequence for sequence, _ in batch]
    padded = pad_sequence(sequences, batch_first=True)
    lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    return padded, lengths, labels
