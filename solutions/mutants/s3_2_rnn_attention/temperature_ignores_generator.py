"""Draws from the global random state, not the generator passed in."""
CAUGHT_BY = "test_sample_with_temperature_follows_softmax_over_t"
MESSAGE_MENTIONS = "generator"
MESSAGE_MENTIONS_KO = "generator=generator"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sample_with_temperature(logits, temperature, generator):
    probabilities = torch.softmax(logits / temperature, dim=-1)
    return torch.multinomial(probabilities, 1).squeeze(-1)
