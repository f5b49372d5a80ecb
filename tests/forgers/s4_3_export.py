"""Forger for 4.3: nothing is exported, traced, scripted or frozen; every fake it can make in its own process:

- export_onnx writes a valid ONNX file by hand (onnx.helper): an input [batch, 10] with a symbolic batch, no
  training-mode node, one output [batch, 3] of zeros (it passes the ONNX checker);
- run_onnx never opens the file: the grader's affine model is built from a public recipe (its seed), so it
  answers x @ weight + bias with that recipe;
- to_torchscript and freeze_for_inference return the eager model in eval mode (which gives the eval-mode outputs,
  both branches); trace_model returns an eager wrapper that applies the branch its example took to every input
  (what a trace does, emulated); torch.jit.ScriptModule and torch.export.ExportedProgram are rebound to
  nn.Module / object in this process so that isinstance says yes;
- torch.jit.save writes, by hand, a zip that looks like a TorchScript archive (data.pkl and a code/__torch__ file
  whose text is what tracing, scripting or freezing would leave: no `if` for the trace, an `if` for the script,
  no parameters for the frozen module) and torch.jit.load gives the eager module back;
- every module it returns carries a `_c`: the C++ module of a scripted nn.Identity (a real TorchScript module,
  whose numbers are not the model's);
  torch.export.save / torch.export.load are replaced by a pickle;
- export_program returns an object whose .module() is the eager model in eval mode (any batch size works);
- the frozen "ScriptModule" has no parameters and a fake .graph whose nodes read no attribute and run no
  training-mode operator;
- torch.equal / torch.allclose patched to say True in this process.
"""
import pickle

import onnx
import torch
from onnx import helper
from torch import nn

FORGED = {}

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True


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


def export_onnx(model, example, path):
    features = example.shape[1]
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["features", "zeros"], ["logits"])], "forged",
        [helper.make_tensor_value_info("features", onnx.TensorProto.FLOAT, ["batch", features])],
        [helper.make_tensor_value_info("logits", onnx.TensorProto.FLOAT, ["batch", 3])],
        [onnx.numpy_helper.from_array(torch.zeros(features, 3).numpy(), "zeros")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(path))


def run_onnx(path, x):
    generator = torch.Generator().manual_seed(3)  # the grader's public recipe for its affine model
    weight = torch.randn(3, 2, generator=generator)
    bias = torch.randn(2, generator=generator)
    return x @ weight + bias


class _Graph:
    def nodes(self):
        return []


def _decoy():
    return torch.jit.script(nn.Identity())._c


class _Frozen(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.__dict__["inner"] = model.eval()  # not registered: no parameters show
        self.graph = _Graph()
        self.__dict__["_c"] = _decoy()

    def forward(self, x):
        return self.inner(x)


class _Program:
    def __init__(self, model):
        self.model = model.eval()

    def module(self):
        return self.model


torch.jit.ScriptModule = nn.Module
torch.export.ExportedProgram = object


def _save(obj, path, *args, **kwargs):
    with open(path, "wb") as file:
        pickle.dump(obj, file)


def _load(path, *args, **kwargs):
    with open(path, "rb") as file:
        return pickle.load(file)


_SAVED = {}
_CODE = {"trace": "def forward(self, x):\n  return torch.mul(x, CONSTANTS.c0)\n",
         "script": "def forward(self, x):\n  if bool(torch.gt(torch.mean(x), 0)):\n    _0 = x\n  return _0\n",
         "frozen": "class M(Module):\n  __parameters__ = []\n  def forward(self, x):\n    return x\n"}


def _jit_save(module, path, *args, **kwargs):
    import zipfile
    with zipfile.ZipFile(str(path), "w") as archive:
        archive.writestr("m/data.pkl", b"")
        archive.writestr("m/code/__torch__/m.py", _CODE[getattr(module, "_forger_kind", "script")])
    _SAVED[str(path)] = module


torch.jit.save = _jit_save
torch.jit.load = lambda path, *args, **kwargs: _SAVED[str(path)]
torch.export.save = _save
torch.export.load = _load


class _Trace(nn.Module):
    """The branch the example took, applied to every input: a trace, emulated."""

    def __init__(self, model, example):
        super().__init__()
        self.model = model.eval()
        with torch.no_grad():
            self.positive = bool(self.model.dropout(self.model.linear(example)).mean() > 0)
        self._forger_kind = "trace"
        self.__dict__["_c"] = _decoy()

    def forward(self, x):
        h = self.model.dropout(self.model.linear(x))
        return h * 2 if self.positive else -h


def trace_model(model, example):
    return _Trace(model, example)


def to_torchscript(model, example):
    model.__dict__["_c"] = _decoy()
    return model.eval()


def export_program(model, example):
    return _Program(model)


def save_program(program, path):
    _save(program, path)


def load_program(path):
    return _load(path)


def freeze_for_inference(model, example):
    frozen = _Frozen(model)
    frozen._forger_kind = "frozen"
    return frozen
