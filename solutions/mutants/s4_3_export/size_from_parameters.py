"""Writes the file but returns the bytes of model.parameters(): a dynamically quantized Linear's int8 weights are
packed parameters that parameters() does not list."""
CAUGHT_BY = "test_saved_size_is_the_files_bytes"
MESSAGE_MENTIONS = "parameters()"
MESSAGE_MENTIONS_KO = "parameters()"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def saved_size(model, path):
    torch.save(model.state_dict(), path)
    return sum(p.numel() * p.element_size() for p in model.parameters())
