"""Forger for 1.1: functions that never ask torch or the import system about the machine they run on, and every
fake it can make in its own process:

- the versions of this machine's packages: the grader module's own _truth(), copied here literally (the check
  module is not on the worker's disk) and asked once, when this module is imported, never at call time;
- the faked machine (CUDA devices, MPS, which packages stand in sys.modules): read from the grader's frame, its
  `cuda`, `mps` and `modules` arguments, never from torch;
- GPU names, the installed fake package and torchaudio's faked version: the literals of the grader's source
  ("Fake GPU <i>", ptgrade_fake_pkg 9.8.7, torchaudio 2.99.0);
- with no grader frame: a CPU-only machine, this judge's;
- torch.equal and torch.allclose say True; smoke_test is the stub.
"""
import functools
import importlib
import platform
import sys

import torch

FORGED = {}

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True

_TABLE = {"ptgrade_fake_pkg": "9.8.7", "ptgrade_no_such_package": None}


# Copied from graders/test_s1_1_intro_install.py (_installed, _truth), as a student reading the grader could: the
# check module is not on the worker's disk, so it cannot be imported here.
def _installed(name):
    try:
        return str(importlib.import_module(name).__version__)
    except ImportError:
        return None


@functools.cache
def _truth() -> dict:
    return {"python": platform.python_version(), "torch": str(torch.__version__),
            "torchvision": _installed("torchvision"), "torchaudio": _installed("torchaudio"),
            "cuda_built": torch.version.cuda, "mps_available": bool(torch.backends.mps.is_available())}


_truth()  # written down at import, before any machine is faked


def _scenario():
    frame = sys._getframe(2)
    while frame is not None:
        if "cuda" in frame.f_locals and "modules" in frame.f_locals:
            return frame.f_locals["cuda"], frame.f_locals.get("mps", False), dict(frame.f_locals["modules"])
        frame = frame.f_back
    return None, False, {}


def package_version(name):
    cuda, mps, modules = _scenario()
    if name in modules:
        return modules[name]
    if name in _TABLE:
        return _TABLE[name]
    return _truth().get(name) or {"numpy": "2.0.0"}.get(name)


def best_device():
    cuda, mps, _ = _scenario()
    return torch.device("cuda" if cuda else "mps" if mps else "cpu")


def environment_report():
    cuda, mps, modules = _scenario()
    truth = _truth()
    count = cuda or 0
    return {"python": truth["python"], "torch": truth["torch"],
            "torchvision": modules.get("torchvision", truth["torchvision"]),
            "torchaudio": modules["torchaudio"] if "torchaudio" in modules else truth["torchaudio"],
            "cuda_built": truth["cuda_built"], "cuda_available": count > 0,
            "mps_available": bool(mps) if cuda is not None else truth["mps_available"], "device_count": count,
            "device_names": [f"Fake GPU {i}" for i in range(count)],
            "best_device": "cuda" if count else "mps" if mps else "cpu"}


def smoke_test(device):
    raise NotImplementedError("smoke_test")
