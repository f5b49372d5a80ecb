"""Clamps through .data to dodge autograd's in-place error: no error, and a gradient that ignores the clamp."""
CAUGHT_BY = "test_clamped_probabilities_backward_survives"
MESSAGE_MENTIONS = ".data"
MESSAGE_MENTIONS_KO = ".data를 거쳐"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def clamped_probabilities(logits, eps):
    p = torch.sigmoid(logits)
    p.data.clamp_(eps, 1 - eps)
    return p
