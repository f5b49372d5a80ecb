"""What the student's code raised, rebuilt in the judge from the worker's description (ptgrade/worker/loader.py).

The student names the class of what it raised (its process writes the description), so only an explicit allowlist
is rebuilt as itself: builtin and torch exceptions a grader may catch (`except RuntimeError` still works). Never a
class that steers pytest or the grader (a skip, an xfail, an exit, an interrupt, an AssertionError that would read
as a failed promise): those, and every other class, arrive as StudentError, a failure of the check that says what
was raised. Each carries the worker's description in `.ptgrade`.
"""
from __future__ import annotations

import functools
import sys

from ptgrade.protocol import problems


class StudentError(Exception):
    """An exception of student code whose class the judge does not rebuild."""


_REBUILT_MODULES = ("builtins", "torch")
_NEVER = {"builtins.AssertionError", "builtins.SystemExit", "builtins.KeyboardInterrupt", "builtins.GeneratorExit",
          "builtins.BaseException", "builtins.object", "builtins.Exception", "builtins.StopIteration",
          "builtins.StopAsyncIteration"}


def _steers_pytest(cls: type) -> bool:
    unittest = sys.modules.get("unittest")
    if unittest is not None and issubclass(cls, unittest.SkipTest):
        return True
    return any(base.__module__.startswith(("_pytest", "pytest", "pluggy", "unittest")) for base in cls.__mro__)


def _class(qualified: str):
    if qualified in _NEVER:
        return None
    module_name, _, qualname = qualified.rpartition(".")
    if module_name.split(".")[0] not in _REBUILT_MODULES or module_name not in sys.modules:
        return None
    found = sys.modules[module_name]
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if not (isinstance(found, type) and issubclass(found, Exception)) or _steers_pytest(found):
        return None
    if f"{found.__module__}.{found.__qualname__}" in _NEVER or issubclass(found, (AssertionError, StopIteration)):
        return None
    return found


@functools.cache
def _remote_class(cls: type) -> type:
    return type(cls.__name__, (cls,), {"__init__": BaseException.__init__,
                                       "__str__": lambda self: self.args[0] if self.args else "",
                                       "__module__": cls.__module__})


def rebuild_error(info: dict) -> BaseException:
    """The judge's exception for a description from loader.describe_error."""
    message = str(info.get("message", ""))
    if info.get("not_started"):
        error = NotImplementedError(message)
    elif info.get("missing_name"):
        error = problems.MissingName(message)
    elif info.get("implementation"):
        error = problems.ImplementationError(message)
    else:
        error = None
        mro = info.get("mro")
        for qualified in (mro if isinstance(mro, list) else [])[:64]:
            cls = _class(str(qualified))
            if cls is not None:
                try:
                    error = _remote_class(cls)(message)
                except Exception:  # noqa: BLE001 - an exotic class: fall back below
                    error = None
                break
        error = error or StudentError(message)
    error.ptgrade = info
    return error
