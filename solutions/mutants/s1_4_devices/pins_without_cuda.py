"""Pins memory whatever the target device: pointless for the CPU, an error where CUDA is absent."""
CAUGHT_BY = "test_stage_for_device_pins_only_for_cuda"
MESSAGE_MENTIONS = "device.type == 'cuda'"
MESSAGE_MENTIONS_KO = "device.type == 'cuda'"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def stage_for_device(x, device):
    return x.pin_memory().to(device, non_blocking=True)
