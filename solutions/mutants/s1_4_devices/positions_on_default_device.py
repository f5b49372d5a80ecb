"""Creates the positions with torch.arange(time): on the CPU whatever the tokens' device."""
CAUGHT_BY = "test_positions_follow_the_tokens_device"
MESSAGE_MENTIONS = "device=tokens.device"
MESSAGE_MENTIONS_KO = "device=tokens.device"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def positions_like(tokens):
    batch, time = tokens.shape
    return torch.arange(time).expand(batch, time)  # noqa: F405
