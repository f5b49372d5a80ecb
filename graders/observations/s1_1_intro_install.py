"""1.1 Introduction and installation: what the student's process observes for exercises/s1_1_intro_install.py.

What a function of the student's returns on a machine faked beside it with monkeypatch (undone before the
observation returns): torch reports a number of CUDA devices (with names), MPS present or absent, and chosen
packages stand in sys.modules with a version, or as not installed. The judge says which machine; the student's
code learns it only from what torch and sys.modules report.
"""
import importlib.abc
import importlib.machinery
import sys
import types
import warnings

import pytest
import torch
from torch.overrides import TorchFunctionMode, resolve_name

from graders.support import pristine
from graders.support.machines import fake_machine
from ptgrade.protocol.observation import observation


def _fake_module(name, version):
    """An imported package as Python knows one: in sys.modules, with a spec and a __version__."""
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    module.__version__ = version
    return module


class _BrokenInstall(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Packages that are installed but whose import fails with a plain ImportError (not ModuleNotFoundError), as a
    torchaudio or torchvision built for another torch does ("undefined symbol")."""

    def __init__(self, names):
        self.names = frozenset(names)

    def find_spec(self, name, path=None, target=None):
        return importlib.machinery.ModuleSpec(name, self) if name in self.names else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        raise ImportError(f"lib{module.__name__}.so: undefined symbol: _ZN3c1017RegisterOperatorsD1Ev "
                          "(built for another torch)")


def _install_fakes(m, cuda, mps, modules, names, broken=(), cuda_built=False):
    """The faked machine: fake_machine's CUDA devices (renamed `names`, when given) and MPS, `modules` in
    sys.modules, the packages `broken` installed but failing to import with an ImportError, and torch.version.cuda
    reading `cuda_built` (False: as it is)."""
    if cuda_built is not False:
        m.setattr(torch.version, "cuda", cuda_built)
    if cuda is not None:
        fake_machine(m, cuda, mps)
        if names is not None:
            numbered = torch.cuda.get_device_name  # fake_machine's: "Fake GPU <i>", raising for a device not there
            rename = dict(zip((f"Fake GPU {i}" for i in range(len(names))), names))
            m.setattr(torch.cuda, "get_device_name", lambda device=None: rename[numbered(device)])
            numbered_properties = torch.cuda.get_device_properties
            m.setattr(torch.cuda, "get_device_properties", lambda device=None: types.SimpleNamespace(
                **{**vars(numbered_properties(device)), "name": rename[numbered(device)]}))
    for name, version in modules:
        m.setitem(sys.modules, name, None if version is None else _fake_module(name, version))
    if broken:
        for name in broken:
            m.delitem(sys.modules, name, raising=False)
        m.setattr(sys, "meta_path", [_BrokenInstall(broken), *sys.meta_path])


@observation
def faked_machine_call(impl, function: str, args: tuple, machine):
    """impl.<function>(*args) on the machine `machine` describes (sealed: pristine.seal of (cuda, mps, modules,
    names, broken, cuda_built)): torch reports `cuda` CUDA devices (named `names`, else "Fake GPU <i>") and MPS or not (cuda None:
    this machine as it is), each (name, version) of `modules` stands in sys.modules (version None: not installed), and
    each name in `broken` is installed but its import raises ImportError (torch.version.cuda reads `cuda_built`
    unless it is False); what it returned. The description is
    unsealed, which wipes it from the worker's request, and dropped from this frame before the call: the student's
    code learns the machine only from what torch and sys.modules report. Everything faked is undone before this
    returns."""
    call = getattr(impl, function)
    with pytest.MonkeyPatch.context() as m:
        _install_fakes(m, *pristine.unseal(machine))
        del function, machine
        return call(*args)


# -- eager against a captured graph: the functions the student's trace_graph captures (module level: they travel to
# the student's code by name) --

def _scale_by_sign(t):
    if t.sum() > 0:
        return t * 2
    return -t


def _flip_or_square(t):
    if t[0] > t[-1]:
        return t.flip(0) + 1
    return t * t


_EXPORTED_PROGRAM = torch.export.ExportedProgram  # taken before the student's file is imported


@observation
def traced_outputs(impl, fn, example, inputs):
    """trace_graph(fn, example), then what the captured graph returns on each of `inputs` (the warnings of tracing,
    expected in this lesson, silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        captured = impl.trace_graph(fn, example)
        return [pristine.snapshot(captured(x)) for x in inputs]


@observation
def exported_outputs(impl, example, inputs):
    """export_scale_by_sign(example): the class of what it returned, and when that is an ExportedProgram, what
    program.module() returns on each of `inputs`."""
    program = impl.export_scale_by_sign(example)
    if not pristine.is_instance(program, _EXPORTED_PROGRAM):
        return {"kind": pristine.class_name(program), "outputs": None}
    module = program.module()
    return {"kind": "ExportedProgram", "outputs": [pristine.snapshot(module(x)) for x in inputs]}


class _MadeTensors(TorchFunctionMode):
    """Records, for every torch function the student's code calls itself while active, its name and the device of the
    tensor it returned (inside a torch function the mode is off)."""

    def __init__(self):
        super().__init__()
        self.made = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if pristine.is_tensor(out):
            self.made.append((resolve_name(func) or getattr(func, "__qualname__", repr(func)),
                              str(pristine.tensor_attr(out, "device").type)))
        return out


@observation
def smoke_test_devices(impl, device):
    """smoke_test(device), recording the torch functions it called and the device of each tensor they returned: a
    tensor made on the CPU is named (what the student's process says; it can only fail the check)."""
    with _MadeTensors() as seen:
        impl.smoke_test(device)
    return seen.made
