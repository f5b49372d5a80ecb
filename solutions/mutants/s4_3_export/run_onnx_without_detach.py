"""Calls x.numpy() without detaching: "Can't call numpy() on Tensor that requires grad", one of the most asked
PyTorch errors (https://discuss.pytorch.org/t/cant-call-numpy-on-tensor-that-requires-grad/87474), raised as soon as
x is the output of a layer."""
CAUGHT_BY = "test_run_onnx_takes_a_tensor_that_requires_grad"
MESSAGE_MENTIONS = "requires grad"
MESSAGE_MENTIONS_KO = "변화도를 추적하는"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
import onnxruntime  # noqa: E402
import torch  # noqa: E402


def run_onnx(path, x):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return torch.from_numpy(session.run(None, {name: x.cpu().numpy()})[0])
