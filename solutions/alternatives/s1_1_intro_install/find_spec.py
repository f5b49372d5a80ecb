"""1.1 written another way: find_spec before importing, device properties, a report built step by step, a trace
with its warnings silenced and checks off, and an export of torch.where (both branches computed) in non-strict mode."""
import importlib
import importlib.util
import sys
import warnings

import torch


def package_version(name):
    if importlib.util.find_spec(name) is None:
        return None
    try:
        module = importlib.import_module(name)
    except ImportError:  # installed but broken (built for another torch) counts as missing
        return None
    return f"{module.__version__}"


def best_device():
    order = [("cuda", torch.cuda.is_available()), ("mps", torch.backends.mps.is_available())]
    chosen = next((kind for kind, present in order if present), "cpu")
    return torch.device(chosen)


def environment_report():
    report = {"python": "{}.{}.{}".format(*sys.version_info[:3])}
    for package in ("torch", "torchvision", "torchaudio"):
        report[package] = package_version(package)
    report["cuda_built"] = torch.version.cuda
    report["cuda_available"] = bool(torch.cuda.is_available())
    report["mps_available"] = bool(torch.backends.mps.is_available())
    names = []
    if report["cuda_available"]:
        for index in range(torch.cuda.device_count()):
            names.append(torch.cuda.get_device_properties(index).name)
    report["device_count"] = len(names)
    report["device_names"] = names
    report["best_device"] = str(best_device().type)
    return report


def smoke_test(device):
    x = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], device=device)
    return torch.mm(x, x.t())


def scale_by_sign(x):
    if x.sum() > 0:
        return x * 2
    return -x


def trace_graph(fn, example):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the deprecation and the TracerWarning: expected here
        return torch.jit.trace(fn, example_inputs=example, check_trace=False)


class SignScaler(torch.nn.Module):
    def forward(self, x):
        positive = x.sum() > 0
        return torch.where(positive, 2 * x, x.neg())


def export_scale_by_sign(example):
    return torch.export.export(SignScaler().eval(), args=(example,), strict=False)
