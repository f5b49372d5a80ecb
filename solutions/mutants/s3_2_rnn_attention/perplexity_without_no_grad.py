"""Evaluates the perplexity with autograd on: torch.no_grad() is missing, so every forward builds a graph."""
CAUGHT_BY = "test_char_perplexity_is_exp_mean_cross_entropy"
MESSAGE_MENTIONS = "torch.no_grad()"
MESSAGE_MENTIONS_KO = "torch.no_grad()"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import math  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def char_perplexity(model, ids):
    logits = model(ids[:-1].unsqueeze(0))[0]
    return math.exp(F.cross_entropy(logits, ids[1:]).item())
