"""Writes the softmax as exp(x) / sum(exp(x)): logits / 0.001 overflows to inf, NaN."""
CAUGHT_BY = "test_sample_with_temperature_near_zero_is_the_argmax"
MESSAGE_MENTIONS = "subtracts the maximum"
MESSAGE_MENTIONS_KO = "최댓값을 빼므로"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sample_with_temperature(logits, temperature, generator):
    scaled = torch.exp(logits / temperature)
    probabilities = scaled / scaled.sum(dim=-1, keepdim=True)
    return torch.multinomial(probabilities, 1, generator=generator).squeeze(-1)
