"""Wraps session.run's whole result in torch.tensor instead of taking its first output: the list of one (batch,
classes) array becomes a (1, batch, classes) tensor."""
# InferenceSession.run returns a list with one array per output,
# https://onnxruntime.ai/docs/api/python/api_summary.html#onnxruntime.InferenceSession.run
CAUGHT_BY = "test_run_onnx_feeds_the_sessions_input_name"
MESSAGE_MENTIONS = "list of outputs"
MESSAGE_MENTIONS_KO = "출력 목록"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
import numpy  # noqa: E402


def run_onnx(path, x):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return torch.from_numpy(numpy.array(session.run(None, {name: x.detach().cpu().numpy()})))
