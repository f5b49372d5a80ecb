"""Notebooks: a notebook's code, exported to the module the judge grades, and what its test cells call.

A notebook is graded exactly like a .py file: its code cells are exported (`export`) to a temporary
`<module>.py` that goes through `runner.grade`, so the student's code runs only in the sandboxed
worker and every verdict comes from the judge. Nothing that runs in the notebook's kernel decides a
score, so no cell can change a grade by patching what the test cells call.

- Under `nbgrader autograde`, the preprocessor `ptgrade.integrations.nbgrader.JudgeCells` (after nbgrader's
  `Execute`) exports the submitted notebook, grades it once and writes each test cell's output
  from that result. That grade is the authoritative one.
- In Jupyter, a test cell calls `run_check(item_id, check, globals())` for immediate feedback,
  which is advisory (see its docstring). Under autograde it returns at once.

`collect` lists an item's checks (for `ptgrade nbgrader build`) by running the judge with
`--collect-only`: no student code and no worker is involved.
"""
from __future__ import annotations

import ast
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ptgrade.course import manifest as manifest_module
from ptgrade.course.manifest import Item, Manifest
from ptgrade.host import runner
from ptgrade.i18n import _
from ptgrade.protocol import problems
from ptgrade.protocol.results import CheckResult, ItemResult, Outcome

# Cell magics whose body is Python run in the kernel: the export keeps the body.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
PYTHON_LINE_MAGICS = {"time", "timeit", "prun"}


def _outcome_words(outcome: str) -> str:
    words = {Outcome.FAILED: _("failed"), Outcome.NOT_STARTED: _("not started"), Outcome.ERROR: _("error"),
             Outcome.SKIPPED: _("skipped (no points where it cannot run)")}
    return words.get(outcome, outcome)


def _advisory() -> str:
    return _("(graded from the cells this kernel has run, in that order; after editing or deleting cells, "
             "use Restart & Run All to see what `nbgrader autograde` will grade)")


# -- export -----------------------------------------------------------------------------------------
@dataclass
class Export:
    """A notebook's code as one module: `code`, where each cell starts in it, and the cells left out."""
    code: str = ""
    starts: list[tuple[int, str]] = field(default_factory=list)   # (first line of the cell, label)
    left_out: list[str] = field(default_factory=list)              # "In [4] (invalid syntax, line 2)"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.code.encode("utf-8")).hexdigest()

    def where(self, line: int, lang: str = "en") -> str:
        """`In [5], line 3` (`In [5], 3번째 줄`) for a line of the exported module."""
        for start, label in reversed(self.starts):
            if line >= start:
                return f"{label}, {problems.at_line(line - start + 1, lang=lang)[2:-1]}"
        return problems.at_line(line, lang=lang)[2:-1]


def export(cells: list[tuple[str, str]]) -> Export:
    """One module from code cells, given as (label, source) in running order.

    IPython magics and shell lines become `pass` (`%time`, `%%time`, `%%capture` and the like keep
    the Python they time), and Jupyter's `display` and `get_ipython` are defined where used (the
    latter as a shell that does nothing); top-level statements that touch `run_check` (the test cells' plumbing) are
    left out; a cell that is not valid Python is left out, as it did nothing in the kernel either.
    """
    result, lines = Export(), ["# The code cells of a notebook, exported by ptgrade (ptgrade/integrations/notebook.py)"]
    for label, source in cells:
        text, problem = _python(source)
        if problem:
            result.left_out.append(f"{label} ({problem})")
            continue
        if not text.strip():
            continue
        lines.append(f"# -- {label} --")
        result.starts.append((len(lines) + 1, label))
        lines.extend(text.split("\n"))
        lines.append("")
    code = "\n".join(lines) + "\n"
    preamble = [line for name, text in PREAMBLES.items() if re.search(rf"\b{name}\b", code)
                for line in text.split("\n")]
    result.code = "\n".join(preamble + [code])
    result.starts = [(start + len(preamble), label) for start, label in result.starts]
    return result


# Names a kernel defines that a module lacks, bound only where the code uses them.
PREAMBLES = {
    "display": "try:\n    from IPython.display import display\nexcept ImportError:\n    display = print",
    "get_ipython": ("class _NoShell:  # get_ipython() outside a kernel: a shell that does nothing\n"
                    "    def __getattr__(self, name): return self\n"
                    "    def __call__(self, *args, **kwargs): return self\n"
                    "def get_ipython(): return _NoShell()"),
}


def _python(source: str) -> tuple[str, str]:
    """(the cell as plain Python, '') or ('', why it is left out)."""
    text = _ipython_to_python(source)
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        return "", _("not valid Python: {error}, line {line}").format(error=error.msg, line=error.lineno)
    lines = text.split("\n")
    replaced: dict[int, list[str]] = {}
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _touches_run_check(node):
            for number in range(node.lineno, node.end_lineno + 1):
                replaced[number] = [""]   # blank, so the cell's other lines keep their numbers
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and node.lineno not in replaced and _magic(node) is not None:
            indent = " " * node.col_offset
            kind, name, body = _magic(node)
            if kind == "run_line_magic" and name in PYTHON_LINE_MAGICS and "\n" not in body:
                replaced[node.lineno] = [indent + body.strip()]
            elif kind == "run_cell_magic" and name in PYTHON_CELL_MAGICS and node in tree.body:
                inner, problem = _python(body)
                replaced[node.lineno] = ["pass"] if problem else inner.split("\n")
            else:
                replaced[node.lineno] = [indent + "pass"]
            for number in range(node.lineno + 1, node.end_lineno + 1):
                replaced[number] = [""]
    out = []
    for number, line in enumerate(lines, 1):
        out.extend(replaced.get(number, [line]))
    return "\n".join(out).rstrip(), ""


