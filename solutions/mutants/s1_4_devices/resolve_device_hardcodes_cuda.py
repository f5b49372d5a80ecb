"""Always answers cuda for 'auto', as if every machine had a GPU."""
CAUGHT_BY = "test_resolve_device_prefers_cuda_then_mps_then_cpu"
MESSAGE_MENTIONS = "hard-code"
MESSAGE_MENTIONS_KO = "'cuda'를 하드코딩"
import torch  # noqa: E402

from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s1_4_devices import resolve_device as _reference  # noqa: E402


def resolve_device(spec="auto"):
    return torch.device("cuda") if spec == "auto" else _reference(spec)
