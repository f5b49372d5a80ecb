"""Reference solution for 4.3 (the task is in exercises/s4_3_export.py)."""
import inspect
import os

import onnxruntime
import torch
from torch import nn


class Classifier(nn.Module):
    def __init__(self, in_features=8, hidden=16, classes=3):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden)
        self.norm = nn.BatchNorm1d(hidden)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(hidden, classes)

    def forward(self, features):
        return self.out(self.dropout(torch.relu(self.norm(self.hidden(features)))))


class GatedNet(nn.Module):
    def __init__(self, size=6):
        super().__init__()
        self.linear = nn.Linear(size, size)
        self.dropout = nn.Dropout(0.3)

    def forward(self, x):
        h = self.dropout(self.linear(x))
        if h.mean() > 0:
            return h * 2
        return -h


def _batch_dynamic(model):
    """dynamic_shapes for a one-argument forward: dimension 0 of that argument is the batch."""
    argument = next(iter(inspect.signature(model.forward).parameters))
    return {argument: {0: torch.export.Dim("batch")}}


def export_onnx(model, example, path):
    model.eval()
    program = torch.onnx.export(model, (example,), dynamic_shapes=_batch_dynamic(model))
    program.save(str(path))


def run_onnx(path, x):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return torch.from_numpy(session.run(None, {name: x.detach().cpu().numpy()})[0])


def trace_model(model, example):
    return torch.jit.trace(model.eval(), (example,))


def to_torchscript(model, example):
    return torch.jit.script(model.eval())


def export_program(model, example):
    return torch.export.export(model.eval(), (example,), dynamic_shapes=_batch_dynamic(model))


def save_program(program, path):
    torch.export.save(program, path)


def load_program(path):
    return torch.export.load(path)


def freeze_for_inference(model, example):
    return torch.jit.freeze(torch.jit.script(model.eval()))


def quantize_linear_int8(model):
    return torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)


def saved_size(model, path):
    torch.save(model.state_dict(), path)
    return os.path.getsize(path)
