"""Creates the positions with the tokens' dtype (dtype=tokens.dtype): int32 token ids give int32 positions, not the
int64 the docstring promises."""
CAUGHT_BY = "test_positions_follow_the_tokens_device"
MESSAGE_MENTIONS = "take the tokens' dtype"
MESSAGE_MENTIONS_KO = "tokens의 dtype(int32)을 따릅니다"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def positions_like(tokens):
    batch, time = tokens.shape
    return torch.arange(time, device=tokens.device, dtype=tokens.dtype).expand(batch, time)  # noqa: F405
