"""Pads with pad_sequence without batch_first=True, so the batch comes back (max_len, batch)."""
CAUGHT_BY = "test_pad_batch_is_batch_first_with_lengths"
MESSAGE_MENTIONS = "time-first"
MESSAGE_MENTIONS_KO = "시간 차원을 앞에 둔"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch.nn.utils.rnn import pad_sequence  # noqa: E402


def pad_batch(sequences, pad_id=PAD):
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    return pad_sequence(sequences, padding_value=pad_id), lengths