def _ipython_to_python(source: str) -> str:
    """IPython syntax (`%magic`, `!shell`, `name?`) as the calls IPython makes of it; the kernel's
    input history (`In`) already holds this form."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - IPython missing, or input it cannot transform: take it as it is
        return source


def _magic(node: ast.Expr) -> tuple[str, str, str] | None:
    """(method, magic name, its text) for a statement `get_ipython().method(...)`, else None."""
    call = node.value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
            and call.func.value.func.id == "get_ipython"):
        return None
    strings = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if call.func.attr == "run_line_magic" and len(strings) == 2:
        return "run_line_magic", strings[0], strings[1]
    if call.func.attr == "run_cell_magic" and len(strings) == 3:
        return "run_cell_magic", strings[0], strings[2]
    return call.func.attr, "", ""


def _touches_run_check(node: ast.AST) -> bool:
    """The statement names `run_check` or imports ptgrade.integrations.notebook (a test cell's plumbing)."""
    for n in ast.walk(node):
        names = {getattr(n, "id", None), getattr(n, "attr", None), getattr(n, "name", None)}
        if "run_check" in names:
            return True
        if isinstance(n, (ast.Import, ast.ImportFrom)) and any(
                "ptgrade.integrations.notebook" in name
                for name in [getattr(n, "module", None) or ""] + [a.name for a in n.names]):
            return True
    return False


# -- grading ----------------------------------------------------------------------------------------
_CHECKS: dict[tuple[str, str], list[dict]] = {}


def collect(manifest: Manifest, item: Item) -> list[dict]:
    """The item's checks (name, dimension, max_score, gpu), in grader order, as the judge collects
    them (`--collect-only`, no worker started, no student code imported)."""
    key = (str(manifest.root), item.id)
    if key not in _CHECKS:
        _CHECKS[key] = runner.collect(manifest, item)
    return [dict(check) for check in _CHECKS[key]]


def grade(manifest: Manifest, item: Item, exported: Export, display: str,
          only: list[str] | None = None) -> ItemResult:
    """Grade exported notebook code like a student's .py file: `runner.grade` on a temporary
    `<module>.py`, messages naming the notebook `display` and its cells."""
    with tempfile.TemporaryDirectory(prefix="ptgrade-notebook-") as folder:
        path = Path(folder) / item.file_name
        path.write_text(exported.code, encoding="utf-8")
        result = runner.grade(manifest, item, path, only=only, display=display)
    for check in result.checks:
        check.message = _cells_named(check.message, exported)
    return result


def _cells_named(message: str, exported: Export) -> str:
    """`(line 40: ...` in a message about the exported module -> `(In [5], line 3: ...` (in either language)."""
    return problems.relocate(message, exported.where)


def message(check: CheckResult, exported: Export | None = None) -> str:
    """What a student reads for a check that did not pass."""
    text = f"{check.name}: {_outcome_words(check.outcome)}: {check.message}"
    if exported is not None and exported.left_out:
        text += "\n" + _("(left out of grading, not valid Python: {cells})").format(cells="; ".join(exported.left_out))
    return text


_RESULTS: dict[tuple[str, str, str], ItemResult] = {}   # (kit, item, code digest): the latest gradings
_KEEP_RESULTS = 8


def run_check(item_id: str, check: str, namespace: dict) -> None:
    """Feedback in Jupyter on one check of item `item_id`: return quietly when it passes, raise
    AssertionError with the student-facing message otherwise.

    This result is ADVISORY. The code graded is rebuilt from the kernel's input history
    (`namespace["In"]`, cells that call run_check left out), exported as in `export` and graded by
    the judge and its sandboxed worker like a .py file; the whole item is graded once per version of
    that code (cached by its hash), so a notebook's test cells cost one grading. Under `nbgrader
    autograde` (NBGRADER_EXECUTION == "autograde") it returns at once without grading: the
    preprocessor `ptgrade.integrations.nbgrader.JudgeCells` grades the submitted notebook itself and writes every
    test cell's outcome, and that is the AUTHORITATIVE grade (whatever this function did or was
    replaced with in the kernel is discarded).
    """
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return
    history = namespace.get("In")
    if not isinstance(history, list):
        raise RuntimeError(_("run_check grades a notebook from its Jupyter kernel's input history (`In`), which "
                             "this namespace lacks; outside Jupyter, grade a .py file with `ptgrade check`."))
    manifest = manifest_module.load()
    item = manifest.item(item_id)
    exported = export([(f"In [{number}]", source) for number, source in enumerate(history)
                       if number and isinstance(source, str)])
    key = (str(manifest.root), item.id, exported.digest)
    result = _RESULTS.get(key)
    if result is None:
        only = [c["name"] for c in collect(manifest, item) if not c["gpu"]]
        result = grade(manifest, item, exported, f"{item.module_name}.ipynb", only)
        if result.problem:
            raise RuntimeError(result.problem)
        while len(_RESULTS) >= _KEEP_RESULTS:
            _RESULTS.pop(next(iter(_RESULTS)))
        _RESULTS[key] = result
    found = next((c for c in result.checks if c.name == check), None)
    if found is None:
        raise RuntimeError(_("Item {id}'s grader has no check {check} (this notebook is older than the kit's "
                             "graders); this is a problem with the kit, not your code.").format(
                                 id=item.id, check=check))
    if found.outcome != Outcome.PASSED:
        raise AssertionError(f"{message(found, exported)}\n{_advisory()}") from None
