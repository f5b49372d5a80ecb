"""Packs with the default enforce_sorted=True, which refuses lengths that are not sorted in decreasing order."""
CAUGHT_BY = "test_packed_rnn_matches_the_recurrence_on_unsorted_lengths"
MESSAGE_MENTIONS = "enforce_sorted"
MESSAGE_MENTIONS_KO = "enforce_sorted"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def run_packed_rnn(rnn, inputs, lengths):
    packed = pack_padded_sequence(inputs, lengths.cpu(), batch_first=True)
    output, h_n = rnn(packed)
    outputs, _ = pad_packed_sequence(output, batch_first=True, total_length=inputs.size(1))
    return outputs, h_n[-1]
