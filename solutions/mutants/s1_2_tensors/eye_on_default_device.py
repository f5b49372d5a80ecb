"""Creates the identity with torch.eye(n) alone: float32 on the CPU whatever the input."""
CAUGHT_BY = "test_eye_like_follows_dtype_and_device"
MESSAGE_MENTIONS = "device="
MESSAGE_MENTIONS_KO = "device="
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def eye_like(x):
    return torch.eye(x.shape[-1])
