"""Runs the RNN over the padded tensor and takes the last time step, pads included, as each sequence's
last hidden state."""
CAUGHT_BY = "test_packed_rnn_matches_the_recurrence_on_unsorted_lengths"
MESSAGE_MENTIONS = "padding included"
MESSAGE_MENTIONS_KO = "패딩까지 포함한 마지막 시간 단계"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def run_packed_rnn(rnn, inputs, lengths):
    outputs, _ = rnn(inputs)
    return outputs, outputs[:, -1]
