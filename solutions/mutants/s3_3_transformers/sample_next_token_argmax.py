"""Takes the argmax of the filtered logits (greedy) instead of drawing with torch.multinomial."""
CAUGHT_BY = "test_sample_next_token_follows_the_filtered_distribution"
MESSAGE_MENTIONS = "argmax (greedy decoding)"
MESSAGE_MENTIONS_KO = "argmax(탐욕적 디코딩)"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def sample_next_token(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    scores = logits / temperature
    if top_k > 0:
        scores = filter_top_k(scores, top_k)
    if top_p < 1.0:
        scores = filter_top_p(scores, top_p)
    return scores.argmax(dim=-1)
