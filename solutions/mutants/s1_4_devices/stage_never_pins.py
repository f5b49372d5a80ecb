"""Copies to CUDA with non_blocking=True but never pins the tensor first: a non-blocking copy from pageable
memory is neither fast nor asynchronous."""
CAUGHT_BY = "test_stage_for_device_pins_only_for_cuda"
MESSAGE_MENTIONS = "did not pin the tensor"
MESSAGE_MENTIONS_KO = "pin_memory로 고정하지"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def stage_for_device(x, device):
    device = torch.device(device)  # noqa: F405
    if device.type == "cuda":
        return x.to(device, non_blocking=True)
    return x.to(device)
