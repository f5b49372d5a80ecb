"""Returns load_from_checkpoint's module as it comes, in training mode (dropout on)."""
CAUGHT_BY = "test_reloaded_checkpoint_reproduces_outputs"
MESSAGE_MENTIONS = ".eval()"
MESSAGE_MENTIONS_KO = ".eval()"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DigitsClassifier  # noqa: E402


def load_best(checkpoint_path):
    return DigitsClassifier.load_from_checkpoint(checkpoint_path)
