"""Saves the whole module (torch.save(model)), which pickles its class, instead of its state_dict."""
CAUGHT_BY = "test_saved_size_is_the_files_bytes"
MESSAGE_MENTIONS = "state_dict"
MESSAGE_MENTIONS_KO = "state_dict"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def saved_size(model, path):
    torch.save(model, path)
    return os.path.getsize(path)
