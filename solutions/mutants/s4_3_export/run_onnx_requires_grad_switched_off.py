"""Switches autograd off on x itself (x.requires_grad_(False)) so that .numpy() stops refusing, instead of detaching a
copy: that only works on a leaf tensor. On the output of a layer, the input the docstring names, PyTorch refuses it
("you can only change requires_grad flags of leaf variables")."""
CAUGHT_BY = "test_run_onnx_takes_a_tensor_that_requires_grad"
MESSAGE_MENTIONS = "only on a leaf tensor"
MESSAGE_MENTIONS_KO = "잎 텐서에서만"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference
import onnxruntime  # noqa: E402
import torch  # noqa: E402


def run_onnx(path, x):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    x.requires_grad_(False)
    return torch.from_numpy(session.run(None, {name: x.cpu().numpy()})[0])
