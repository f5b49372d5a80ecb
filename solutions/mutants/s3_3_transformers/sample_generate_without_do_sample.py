"""Calls generate without do_sample=True: greedy decoding."""
CAUGHT_BY = "test_sample_generate_matches_seeded_generate"
MESSAGE_MENTIONS = "do_sample"
MESSAGE_MENTIONS_KO = "do_sample=True가 빠졌습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sample_generate(model, input_ids, max_new_tokens, temperature=1.0, top_k=0, top_p=1.0, seed=0):
    model.eval()
    torch.manual_seed(seed)
    with torch.no_grad():
        return model.generate(input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=max_new_tokens,
                              temperature=temperature, top_k=top_k, top_p=top_p)
