"""Clamps sigmoid's output in place: the forward values are right, backward raises (sigmoid saved that output)."""
CAUGHT_BY = "test_clamped_probabilities_backward_survives"
MESSAGE_MENTIONS = "in place"
MESSAGE_MENTIONS_KO = "제자리에서 바꾸는 연산"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def clamped_probabilities(logits, eps):
    return torch.sigmoid(logits).clamp_(eps, 1 - eps)
