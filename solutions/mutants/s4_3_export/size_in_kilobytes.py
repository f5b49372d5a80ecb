"""Returns the size in kilobytes, as the tutorials print it, instead of bytes."""
CAUGHT_BY = "test_saved_size_is_the_files_bytes"
MESSAGE_MENTIONS = "kilobytes"
MESSAGE_MENTIONS_KO = "킬로바이트 단위"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def saved_size(model, path):
    torch.save(model.state_dict(), path)
    return os.path.getsize(path) / 1024
