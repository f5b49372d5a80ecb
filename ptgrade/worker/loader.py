"""Load the file under test (in the student's process) and turn whatever it raises into data the
judge reads: one sentence a student can act on, and whether it means *not started*."""
from __future__ import annotations

import linecache
import os
import sys
import types
from pathlib import Path

from ptgrade.i18n import _
from ptgrade.protocol.problems import DISPLAY_NAMES, ImplementationError, MissingName, NotStarted, at_line, display  # noqa: F401

MAX_MESSAGE = 1500


class Implementation:
    """The module under test, seen by a grader as `impl.name`; a missing name is a clear error.

    Only dunder and `_ptgrade_` attributes live on the proxy, so no student name is shadowed.
    """

    def __init__(self, path: Path, module: types.ModuleType | None, problem: Exception | None):
        self._ptgrade_path = path
        self._ptgrade_module = module
        self._ptgrade_problem = problem

    def checked(self) -> "Implementation":
        if self._ptgrade_problem is not None:
            raise self._ptgrade_problem
        return self

    def __getattr__(self, name: str):
        if name.startswith("_ptgrade_"):
            raise AttributeError(name)
        try:
            return getattr(self._ptgrade_module, name)
        except AttributeError:
            raise MissingName(_("{file} defines no `{name}`; add it with the name and signature the stub "
                                "gives.").format(file=display(self._ptgrade_path), name=name)) from None

    def __repr__(self) -> str:
        return f"<implementation {display(self._ptgrade_path)}>"


def load(path: Path) -> Implementation:
    """Import `path` as a fresh module named after its stem; record, never raise, what goes wrong."""
    path = Path(path)
    name = path.stem
    if not path.is_file():
        return Implementation(path, None, ImplementationError(_("{file} does not exist.").format(file=display(path))))
    try:
        code = compile(path.read_bytes(), str(path), "exec")
    except SyntaxError as error:
        return Implementation(path, None, ImplementationError(
            _("{file} has a syntax error on line {line}: {error}.").format(file=display(path), line=error.lineno,
                                                                           error=error.msg)))
    module = types.ModuleType(name)
    module.__file__ = str(path)
    # Spawned worker processes (DataLoader workers, torch.multiprocessing) re-import the module by
    # name, so it must be importable: registered here and its folder at the end of sys.path.
    sys.modules[name] = module
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))
    try:
        exec(code, module.__dict__)
    except BaseException as error:  # noqa: B902 - sys.exit and timeouts in student code included
        return Implementation(path, module, _import_problem(error, path))
    return Implementation(path, module, None)


def _import_problem(error: BaseException, path: Path) -> Exception:
    where = display(path)
    if isinstance(error, NotImplementedError):
        return NotStarted(_("{file} raises NotImplementedError while being imported.").format(file=where))
    if isinstance(error, SystemExit):
        return ImplementationError(_("{file} calls sys.exit() while being imported; put script code under "
                                     "`if __name__ == \"__main__\":`.").format(file=where))
    if _is_timeout(error):
        return ImplementationError(_("{file} did not finish importing before the time limit (an infinite loop "
                                     "at module level?).").format(file=where))
    return ImplementationError(_("importing {file} raised {error}{where}.").format(
        file=where, error=_describe(error), where=_location(error, path)))


def _is_timeout(error: BaseException) -> bool:
    return type(error).__name__ == "Failed" and str(error).startswith("Timeout")


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


_KIT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_LIBRARY_DIRS = tuple({os.path.dirname(os.__file__) + os.sep, os.path.join(_KIT, "ptgrade") + os.sep,
                       os.path.join(_KIT, "graders") + os.sep,
                       *(p + os.sep for p in sys.path if p.endswith(("site-packages", "dist-packages")))})


def _raised_by_student(error: BaseException, path: Path) -> bool:
    """The exception was raised in the student's code: the file under test, or (a notebook's cells)
    any file that is neither a library, the standard library nor the kit itself."""
    tb, last = error.__traceback__, None
    while tb is not None:
        last, tb = tb, tb.tb_next
    if last is None:
        return True
    filename = last.tb_frame.f_code.co_filename
    if not (Path(filename) == path or not os.path.abspath(filename).startswith(_LIBRARY_DIRS)):
        return False
    # A C function called from the student's line leaves that line as the deepest frame: require
    # the line itself to raise NotImplementedError (a stub's `raise NotImplementedError(...)`).
    line = linecache.getline(filename, last.tb_lineno)
    return not line or "NotImplementedError" in line


def _location(error: BaseException, path: Path) -> str:
    """` (line 12: `code`)` for the deepest frame of the traceback inside the student's file."""
    tb, found = error.__traceback__, None
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename) == path:
            found = tb
        tb = tb.tb_next
    if found is None:
        return ""
    line = ""
    try:
        line = path.read_text(encoding="utf-8").splitlines()[found.tb_lineno - 1].strip()
    except (OSError, IndexError, UnicodeDecodeError):
        pass
    return at_line(found.tb_lineno, line)


def _chain(error: BaseException):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _clip(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."


def describe_error(error: BaseException, path: Path) -> dict:
    """An exception raised by student code, as data for the judge (see ptgrade/judge/outcomes.py)."""
    info = {"type": type(error).__name__,
            "mro": [f"{c.__module__}.{c.__qualname__}" for c in type(error).__mro__],
            "message": _clip(str(error)), "summary": _clip(_describe(error)), "location": _location(error, path),
            "not_started": "", "implementation": isinstance(error, ImplementationError),
            "missing_name": isinstance(error, MissingName),
            "memory": isinstance(error, MemoryError) or "can't allocate memory" in str(error)}
    for link in _chain(error):
        if isinstance(link, NotStarted):
            info["not_started"] = _clip(str(link))
            break
        # Only the student's own NotImplementedError means "not started": torch raises one too
        # (e.g. copying out of a meta tensor), and that is a mistake to report, not a stub.
        if isinstance(link, NotImplementedError) and _raised_by_student(link, path):
            text = str(link).strip()
            if text.isidentifier():  # the stubs' convention: raise NotImplementedError("name")
                text = _("`{name}` still raises NotImplementedError").format(name=text)
            info["not_started"] = _clip(text or _("your code still raises NotImplementedError"))
            break
    return info
