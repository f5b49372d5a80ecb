"""Writes the ONNX model as text (str of the protobuf) instead of saving it: not a loadable file."""
CAUGHT_BY = "test_onnx_file_loads_and_passes_the_checker"
MESSAGE_MENTIONS = "not a valid ONNX model"
MESSAGE_MENTIONS_KO = "올바른 ONNX 모델이 아닙니다"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_3_export import _batch_dynamic  # noqa: E402
from pathlib import Path  # noqa: E402 - the reference no longer imports it


def export_onnx(model, example, path):
    model.eval()
    program = torch.onnx.export(model, (example,), dynamic_shapes=_batch_dynamic(model))
    Path(path).write_text(str(program.model_proto))
