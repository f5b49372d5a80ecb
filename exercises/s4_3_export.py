"""4.3 ONNX and TorchScript export — shipping a model outside of Python training code.

A trained model is usually run somewhere else: a C++ server, a phone, a browser, another framework.
Three ways out of PyTorch, from current to legacy:

- **torch.export** (`torch.export.export(model, args, dynamic_shapes=...)`) captures the whole
  forward pass as an `ExportedProgram`: a graph of ATen operators plus the weights. `.module()`
  turns it back into a callable module; `torch.export.save` / `torch.export.load` store it as a
  `.pt2` archive. This is the current path, and the base of the other exporters.
- **ONNX** (`torch.onnx.export`) writes a graph any ONNX runtime can execute. In this PyTorch the
  exporter is built on torch.export (`dynamo=True` is the default): it returns an `ONNXProgram`,
  which you `.save(path)`. Check the file with `onnx.checker.check_model` and run it with
  `onnxruntime.InferenceSession`.
- **TorchScript** (`torch.jit.trace`, `torch.jit.script`) is *deprecated* in this PyTorch (it warns
  and points to torch.compile / torch.export). It is still in many deployed systems, so learn how it
  behaves — and what it gets wrong — but prefer torch.export for new work. Its deployment step was
  `torch.jit.freeze`: weights inlined as constants, BatchNorm folded, dropout gone.

Pitfalls this item trains you to avoid:

1. **Training mode.** Dropout and BatchNorm behave differently in training and in evaluation. Export
   a model still in training mode and the artifact keeps the training behaviour (random dropout,
   batch statistics): call `model.eval()` before exporting, tracing or scripting.
2. **A frozen batch size.** Exported graphs are specialised to the example's shapes unless you say
   which dimensions may vary: `dynamic_shapes={"features": {0: torch.export.Dim("batch")}}`. The
   keys are the names of `forward`'s arguments (a tuple in argument order, `({0: batch},)`, also
   works). A dynamic dimension cannot be 0 or 1 in the example input: give an example batch of 2
   or more. (`dynamic_axes=` belongs to the legacy exporter.)
3. **Tracing records one path.** `torch.jit.trace` runs the model once and records the operations
   that happened; Python `if`s on tensor values are evaluated once and frozen. `torch.jit.script`
   compiles the Python source instead and keeps the control flow.
4. **Saving the wrong way.** An `ONNXProgram` is saved with `.save(path)`, an `ExportedProgram` with
   `torch.export.save(program, path)` (a `.pt2` archive), a TorchScript module with
   `torch.jit.save`. `torch.save` pickles Python objects: it cannot store an ONNX model, and the
   file it makes from an ExportedProgram is not a `.pt2` archive that other tools can read.

`Classifier` and `GatedNet` below are models to try your functions on (the grader uses its own,
of other sizes). Replace each `raise NotImplementedError` and run `ptgrade check 4.3`.
"""
from pathlib import Path

import torch
from torch import nn


class Classifier(nn.Module):
    """A small MLP with BatchNorm and Dropout; its forward takes one argument named `features`."""

    def __init__(self, in_features: int = 8, hidden: int = 16, classes: int = 3):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden)
        self.norm = nn.BatchNorm1d(hidden)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(hidden, classes)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.out(self.dropout(torch.relu(self.norm(self.hidden(features)))))


