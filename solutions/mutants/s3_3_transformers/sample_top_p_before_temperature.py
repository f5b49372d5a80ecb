"""Filters top-k and top-p on the raw logits and divides by the temperature after."""
CAUGHT_BY = "test_sample_next_token_follows_the_filtered_distribution"
MESSAGE_MENTIONS = "before dividing by the temperature"
MESSAGE_MENTIONS_KO = "온도로 나누기 전에"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sample_next_token(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    scores = logits
    if top_k > 0:
        scores = filter_top_k(scores, top_k)
    if top_p < 1.0:
        scores = filter_top_p(scores, top_p)
    return torch.multinomial((scores / temperature).softmax(dim=-1), 1, generator=generator).squeeze(-1)
