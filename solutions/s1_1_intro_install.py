"""Reference solution for 1.1 (the task is in exercises/s1_1_intro_install.py)."""
import importlib
import platform

import torch


def package_version(name):
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return str(module.__version__)


def best_device():
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def environment_report():
    cuda = torch.cuda.is_available()
    count = torch.cuda.device_count() if cuda else 0
    return {
        "python": platform.python_version(),
        "torch": package_version("torch"),
        "torchvision": package_version("torchvision"),
        "torchaudio": package_version("torchaudio"),
        "cuda_built": torch.version.cuda,
        "cuda_available": cuda,
        "mps_available": torch.backends.mps.is_available(),
        "device_count": count,
        "device_names": [torch.cuda.get_device_name(i) for i in range(count)],
        "best_device": best_device().type,
    }


def smoke_test(device):
    x = torch.arange(6.0, device=device).reshape(2, 3)
    return x @ x.T


def scale_by_sign(x):
    if x.sum() > 0:
        return x * 2
    return -x


def trace_graph(fn, example):
    return torch.jit.trace(fn, (example,))


class _ScaleBySign(torch.nn.Module):
    def forward(self, x):
        return torch.cond(x.sum() > 0, lambda t: t * 2, lambda t: -t, (x,))


def export_scale_by_sign(example):
    return torch.export.export(_ScaleBySign(), (example,))
