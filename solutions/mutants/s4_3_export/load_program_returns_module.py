"""Returns torch.export.load(path).module(), the callable GraphModule, instead of the ExportedProgram the docstring
promises."""
CAUGHT_BY = "test_saved_program_is_a_pt2_archive"
MESSAGE_MENTIONS = ".module()"
MESSAGE_MENTIONS_KO = ".module()"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def load_program(path):
    return torch.export.load(path).module()
