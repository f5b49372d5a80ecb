"""Exports the model as it comes, still in training mode (no model.eval()): dropout and batch
statistics are baked into the ONNX graph."""
CAUGHT_BY = "test_onnx_graph_has_no_training_mode_ops"
MESSAGE_MENTIONS = "eval()"
MESSAGE_MENTIONS_KO = "eval()"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_3_export import _batch_dynamic  # noqa: E402


def export_onnx(model, example, path):
    program = torch.onnx.export(model, (example,), dynamic_shapes=_batch_dynamic(model))
    program.save(str(path))
