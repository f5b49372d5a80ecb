"""Falls back from CUDA straight to the CPU, never offering Apple's MPS."""
CAUGHT_BY = "test_resolve_device_prefers_cuda_then_mps_then_cpu"
MESSAGE_MENTIONS = "torch.backends.mps.is_available()"
MESSAGE_MENTIONS_KO = "torch.backends.mps.is_available()"
import torch  # noqa: E402

from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s1_4_devices import resolve_device as _reference  # noqa: E402


def resolve_device(spec="auto"):
    if spec == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return _reference(spec)
