"""Leaves top_k out of generate, which then keeps its default of 50."""
CAUGHT_BY = "test_sample_generate_matches_seeded_generate"
MESSAGE_MENTIONS = "top_k"
MESSAGE_MENTIONS_KO = "top_k를 넘기지 않았습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sample_generate(model, input_ids, max_new_tokens, temperature=1.0, top_k=0, top_p=1.0, seed=0):
    model.eval()
    torch.manual_seed(seed)
    with torch.no_grad():
        return model.generate(input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=max_new_tokens,
                              do_sample=True, temperature=temperature, top_p=top_p)
