"""Draws from the global random state, not the generator passed in."""
CAUGHT_BY = "test_sample_next_token_follows_the_filtered_distribution"
MESSAGE_MENTIONS = "generator"
MESSAGE_MENTIONS_KO = "넘겨받은 생성기를 쓰지 않습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sample_next_token(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    scores = logits / temperature
    if top_k > 0:
        scores = filter_top_k(scores, top_k)
    if top_p < 1.0:
        scores = filter_top_p(scores, top_p)
    return torch.multinomial(scores.softmax(dim=-1), 1).squeeze(-1)
