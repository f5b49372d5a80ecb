"""Sorts the batch by length so enforce_sorted=True accepts it, but returns the results in that sorted
order instead of the order of inputs."""
CAUGHT_BY = "test_packed_rnn_matches_the_recurrence_on_unsorted_lengths"
MESSAGE_MENTIONS = "sorted by length"
MESSAGE_MENTIONS_KO = "길이순"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def run_packed_rnn(rnn, inputs, lengths):
    lengths, order = lengths.sort(descending=True)
    packed = pack_padded_sequence(inputs[order], lengths.cpu(), batch_first=True)
    output, h_n = rnn(packed)
    outputs, _ = pad_packed_sequence(output, batch_first=True, total_length=inputs.size(1))
    return outputs, h_n[-1]
