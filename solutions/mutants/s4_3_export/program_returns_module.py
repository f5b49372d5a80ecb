"""Returns torch.export.export(...).module(), the callable GraphModule, instead of the ExportedProgram: the caller can
run it but can no longer save it with torch.export.save or read its graph and signature."""
CAUGHT_BY = "test_exported_program_accepts_other_batch_sizes"
MESSAGE_MENTIONS = "what .module() returns"
MESSAGE_MENTIONS_KO = ".module()이 반환하는"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_3_export import _batch_dynamic  # noqa: E402


def export_program(model, example):
    return torch.export.export(model.eval(), (example,), dynamic_shapes=_batch_dynamic(model)).module()
