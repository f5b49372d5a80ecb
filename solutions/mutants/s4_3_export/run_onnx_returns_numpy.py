"""Returns onnxruntime's NumPy array as it comes instead of a torch.Tensor."""
CAUGHT_BY = "test_run_onnx_feeds_the_sessions_input_name"
MESSAGE_MENTIONS = "torch.from_numpy"
MESSAGE_MENTIONS_KO = "torch.from_numpy"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def run_onnx(path, x):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
