"""Passes src_key_padding_mask to the encoder, then averages its output over every position, the padded ones too."""
CAUGHT_BY = "test_transformer_classifier_ignores_padding"
MESSAGE_MENTIONS = "padded ones included"
MESSAGE_MENTIONS_KO = "패딩된 위치까지"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


class TransformerClassifier(TransformerClassifier):
    def forward(self, tokens):
        padding = tokens == self.pad_id
        x = self.tokens(tokens) + self.positions(torch.arange(tokens.shape[1], device=tokens.device))
        return self.head(self.encoder(x, src_key_padding_mask=padding).mean(1))
