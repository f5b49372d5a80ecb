"""Builds nn.Embedding without padding_idx, so <pad> gets a learned vector and a gradient."""
CAUGHT_BY = "test_embedding_reserves_the_pad_row"
MESSAGE_MENTIONS = "padding_idx"
MESSAGE_MENTIONS_KO = "padding_idx"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


class RNNClassifier(RNNClassifier):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes, pad_id=PAD, cell="lstm"):
        super().__init__(vocab_size, embed_dim, hidden_dim, num_classes, pad_id, cell)
        self.embedding = nn.Embedding(vocab_size, embed_dim)
