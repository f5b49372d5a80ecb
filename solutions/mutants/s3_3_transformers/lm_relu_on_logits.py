"""Applies ReLU to the language model's output, so every negative next-token score becomes 0 and the model can
no longer say that a token is unlikely."""
# The LM head is a plain Linear whose logits go to cross-entropy: https://pytorch.org/tutorials/beginner/transformer_tutorial.html
CAUGHT_BY = "test_decoder_lm_does_not_see_the_future"
MESSAGE_MENTIONS = "ReLU after the output layer"
MESSAGE_MENTIONS_KO = "출력 계층 뒤의 ReLU"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


class DecoderLM(DecoderLM):  # noqa: F405
    def forward(self, tokens):
        return torch.relu(super().forward(tokens))  # noqa: F405
