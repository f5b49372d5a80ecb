"""Ends MLP.forward with a softmax, although the loss (nn.CrossEntropyLoss) expects raw logits and applies
log-softmax itself."""
# "Should I use softmax as output when using cross entropy loss in pytorch?" (no: CrossEntropyLoss takes logits):
# https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html
CAUGHT_BY = "test_mlp_matches_functional_recomputation"
MESSAGE_MENTIONS = "softmax on the output"
MESSAGE_MENTIONS_KO = "출력에 softmax를 적용했습니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference


class MLP(MLP):  # noqa: F405
    def forward(self, x):
        return torch.softmax(super().forward(x), dim=-1)  # noqa: F405
