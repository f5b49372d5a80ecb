"""Decodes greedily with autograd on: torch.no_grad() is missing, so every step builds a graph nobody uses."""
CAUGHT_BY = "test_greedy_generation_matches_generate"
MESSAGE_MENTIONS = "torch.no_grad()"
MESSAGE_MENTIONS_KO = "torch.no_grad()"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def greedy_generate(model, input_ids, max_new_tokens):
    model.eval()
    ids = input_ids
    for _ in range(max_new_tokens):
        next_id = model(input_ids=ids).logits[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, next_id], dim=1)
    return ids
