"""4.3 written another way: dynamic_shapes as tuples in argument order, the exporter writing the file
itself (f=path), a frozen scripted module, explicit batch bounds, and file objects for .pt2;
a deep copy quantized in place through a qconfig dict, and a size counted from an in-memory buffer."""
import copy
import io

import numpy as np
import onnxruntime as ort
import torch


def export_onnx(model, example, path):
    model.train(False)
    batch = torch.export.Dim("batch", min=1, max=4096)
    torch.onnx.export(model, (example,), f=str(path), dynamic_shapes=({0: batch},), dynamo=True)


def run_onnx(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {meta.name: np.ascontiguousarray(x.detach().cpu().numpy()) for meta in session.get_inputs()}
    outputs = session.run([session.get_outputs()[0].name], feeds)
    return torch.tensor(outputs[0])


def trace_model(model, example):
    model.train(False)
    return torch.jit.trace(model, example)


def to_torchscript(model, example):
    model.train(False)
    return torch.jit.freeze(torch.jit.script(model))


def export_program(model, example):
    model.train(False)
    return torch.export.export(model, args=(example,),
                               dynamic_shapes=({0: torch.export.Dim("batch", min=2, max=4096)},))


def save_program(program, path):
    with open(path, "wb") as handle:
        torch.export.save(program, handle)


def load_program(path):
    with open(path, "rb") as handle:
        return torch.export.load(handle)


def freeze_for_inference(model, example):
    model.train(False)
    return torch.jit.optimize_for_inference(torch.jit.trace(model, (example,)))


def quantize_linear_int8(model):
    from torch.ao.quantization import default_dynamic_qconfig, quantize_dynamic
    frozen = copy.deepcopy(model)
    frozen.train(False)
    return quantize_dynamic(frozen, qconfig_spec={torch.nn.Linear: default_dynamic_qconfig}, dtype=torch.qint8,
                            inplace=True)


def saved_size(model, path):
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    data = buffer.getvalue()
    with open(path, "wb") as handle:
        handle.write(data)
    return len(data)
