"""Multiplies the logits by the temperature instead of dividing."""
CAUGHT_BY = "test_sample_with_temperature_follows_softmax_over_t"
MESSAGE_MENTIONS = "multiplies"
MESSAGE_MENTIONS_KO = "온도를 곱했습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sample_with_temperature(logits, temperature, generator):
    probabilities = torch.softmax(logits * temperature, dim=-1)
    return torch.multinomial(probabilities, 1, generator=generator).squeeze(-1)
