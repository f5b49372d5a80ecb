"""Feeds onnxruntime under the name "x" instead of asking the session for its input's name."""
CAUGHT_BY = "test_run_onnx_feeds_the_sessions_input_name"
MESSAGE_MENTIONS = "get_inputs"
MESSAGE_MENTIONS_KO = "get_inputs"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def run_onnx(path, x):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return torch.from_numpy(session.run(None, {"x": x.numpy()})[0])
