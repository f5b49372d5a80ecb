"""torch.export on the model still in training mode: batch statistics and dropout are recorded."""
CAUGHT_BY = "test_exported_program_accepts_other_batch_sizes"
MESSAGE_MENTIONS = "eval()"
MESSAGE_MENTIONS_KO = "eval()"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_3_export import _batch_dynamic  # noqa: E402


def export_program(model, example):
    return torch.export.export(model, (example,), dynamic_shapes=_batch_dynamic(model))
