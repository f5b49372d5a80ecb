"""Computes the next token once, before the decoding loop, and appends that same token max_new_tokens times:
the model is never run on the tokens it generated."""
# Autoregressive decoding feeds each new token back in: https://huggingface.co/docs/transformers/llm_tutorial
CAUGHT_BY = "test_greedy_generation_matches_generate"
MESSAGE_MENTIONS = "each step appends"
MESSAGE_MENTIONS_KO = "argmax(-1)을 이어 붙이고"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()  # noqa: F405
def greedy_generate(model, input_ids, max_new_tokens):
    model.eval()
    ids = input_ids
    next_id = model(input_ids=ids).logits[:, -1].argmax(-1, keepdim=True)
    for _ in range(max_new_tokens):
        ids = torch.cat([ids, next_id], dim=1)  # noqa: F405
    return ids
