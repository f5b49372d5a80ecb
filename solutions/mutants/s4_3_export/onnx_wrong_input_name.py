"""Keys dynamic_shapes by "x", but the model's forward argument is called `features`."""
CAUGHT_BY = "test_onnx_file_loads_and_passes_the_checker"
MESSAGE_MENTIONS = "names of forward's arguments"
MESSAGE_MENTIONS_KO = "forward 인자의 이름"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def export_onnx(model, example, path):
    model.eval()
    program = torch.onnx.export(model, (example,), dynamic_shapes={"x": {0: torch.export.Dim("batch")}})
    program.save(str(path))
