"""1.1 PyTorch introduction and installation — know what you installed and what it can use.

PyTorch is a tensor library with automatic differentiation and GPU support, used from plain Python.
Its defining choice is **eager execution**: every line runs when Python reaches it, so you debug a
model with `print` and `pdb`, and control flow is ordinary `if` and `for`. TensorFlow 1 took the
opposite path (build a static graph, then run it in a session); TensorFlow 2 made eager the default
and recovers graphs with `tf.function`. PyTorch went the other way round: eager first, graphs on
demand with `torch.compile` and `torch.export` (items 4.1 and 4.3). The ecosystems differ too:
PyTorch has torchvision (images), torchaudio (audio; now in maintenance, its I/O moved to TorchCodec),
Hugging Face `transformers`, PyTorch Lightning, and most research code; TensorFlow has Keras, TFX,
TF Serving and TF Lite/LiteRT for deployment. Both export to ONNX.

Installing: `pip install torch torchvision` gives a build for your platform. A CUDA build of torch
(`torch.version.cuda` is set) runs on the CPU when the machine has no NVIDIA GPU or driver — so
"built with CUDA" is not "CUDA is available": ask `torch.cuda.is_available()`. On Apple silicon the
GPU is the `mps` device (`torch.backends.mps.is_available()`).

In this item you write the report you would paste into a bug report: versions, what accelerators
exist, and which device your code should use. Optional packages may be missing: report them as
`None`, never crash. Then you see eager against graph with code: a function with an `if` on its
data, captured once by tracing (which keeps one branch) and once with `torch.export` and `torch.cond`
(which keeps both).

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 1.1`.
"""
from typing import Callable

import torch


def package_version(name: str) -> str | None:
    """The version of an importable package, as its `__version__` string, or None if it is missing.

    Import the package from its name when the function runs; if the import raises `ImportError`
    (`ModuleNotFoundError` is one), return None. Otherwise return its `__version__` as a str, e.g.
    `package_version("torch")` is the same string as `torch.__version__`.
    """
    raise NotImplementedError("package_version")


def best_device() -> torch.device:
    """The best device on this machine: CUDA if `torch.cuda.is_available()`, else MPS if
    `torch.backends.mps.is_available()`, else the CPU. Return `torch.device("cuda")`, `"mps"` or `"cpu"`.

    Decide when called, through those two functions (the grader fakes their answers to test machines
    you do not have). `torch.version.cuda` is *not* the test: it says how torch was built, not whether a
    GPU is there.
    """
    raise NotImplementedError("best_device")


def environment_report() -> dict:
    """A dict describing this installation, with exactly these keys:

    - "python": the Python version, `platform.python_version()`, e.g. "3.12.3"
    - "torch", "torchvision", "torchaudio": `package_version(...)` of each (None when not installed)
    - "cuda_built": `torch.version.cuda`, the CUDA version torch was built with (None for a CPU build)
    - "cuda_available": a bool, `torch.cuda.is_available()`
    - "mps_available": a bool, `torch.backends.mps.is_available()`
    - "device_count": the number of CUDA devices, an int (0 when CUDA is not available)
    - "device_names": a list with `torch.cuda.get_device_name(i)` for each CUDA device i, in order
      ([] when CUDA is not available: do not ask for names then, it raises)
    - "best_device": `best_device().type`, a str: "cuda", "mps" or "cpu"
    """
    raise NotImplementedError("environment_report")


def smoke_test(device: torch.device) -> torch.Tensor:
    """Prove that `device` computes: build x = [[0, 1, 2], [3, 4, 5]] (float32) directly *on* `device`
    (not on the CPU and then moved), and return `x @ x.T`, left on that device.
    On a working machine the values are [[5, 14], [14, 50]].
    """
    raise NotImplementedError("smoke_test")


# -- eager execution against a captured graph ---------------------------------------------------

