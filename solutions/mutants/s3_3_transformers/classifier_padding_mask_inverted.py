"""Builds src_key_padding_mask as tokens != pad_id: True at the real tokens, which nn.TransformerEncoder then ignores."""
CAUGHT_BY = "test_transformer_classifier_ignores_padding"
MESSAGE_MENTIONS = "src_key_padding_mask is inverted"
MESSAGE_MENTIONS_KO = "src_key_padding_mask가 반대로"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


class TransformerClassifier(TransformerClassifier):
    def forward(self, tokens):
        real = tokens != self.pad_id
        x = self.tokens(tokens) + self.positions(torch.arange(tokens.shape[1], device=tokens.device))
        x = self.encoder(x, src_key_padding_mask=real)
        keep = real.unsqueeze(-1).to(x.dtype)
        return self.head((x * keep).sum(1) / keep.sum(1))
