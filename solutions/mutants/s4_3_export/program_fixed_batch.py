"""torch.export without dynamic_shapes: the program only accepts the example's batch size."""
CAUGHT_BY = "test_exported_program_accepts_other_batch_sizes"
MESSAGE_MENTIONS = "dynamic_shapes"
MESSAGE_MENTIONS_KO = "dynamic_shapes"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def export_program(model, example):
    return torch.export.export(model.eval(), (example,))