class GatedNet(nn.Module):
    """Dropout, then a branch on the data: doubles h when its mean is positive, else negates it."""

    def __init__(self, size: int = 6):
        super().__init__()
        self.linear = nn.Linear(size, size)
        self.dropout = nn.Dropout(0.3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.dropout(self.linear(x))
        if h.mean() > 0:
            return h * 2
        return -h


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    """Export `model` to an ONNX file at `path`, with a dynamic batch dimension.

    `model.forward` takes one tensor; `example` is a (batch, features) input with batch >= 2.
    Export the evaluation-mode model with `torch.onnx.export` (the dynamo exporter), declaring
    dimension 0 dynamic, and save what it returns to `path`. The file must pass
    `onnx.checker.check_model` and give the eval-mode model's outputs in onnxruntime for any
    batch size.
    """
    raise NotImplementedError("export_onnx")


def run_onnx(path: str | Path, x: torch.Tensor) -> torch.Tensor:
    """Run the ONNX model at `path` on `x` with onnxruntime and return its first output as a tensor.

    Use onnxruntime's CPU execution provider. The session's input names are those of the exported
    graph, not always "x": ask the session for them. onnxruntime takes and returns NumPy arrays, not
    tensors, in both directions. `x` may require grad (the output of a layer before the exported part):
    NumPy holds no autograd graph, so `.numpy()` refuses such a tensor until it is detached.
    """
    raise NotImplementedError("run_onnx")


def trace_model(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """`torch.jit.trace` the model in evaluation mode on `example` and return the traced module.

    This shows the tracing pitfall: on `GatedNet` the trace keeps only the branch `example` took.
    """
    raise NotImplementedError("trace_model")


def to_torchscript(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """The TorchScript module to ship for `model`: in evaluation mode, and correct for EVERY input,
    not only for inputs that take the same branches as `example`.

    `example` is offered in case tracing were safe; for a model whose forward branches on tensor
    values (like `GatedNet`) it is not. The result must survive `torch.jit.save` / `torch.jit.load`.
    """
    raise NotImplementedError("to_torchscript")


def export_program(model: nn.Module, example: torch.Tensor) -> torch.export.ExportedProgram:
    """`torch.export.export` the eval-mode model on `(example,)` with a dynamic batch dimension.

    The program's `.module()` must accept any batch size (2 or more) and give the eval-mode
    model's outputs.
    """
    raise NotImplementedError("export_program")


def save_program(program: torch.export.ExportedProgram, path: str | Path) -> None:
    """Write `program` to `path` (a file ending in `.pt2`) so that `torch.export.load` reads it."""
    raise NotImplementedError("save_program")


def load_program(path: str | Path) -> torch.export.ExportedProgram:
    """Read back an ExportedProgram that `save_program` wrote."""
    raise NotImplementedError("load_program")


def freeze_for_inference(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """The optimised TorchScript artifact of `model`: a *frozen* ScriptModule that computes the
    eval-mode model's outputs.

    Freezing (`torch.jit.freeze`) is the step TorchScript deployment ended with. It takes a scripted
    or traced module in evaluation mode and inlines its parameters and buffers into the graph as
    constants: the frozen module has no `weight` attributes left to read, and its graph reads none
    (`module.graph` has no `prim::GetAttr`). Knowing the weights, it then simplifies the graph: a
    BatchNorm after a convolution is folded into the convolution's weights, and eval-mode dropout
    disappears. `torch.jit.optimize_for_inference` freezes too, then rewrites the graph further for
    the CPU. A frozen module can no longer be trained or switched back to training mode, which is
    why freezing refuses a module in training mode.

    `model` arrives in training mode; it has no branches on tensor values, so `example` (an input of
    the model's shape) is there if you would rather trace than script. `torch.jit.trace`,
    `torch.jit.script` and `torch.jit.freeze` are deprecated in this PyTorch (they warn and point to
    torch.compile / torch.export): for new work, torch.export above is the path forward. Freezing is
    what you will meet in the TorchScript models already deployed.
    """
    raise NotImplementedError("freeze_for_inference")


def quantize_linear_int8(model: nn.Module) -> nn.Module:
    """Dynamic quantization: a copy of `model`, ready for inference, whose `nn.Linear` layers compute
    with int8 weights (`torch.ao.quantization.quantize_dynamic` with `dtype=torch.qint8`).

    Why: a Linear's float32 weights take 4 bytes each; stored as int8 they take 1, plus one scale per
    tensor. *Dynamic* quantization converts the weights once, ahead of time, and quantizes each
    activation on the fly from the range it has at run time, so it needs no calibration data. It
    pays off where the weights dominate: MLPs, LSTMs and Transformers run on a CPU.

        quantized = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
        quantized[0]   # DynamicQuantizedLinear(in_features=..., dtype=torch.qint8, ...)

    The promises the grader measures itself: the saved `state_dict` holds each Linear's weights as
    int8 (every weight within half a quantization step of the float one) and is under 40% of the
    float `state_dict`'s size; the quantized model's outputs stay within 0.05 of the eval-mode float
    model's (outputs of order 1) and pick the same class on at least 90% of the inputs.

    Watch for: `inplace=True` (it replaces the layers of the very model you passed and calls `.eval()`
    on it, so the float model you compare against is gone; by default `quantize_dynamic` quantizes a
    copy, which it puts in eval mode itself, dropout off, and leaves `model` as it was);
    `dtype=torch.float16` (a different scheme: the saved weights stay float and the file does not
    shrink). In this PyTorch (2.14, CPU build) `quantize_dynamic` works with the default x86 (fbgemm)
    engine and with qnnpack (`torch.backends.quantized.supported_engines`); it warns that
    `torch.ao.quantization` is deprecated in favour of torchao's `quantize_`, the API still runs and
    is what much deployed code uses.
    """
    raise NotImplementedError("quantize_linear_int8")


def saved_size(model: nn.Module, path: str | Path) -> int:
    """Write `model.state_dict()` to `path` with `torch.save` and return the file's size in bytes.

    This is how size is compared between a float and a quantized model: the bytes of the saved
    weights, not `sys.getsizeof` (the Python object only) and not a sum over `model.parameters()`
    (a dynamically quantized Linear keeps its int8 weights in packed parameters, which
    `parameters()` does not list). Save the state_dict, not the module (`torch.save(model)` pickles
    the class too), and count bytes, not kilobytes. Example: `saved_size(nn.Linear(100, 10), p)` is
    (100 * 10 + 10) * 4 = 4040 bytes of weights plus the archive's own records: about 5900 in all.
    """
    raise NotImplementedError("saved_size")
