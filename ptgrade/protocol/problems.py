"""What can be wrong with a student's file, as every process names it: the exception classes the worker
reports and the judge rebuilds, and the file's name as the student knows it."""
from __future__ import annotations

import re
from pathlib import Path

from ptgrade import i18n


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


# -- a line of the file under test, as a message names it -------------------------------------------------------
# One form per language, written here only: the worker, the graders and the notebook path all use these, so a
# notebook can name the cell for any message in either language (integrations/notebook.py).
_LINE_FORMS = {"en": "line {line}", "ko": "{line}번째 줄"}
_LINE_PATTERNS = {"en": re.compile(r"\(line (\d+)(?=[:)])"), "ko": re.compile(r"\((\d+)번째 줄(?=[:)])")}


def at_line(line: int, code: str = "", lang: str | None = None) -> str:
    """` (line 12: `code`)`, or ` (12번째 줄: `code`)` in Korean: where in the student's file something happened."""
    form = _LINE_FORMS.get(lang or i18n.current(), _LINE_FORMS["en"]).format(line=line)
    return f" ({form}: `{code}`)" if code else f" ({form})"


def line_in(text: str) -> tuple[int, str] | None:
    """(line, code) of the first at_line() in `text`, in either language, or None."""
    for pattern in _LINE_PATTERNS.values():
        found = pattern.search(text)
        if found:
            rest = text[found.end():]
            code = re.match(r": `(.*)`\)", rest)
            return int(found.group(1)), code.group(1) if code else ""
    return None


def relocate(text: str, place) -> str:
    """Every at_line() in `text` with its place named by `place(line, lang)` instead (e.g. a notebook's cell and
    the line in it: `In [5], line 3`, `In [5], 3번째 줄`)."""
    for lang, pattern in _LINE_PATTERNS.items():
        text = pattern.sub(lambda m, lang=lang: f"({place(int(m.group(1)), lang)}", text)
    return text
