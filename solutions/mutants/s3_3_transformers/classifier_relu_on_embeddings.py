"""Puts a ReLU on the summed token and position embeddings before the encoder ("an activation after every layer"),
so half of every embedding's coordinates reach the encoder as 0."""
# The Transformer feeds embeddings + positional encodings to the encoder as they are:
# https://pytorch.org/tutorials/beginner/transformer_tutorial.html
CAUGHT_BY = "test_transformer_classifier_embeddings_reach_the_encoder"
MESSAGE_MENTIONS = "ReLU on the embeddings"
MESSAGE_MENTIONS_KO = "임베딩에 적용한 ReLU"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


class TransformerClassifier(TransformerClassifier):  # noqa: F405
    def forward(self, tokens):
        padding = tokens == self.pad_id
        x = self.tokens(tokens) + self.positions(torch.arange(tokens.shape[1], device=tokens.device))  # noqa: F405
        x = self.encoder(torch.relu(x), src_key_padding_mask=padding)  # noqa: F405
        keep = (~padding).unsqueeze(-1).to(x.dtype)
        return self.head((x * keep).sum(1) / keep.sum(1))
