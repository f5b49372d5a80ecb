"""Builds the encoder layer without batch_first=True, so attention mixes the sequences of a batch."""
CAUGHT_BY = "test_transformer_classifier_keeps_batch_items_apart"
MESSAGE_MENTIONS = "batch_first"
MESSAGE_MENTIONS_KO = "batch_first"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


class TransformerClassifier(TransformerClassifier):
    def __init__(self, vocab_size, d_model, nhead, num_layers, num_classes, max_len=128, pad_id=0):
        super().__init__(vocab_size, d_model, nhead, num_layers, num_classes, max_len, pad_id)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    def forward(self, tokens):
        x = self.tokens(tokens) + self.positions(torch.arange(tokens.shape[1], device=tokens.device))
        return self.head(self.encoder(x).mean(1))
