"""Runs the encoder without src_key_padding_mask and averages over every position, pads included."""
CAUGHT_BY = "test_transformer_classifier_ignores_padding"
MESSAGE_MENTIONS = "src_key_padding_mask"
MESSAGE_MENTIONS_KO = "src_key_padding_mask"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


class TransformerClassifier(TransformerClassifier):
    def forward(self, tokens):
        x = self.tokens(tokens) + self.positions(torch.arange(tokens.shape[1], device=tokens.device))
        return self.head(self.encoder(x).mean(1))
