"""Runs the LSTM over the padded batch and classifies from the last time step, pads included."""
CAUGHT_BY = "test_rnn_classifier_ignores_padding"
MESSAGE_MENTIONS = "pack"
MESSAGE_MENTIONS_KO = "임베딩한 배치를 패킹하세요"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


class RNNClassifier(RNNClassifier):
    def forward(self, tokens, lengths):
        output, _ = self.rnn(self.embedding(tokens))
        return self.head(output[:, -1])
