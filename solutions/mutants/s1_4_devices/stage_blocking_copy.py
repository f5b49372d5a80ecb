"""Pins the tensor but copies it to CUDA without non_blocking=True: the copy blocks the host."""
CAUGHT_BY = "test_stage_for_device_pins_only_for_cuda"
MESSAGE_MENTIONS = "without non_blocking=True"
MESSAGE_MENTIONS_KO = "non_blocking=True 없이"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def stage_for_device(x, device):
    device = torch.device(device)  # noqa: F405
    if device.type == "cuda":
        return x.pin_memory().to(device)
    return x.to(device)
