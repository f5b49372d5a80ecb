"""Classifies from the LSTM's cell state c_n instead of its hidden state h_n (state[1] for state[0])."""
CAUGHT_BY = "test_rnn_classifier_head_reads_the_hidden_state"
MESSAGE_MENTIONS = "cell state"
MESSAGE_MENTIONS_KO = "셀 상태 c_n[-1]"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


class RNNClassifier(RNNClassifier):
    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.embedding(tokens), lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, state = self.rnn(packed)
        return self.head((state[1] if isinstance(state, tuple) else state)[-1])
