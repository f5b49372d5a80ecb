"""Raises a bare ValueError, with no sentence saying why the device cannot be used."""
CAUGHT_BY = "test_resolve_device_refuses_a_gpu_that_is_not_there"
MESSAGE_MENTIONS = "without a sentence saying why"
MESSAGE_MENTIONS_KO = "이유를 말하는 문장 없이"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def resolve_device(spec="auto"):
    if spec == "auto":
        if torch.cuda.is_available():  # noqa: F405
            return torch.device("cuda")  # noqa: F405
        if torch.backends.mps.is_available():  # noqa: F405
            return torch.device("mps")  # noqa: F405
        return torch.device("cpu")  # noqa: F405
    device = torch.device(spec)  # noqa: F405
    if device.type == "cuda" and (not torch.cuda.is_available() or (device.index or 0) >= torch.cuda.device_count()):  # noqa: F405
        raise ValueError
    return device
