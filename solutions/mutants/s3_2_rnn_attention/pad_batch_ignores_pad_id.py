"""Pads with zeros (torch.zeros) whatever pad_id says."""
CAUGHT_BY = "test_pad_batch_is_batch_first_with_lengths"
MESSAGE_MENTIONS = "pad_id argument was ignored"
MESSAGE_MENTIONS_KO = "pad_id 인자를 쓰지 않았습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def pad_batch(sequences, pad_id=PAD):
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    padded = torch.zeros(len(sequences), int(lengths.max()), dtype=torch.int64)
    for row, sequence in enumerate(sequences):
        padded[row, :len(sequence)] = sequence
    return padded, lengths
