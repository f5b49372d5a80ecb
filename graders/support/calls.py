"""Which torch functions the student's code calls: for exercises that ask for something by hand
(softmax, conv2d, attention, an LSTM cell), so calling torch's own version is reported, not silently
accepted. `torch_functions_called` is an observation: it runs in the worker and returns names only;
each grader decides against its own list of what the docstring forbids."""
from __future__ import annotations

from torch.overrides import TorchFunctionMode, resolve_name

from ptgrade.protocol.observation import observation


class _TorchCalls(TorchFunctionMode):
    """Records the torch functions called while it is active, by torch.overrides.resolve_name (the calls
    the student's code makes itself: inside a torch function the mode is off)."""

    def __init__(self):
        super().__init__()
        self.names = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.names.append(resolve_name(func) or getattr(func, "__qualname__", repr(func)))
        return func(*args, **(kwargs or {}))


@observation
def torch_functions_called(impl, name, *args, **kwargs) -> list:
    """The torch functions the student's `name`(*args, **kwargs) called, in first-call order."""
    with _TorchCalls() as calls:
        getattr(impl, name)(*args, **kwargs)
    return list(dict.fromkeys(calls.names))
