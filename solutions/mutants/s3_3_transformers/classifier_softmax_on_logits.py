"""Returns softmax probabilities from TransformerClassifier.forward, although the loss (F.cross_entropy) takes
raw logits and applies log-softmax itself."""
# CrossEntropyLoss expects unnormalised logits: https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html
CAUGHT_BY = "test_transformer_classifier_ignores_padding"
MESSAGE_MENTIONS = "softmax after the output layer"
MESSAGE_MENTIONS_KO = "출력 계층 뒤의 softmax"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


class TransformerClassifier(TransformerClassifier):  # noqa: F405
    def forward(self, tokens):
        return torch.softmax(super().forward(tokens), dim=-1)  # noqa: F405
