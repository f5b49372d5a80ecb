"""Packs the batch-first embeddings without batch_first=True, so batch and time are swapped."""
CAUGHT_BY = "test_rnn_classifier_ignores_padding"
MESSAGE_MENTIONS = "batch_first"
MESSAGE_MENTIONS_KO = "batch_first"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


class RNNClassifier(RNNClassifier):
    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.embedding(tokens), lengths.cpu(), enforce_sorted=False)
        _, state = self.rnn(packed)
        h_n = state[0] if isinstance(state, tuple) else state
        return self.head(h_n[-1])
