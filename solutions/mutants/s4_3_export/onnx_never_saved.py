"""Exports and returns the ONNXProgram but never writes it to `path`."""
CAUGHT_BY = "test_onnx_file_loads_and_passes_the_checker"
MESSAGE_MENTIONS = "save(path)"
MESSAGE_MENTIONS_KO = "save(path)"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_3_export import _batch_dynamic  # noqa: E402


def export_onnx(model, example, path):
    model.eval()
    return torch.onnx.export(model, (example,), dynamic_shapes=_batch_dynamic(model))
