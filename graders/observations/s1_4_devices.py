"""1.4 Devices: what the student's process observes for exercises/s1_4_devices.py.

The student's functions run here on a machine faked with monkeypatch (torch reports the CUDA devices and MPS the
judge asks for, undone before the observation returns), with Tensor.pin_memory counting its calls, or on a model
built here (an nn.Module cannot travel): what they returned, and where each parameter and buffer of the model
ended up, read from torch's C++ tensors (graders/support/pristine.py).
"""
import pytest
import torch
from torch import nn

from graders.support import pristine
from graders.support.machines import fake_machine
from ptgrade.protocol.observation import observation


def _model():
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))


def _devices(module) -> list:
    """(kind, name, device type) of every parameter and buffer of `module`, read from the module tree as Python
    stores it and from torch's C++ tensors (graders/support/pristine.py): not named_parameters(), named_buffers()
    or Tensor.device, which the student's process may have patched."""
    return [(kind, name, pristine.device_type(tensor)) for kind, name, tensor in pristine.module_tensors(module)]


# -- observations: the student's code run beside it, on a faked machine or on a live model -----------

@observation
def faked_machine_call(impl, function: str, args: tuple, machine):
    """impl.<function>(*args) while torch reports the CUDA devices and MPS `machine` describes (sealed: pristine.seal
    of (cuda, mps)); what it returned. The description is unsealed, which wipes it from the worker's request, and
    dropped from this frame before the call: the student's code learns the machine only from what torch reports."""
    call = getattr(impl, function)
    with pytest.MonkeyPatch.context() as m:
        fake_machine(m, *pristine.unseal(machine))
        del function, machine
        return call(*args)


_TENSOR_TO, _TENSOR_CUDA = torch.Tensor.to, torch.Tensor.cuda


def _copy_to_faked_cuda(func, args, kwargs):
    """For a call a torch function mode sees: when it is Tensor.to with a CUDA target, or Tensor.cuda, (a meta copy
    standing for the CUDA one, whether non_blocking was asked for); None for any other call."""
    if not args or not pristine.is_tensor(args[0]):
        return None
    if func is _TENSOR_TO:
        options = {key: value for key, value in kwargs.items() if key != "copy"}
        device, dtype, non_blocking, _ = torch._C._nn._parse_to(*args[1:], **options)
        if device is None or device.type != "cuda":
            return None
        return (func(args[0], "meta") if dtype is None else func(args[0], "meta", dtype)), bool(non_blocking)
    if func is _TENSOR_CUDA:  # tensor.cuda(device, non_blocking)
        return _TENSOR_TO(args[0], "meta"), bool(kwargs.get("non_blocking", args[2] if len(args) > 2 else False))
    return None


@observation
def to_device_on_faked_cuda(impl, batch):
    """to_device(batch, torch.device("cuda")) on a machine faked with one CUDA device, while a torch function mode
    (pushed through torch's compiled functions) answers every Tensor.to whose target is CUDA, and Tensor.cuda, with a
    copy on the meta device, recording whether it was asked for non_blocking: the moved structure and those flags. The judge reads the
    meta tensors that come back (each went through a copy to CUDA); a flag only ever names a failure."""
    flags = []

    def handler(func, types, args, kwargs):
        copied = _copy_to_faked_cuda(func, args, kwargs)
        if copied is None:
            return func(*args, **kwargs)
        flags.append(copied[1])
        return copied[0]

    with pytest.MonkeyPatch.context() as m:
        fake_machine(m, 1)
        with pristine.function_mode(handler):
            moved = impl.to_device(batch, torch.device("cuda"))
    return {"moved": moved, "non_blocking": list(flags)}


@observation
def move_model_devices(impl, device):
    """move_model(model, device) for a fresh _model(): whether it returned that model itself (and if not, the class
    of what it returned and whether it is an nn.Module), and where each parameter and buffer of the model is before
    the call, and of the returned model and of the model passed in after it."""
    model = _model()
    before = _devices(model)
    moved = impl.move_model(model, device)
    is_module = pristine.is_instance(moved, nn.Module)
    return {"same": moved is model, "type": pristine.class_name(moved), "is_module": is_module, "before": before,
            "model": _devices(model), "returned": _devices(moved) if is_module else []}


@observation
def stage_counting_pins(impl, x, devices: list, cuda: int | None = None, pin: bool = False):
    """stage_for_device(x, d) for each d while Tensor.pin_memory counts its calls (pin: and pins for real, else it
    returns the tensor as it is) and, unless cuda is None, torch reports `cuda` CUDA devices: the results, how many
    times pin_memory was called, and whether each CPU result is in pinned memory. A torch function mode (pushed
    through torch's compiled functions) counts the calls that reach TensorBase.pin_memory by any other path (a
    reference taken before the grader patched it), so the count is not the patched name's alone. On a faked machine
    (cuda not None) pin_memory returns a new tensor standing for the pinned one, and each copy to CUDA (Tensor.to or
    Tensor.cuda) is answered with a meta tensor: `copies` records, per copy, whether it asked for non_blocking and
    whether it copied a tensor pin_memory returned."""
    pinned, stand_ins, copies = [], [], []

    def counting_pin(self, *a, **k):
        pinned.append(1)
        if pin:
            return pristine.tensor_method("pin_memory", inside_mode=True)(self, *a)
        if cuda is None:
            return self
        stand_ins.append(pristine.tensor_method("clone", inside_mode=True)(self))
        return stand_ins[-1]

    def handler(func, types, args, kwargs):
        if func is counting_pin:  # TensorBase.pin_memory reached from C: torch passes Tensor.pin_memory, ours
            return counting_pin(*args, **kwargs)
        copied = _copy_to_faked_cuda(func, args, kwargs) if cuda is not None else None
        if copied is None:
            return func(*args, **kwargs)
        copies.append((copied[1], any(args[0] is stand_in for stand_in in stand_ins)))
        return copied[0]

    with pytest.MonkeyPatch.context() as m:
        if cuda is not None:
            fake_machine(m, cuda)
        m.setattr(torch.Tensor, "pin_memory", counting_pin)
        with pristine.function_mode(handler):
            results = [impl.stage_for_device(x, device) for device in devices]
    in_pinned_memory = [pristine.device_type(r) == "cpu" and pristine.tensor_method("is_pinned")(r)
                        if pristine.is_tensor(r) else False for r in results]
    return {"results": results, "pinned": pinned.__len__(), "in_pinned_memory": in_pinned_memory, "copies": copies}


@observation
def batch_and_model_on(impl, state, batch, device):
    """to_device(batch, device), then move_model(model, device) for an eval-mode _model() holding `state`: the
    moved batch, where the returned model's parameters and buffers are, and that model (a handle)."""
    model = _model()
    model.load_state_dict(state)
    model.eval()
    moved = impl.to_device(batch, device)
    model = impl.move_model(model, device)
    return {"moved": moved, "devices": _devices(model), "model": model}
