"""Writes the file but returns sys.getsizeof(model): the size of the Python object alone (a few dozen bytes), not of
its weights."""
CAUGHT_BY = "test_saved_size_is_the_files_bytes"
MESSAGE_MENTIONS = "sys.getsizeof"
MESSAGE_MENTIONS_KO = "sys.getsizeof"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
import sys  # noqa: E402


def saved_size(model, path):
    torch.save(model.state_dict(), path)
    return sys.getsizeof(model)
