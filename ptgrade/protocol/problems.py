"""What can be wrong with a student's file, as every process names it: the exception classes the worker
reports and the judge rebuilds, and the file's name as the student knows it."""
from __future__ import annotations

from pathlib import Path


class NotStarted(Exception):
    """The student's code raised NotImplementedError: the stub is untouched."""


class ImplementationError(Exception):
    """The file under test cannot be used as it is (missing, syntax error, crash at import, patching)."""


class MissingName(ImplementationError, AttributeError):
    """The graded name is not defined in the file (an AttributeError, so `hasattr` still works)."""


# The worker grades a copy of the student's file; messages name the original.
DISPLAY_NAMES: dict[str, str] = {}


def display(path: Path) -> str:
    """A path as the student knows it: relative to the current folder where possible."""
    if str(path) in DISPLAY_NAMES:
        return DISPLAY_NAMES[str(path)]
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
