"""Returns the device's name, "cuda" or "cpu", instead of a torch.device (the string idiom of many tutorials),
so a caller reading best_device().type or .index fails."""
# The official quickstart writes `device = "cuda" if torch.cuda.is_available() else "cpu"`, a str that .to()
# accepts: https://pytorch.org/tutorials/beginner/basics/quickstart_tutorial.html
CAUGHT_BY = "test_best_device_is_right_whatever_the_machine"
MESSAGE_MENTIONS = "returned the string"
MESSAGE_MENTIONS_KO = "torch.device가 아니라 문자열"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def best_device():
    if torch.cuda.is_available():  # noqa: F405
        return "cuda"
    if torch.backends.mps.is_available():  # noqa: F405
        return "mps"
    return "cpu"
