"""Calls x.pin_memory() without using its result, then copies x itself: pin_memory returns a new, pinned
tensor and leaves x in pageable memory."""
CAUGHT_BY = "test_stage_for_device_pins_only_for_cuda"
MESSAGE_MENTIONS = "copied x itself, not the pinned tensor"
MESSAGE_MENTIONS_KO = "x 자체를"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def stage_for_device(x, device):
    device = torch.device(device)  # noqa: F405
    if device.type == "cuda":
        x.pin_memory()
        return x.to(device, non_blocking=True)
    return x.to(device)
