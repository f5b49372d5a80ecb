"""1.1 Introduction and installation: what the student's process observes for exercises/s1_1_intro_install.py.

What a function of the student's returns on a machine faked beside it with monkeypatch (undone before the
observation returns): torch reports a number of CUDA devices (with names), MPS present or absent, and chosen
packages stand in sys.modules with a version, or as not installed. The judge says which machine; the student's
code learns it only from what torch and sys.modules report.
"""
import importlib.machinery
import sys
import types

import pytest
import torch

from graders.support import pristine
from graders.support.machines import fake_machine
from ptgrade.protocol.observation import observation


def _fake_module(name, version):
    """An imported package as Python knows one: in sys.modules, with a spec and a __version__."""
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    module.__version__ = version
    return module


def _install_fakes(m, cuda, mps, modules, names):
    """The faked machine: fake_machine's CUDA devices (renamed `names`, when given) and MPS, and `modules` in
    sys.modules."""
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


@observation
def faked_machine_call(impl, function: str, args: tuple, machine):
    """impl.<function>(*args) on the machine `machine` describes (sealed: pristine.seal of (cuda, mps, modules,
    names)): torch reports `cuda` CUDA devices (named `names`, else "Fake GPU <i>") and MPS or not (cuda None: this
    machine as it is) and each (name, version) of `modules` stands in sys.modules (version None: not installed);
    what it returned. The description is unsealed, which wipes it from the worker's request, and dropped from this
    frame before the call: the student's code learns the machine only from what torch and sys.modules report.
    Everything faked is undone before this returns."""
    call = getattr(impl, function)
    with pytest.MonkeyPatch.context() as m:
        _install_fakes(m, *pristine.unseal(machine))
        del function, machine
        return call(*args)
