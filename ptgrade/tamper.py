"""The tamper guard: student code runs in the grader's process, so it could replace
`torch.testing.assert_close`, a builtin or the grader's own helpers and make every check pass.
The guard snapshots those namespaces before student code is imported and, after the import and
after each check, puts back anything replaced and reports it as an error of that check."""
from __future__ import annotations

import os
import sys

import torch

from ptgrade.loader import ImplementationError

WATCHED_MODULES = ("builtins", "pytest", "torch", "torch.nn", "torch.nn.functional", "torch.testing",
                   "torch.autograd", "torch.optim", "torch.linalg", "numpy", "numpy.testing", "math")
# The grader's helpers, and pytest's own machinery that turns a check into a report.
WATCHED_PREFIXES = ("ptgrade", "graders.support", "_pytest", "pluggy")


class TamperError(ImplementationError):
    pass


def _public(key: str) -> bool:
    """Watch public names and dunders; single-underscore internals change for legitimate reasons."""
    return not key.startswith("_") or (key.startswith("__") and key.endswith("__"))


class Guard:
    def __init__(self):
        import torch
        self.namespaces: dict[str, tuple[object, dict]] = {}
        for name in WATCHED_MODULES:
            if name in sys.modules:
                self._watch(name, sys.modules[name])
        for name, module in list(sys.modules.items()):
            if name.startswith(WATCHED_PREFIXES) and module is not None:
                self._watch(name, module)
        for cls in (torch.Tensor, torch.nn.Module, torch.nn.Parameter):
            self._watch(f"{cls.__module__}.{cls.__qualname__}", cls)

    def _watch(self, label: str, owner: object) -> None:
        snapshot = {k: v for k, v in vars(owner).items() if _public(k) and k != "_"}
        self.namespaces[label] = (owner, snapshot)

    def _replaced(self, owner: object, snapshot: dict) -> list[str]:
        current = vars(owner)
        return [key for key, value in snapshot.items()
                if current.get(key, _MISSING) is not value and not _library_wrapper(current.get(key), value)]

    def changes(self) -> list[str]:
        """Names replaced or deleted since the snapshot."""
        return [f"{label}.{key}" for label, (owner, snapshot) in self.namespaces.items()
                for key in self._replaced(owner, snapshot)]

    def restore(self) -> None:
        for owner, snapshot in self.namespaces.values():
            for key in self._replaced(owner, snapshot):
                setattr(owner, key, snapshot[key])


    def verify(self, when: str) -> None:
        changed = self.changes()
        if changed:
            self.restore()
            names = ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")
            raise TamperError(f"your code replaced {names} {when}; graded code must not patch "
                              "torch, Python's builtins or the grader.")


def _library_wrapper(new: object, old: object) -> bool:
    """Libraries replace a few torch functions on first use: torch._dynamo wraps `torch.manual_seed`
    and swaps `nn.Module.__init__` on the first compile, pytorch_lightning wraps `torch.compile`.
    Accepted: a wrapper holding the original as `__wrapped__` whose code lives in an installed package,
    or a replacement made by torch._dynamo itself. Code in the student's file is never accepted."""
    code = getattr(new, "__code__", None)
    if code is None:
        return False
    if getattr(new, "__wrapped__", None) is old and code.co_filename.startswith(_LIBRARY_DIRS):
        return True
    return code.co_filename.startswith(_DYNAMO_DIR)


_MISSING = object()
_DYNAMO_DIR = os.path.join(os.path.dirname(torch.__file__), "_dynamo") + os.sep
_LIBRARY_DIRS = tuple({os.path.dirname(os.path.dirname(torch.__file__)) + os.sep,
                       *(p + os.sep for p in sys.path if p.endswith(("site-packages", "dist-packages")))})