def scale_by_sign(x: torch.Tensor) -> torch.Tensor:
    """Given (nothing to write here): eager PyTorch with a Python `if` on a tensor's value.

    Doubles `x` when its elements sum to more than 0, negates it otherwise. In eager mode the `if` runs on
    every call, so each input takes its own branch: `scale_by_sign(torch.tensor([1., 2.]))` is
    `tensor([2., 4.])` and `scale_by_sign(torch.tensor([-1., -2.]))` is `tensor([1., 2.])`.
    """
    if x.sum() > 0:
        return x * 2
    return -x


def trace_graph(fn: Callable[[torch.Tensor], torch.Tensor], example: torch.Tensor) -> Callable:
    """Capture `fn` as a graph by tracing it on `example`: return `torch.jit.trace(fn, (example,))`, a callable
    that replays, on any input of `example`'s shape, the tensor operations `fn` ran on `example`.

    A trace records operations, not the Python that chose them. The `if` of `scale_by_sign` runs once, while
    tracing, on `example`; the graph keeps only the branch `example` took and replays it for every later
    input, even one that eager mode would send down the other branch. Traced on `torch.ones(3)`, the graph
    doubles `torch.tensor([-1., -2., -3.])` into `tensor([-2., -4., -6.])`, where eager gives
    `tensor([1., 2., 3.])`. torch.jit.trace warns about it ("Converting a tensor to a Python boolean might
    cause the trace to be incorrect"): that warning is this lesson.

    TensorFlow 2 traces too: `tf.function` runs the Python function once per new input signature and keeps the
    graph. Its AutoGraph rewrites an `if` on a tensor into `tf.cond`, so both branches stay in the graph; what
    it freezes is a Python value (a Python bool or int argument, a Python global), and a new Python value or
    input shape makes it trace again. PyTorch's newer capture refuses rather than guess:
    `torch.fx.symbolic_trace` raises `TraceError` ("symbolically traced variables cannot be used as inputs to
    control flow") and `torch.export.export` raises on data-dependent branching, asking for `torch.cond` (next
    function); `torch.compile` (item 4.1) breaks the graph at the `if` and lets Python decide, so it follows
    the data as eager does.

    `torch.jit.trace` is deprecated in this PyTorch (2.14): it warns and points to torch.compile and
    torch.export. It is used here because it shows plainly what tracing does; item 4.3 returns to it. Watch for:
    trace on `example` itself, not on a tensor you made, since the branch recorded is your tracing input's.
    """
    raise NotImplementedError("trace_graph")


def export_scale_by_sign(example: torch.Tensor) -> torch.export.ExportedProgram:
    """`scale_by_sign` captured with `torch.export` so that the graph keeps both branches and follows the data
    as eager does: return the `torch.export.ExportedProgram` of a module computing it, exported on `(example,)`.

    Exporting `scale_by_sign` as written fails: torch.export traces with symbolic tensors that have no
    values, so `if x.sum() > 0` cannot be decided (`Could not guard on data-dependent expression`; with
    `strict=True`, `Data-dependent branching`). Say in the graph that the
    choice depends on the data: `torch.cond(pred, true_fn, false_fn, (x,))` keeps `true_fn` and `false_fn` as
    two subgraphs and runs one of them at run time, from `pred`, a boolean tensor of one element (here
    `x.sum() > 0`). Both branches take the same operands and return tensors of the same shape and dtype. It is
    torch.export's counterpart of TensorFlow's `tf.cond`. (`torch.where(x.sum() > 0, x * 2, -x)` follows the
    data too: it computes both branches and keeps one, fine for cheap branches like these.)

    `torch.export.export` takes an `nn.Module`: write a small one whose `forward(self, x)` uses torch.cond, and
    export an instance of it. The program is specialised to `example`'s shape (item 4.3 shows `dynamic_shapes`);
    run it with `program.module()(x)`. Example: `program = export_scale_by_sign(torch.ones(3))`, then
    `program.module()(torch.tensor([-1., -2., -3.]))` is `tensor([1., 2., 3.])`, as in eager mode.
    """
    raise NotImplementedError("export_scale_by_sign")
