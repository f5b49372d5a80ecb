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
`None`, never crash.

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 1.1`.
"""
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
