"""Reads the size with path.stat().st_size, which only a pathlib.Path has: saved_size's path may be a str as well
(path: str | Path), and a str has no .stat()."""
CAUGHT_BY = "test_saved_size_is_the_files_bytes"
MESSAGE_MENTIONS = "may be a str"
MESSAGE_MENTIONS_KO = "str일 수도"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def saved_size(model, path):
    torch.save(model.state_dict(), path)
    return path.stat().st_size
