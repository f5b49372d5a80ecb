"""Exports without dynamic_shapes, so the ONNX input is fixed to the example's batch size."""
CAUGHT_BY = "test_onnx_batch_dimension_is_dynamic"
MESSAGE_MENTIONS = "dynamic_shapes"
MESSAGE_MENTIONS_KO = "dynamic_shapes"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def export_onnx(model, example, path):
    model.eval()
    torch.onnx.export(model, (example,)).save(str(path))
