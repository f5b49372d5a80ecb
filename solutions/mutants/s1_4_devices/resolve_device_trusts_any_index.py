"""Accepts any 'cuda:<i>' without checking availability or the device count."""
CAUGHT_BY = "test_resolve_device_refuses_a_gpu_that_is_not_there"
MESSAGE_MENTIONS = "device_count"
MESSAGE_MENTIONS_KO = "device_count"
import torch  # noqa: E402

from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s1_4_devices import resolve_device as _reference  # noqa: E402


def resolve_device(spec="auto"):
    return _reference(spec) if spec == "auto" else torch.device(spec)
