"""Saves the ExportedProgram with torch.save (a pickle) and reads it back with torch.load: the file
is not a .pt2 archive, so torch.export.load and other tools cannot read it."""
CAUGHT_BY = "test_saved_program_is_a_pt2_archive"
MESSAGE_MENTIONS = "torch.export.save"
MESSAGE_MENTIONS_KO = "torch.export.save"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def save_program(program, path):
    torch.save(program, path)


def load_program(path):
    return torch.load(path, weights_only=False)
