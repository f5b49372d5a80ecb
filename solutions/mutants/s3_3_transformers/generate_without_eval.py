"""Generates greedily without model.eval(), so dropout makes each next token random."""
CAUGHT_BY = "test_greedy_generation_matches_generate"
MESSAGE_MENTIONS = "model.eval()"
MESSAGE_MENTIONS_KO = "model.eval()"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def greedy_generate(model, input_ids, max_new_tokens):
    ids = input_ids
    for _ in range(max_new_tokens):
        ids = torch.cat([ids, model(input_ids=ids).logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return ids
