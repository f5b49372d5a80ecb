"""`ptgrade nbgrader build`: an nbgrader course with one assignment (one notebook) per item.

A notebook holds, in order:
- the stub's module docstring (the task) as a markdown cell;
- the stub's other top-level code (imports, constants) as it is;
- one cell per top-level function or class of the stub, keeping its signature and docstring, with
  the reference body from solutions/ between nbgrader's `### BEGIN SOLUTION` / `### END SOLUTION`
  markers; `generate_assignment` replaces each region with `raise NotImplementedError()`. Code the
  stub gives without a NotImplementedError is copied as it is. Helpers and imports only the
  reference has are inlined in the regions that use them, so none is left in the student release;
- one locked, autograded test cell per check, worth its @pytest.mark.points, calling
  `ptgrade.integrations.notebook.run_check`: advisory feedback in Jupyter, from the same judge.

Scores come from the judge, never from the kernel. The course config puts `JudgeCells` into
nbgrader's autograde preprocessors, right after `Execute`: it exports the executed notebook's code
cells to a temporary `<module>.py`, grades it once with `runner.grade` (the judge and its sandboxed
worker, as for a .py file) and rewrites every test cell's outputs from that result (none for a
passed check, one `error` with the student-facing message otherwise), discarding whatever the
kernel printed there. `SaveAutoGrades` then scores those outputs, so no cell can earn points by
replacing `run_check`, hiding tracebacks or printing into a test cell.

Checks marked `gpu` get no test cell: nbgrader gives points to a cell that raises nothing, so a
skipped check would be free points on a CPU-only grader, and a failing one would take points a
student cannot earn there. `ptgrade check --device cuda` grades them where CUDA exists.
"""
from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from ptgrade.course import manifest as manifest_module
from ptgrade.course.manifest import Item, Manifest
from ptgrade.i18n import _
from ptgrade.integrations import notebook
from ptgrade.protocol.results import Outcome

SCHEMA_VERSION = 3
CODE_STUB = "raise NotImplementedError()"
EXECUTE_MARGIN = 60  # seconds a test cell may take beyond the item's per-check timeout

CONFIG = '''\
# Written by `ptgrade nbgrader build`. Autograde grades each notebook with the kit's judge
# (ptgrade.integrations.nbgrader.JudgeCells, after nbgrader's Execute), so ptgrade must be importable by nbgrader
# and by the kernel (and PTGRADE_ROOT set, or the kit installed in editable mode, so that it finds
# curriculum.toml and graders/).
import os

from ptgrade.integrations.nbgrader import autograde_preprocessors

os.environ.setdefault("PTGRADE_LANG", "{lang}")  # feedback in the course's language (the kernel inherits it)
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "ptgrade"
c.ClearSolutions.code_stub = {{"python": {stub}}}
c.Execute.timeout = {timeout}
c.Autograde.autograde_preprocessors = autograde_preprocessors()
'''


class BuildError(Exception):
    """A stub and its reference solution cannot be put in one notebook; the message says why."""


def build(manifest: Manifest, course: Path, items: list[Item], lang: str = "en") -> list[Path]:
    """Write `course`/nbgrader_config.py and `course`/source/<module>/<module>.ipynb per item, with the
    lesson text and feedback in `lang`."""
    course.mkdir(parents=True, exist_ok=True)
    timeout = max(item.timeout for item in items) + EXECUTE_MARGIN
    (course / "nbgrader_config.py").write_text(
        CONFIG.format(stub=json.dumps(CODE_STUB), timeout=timeout, lang=lang), encoding="utf-8")
    written = []
    for item in items:
        checks = [check for check in notebook.collect(manifest, item) if not check["gpu"]]
        path = course / "source" / item.module_name / f"{item.module_name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(item_notebook(manifest, item, checks, lang), str(path))
        written.append(path)
    return written


def item_notebook(manifest: Manifest, item: Item, checks: list[dict], lang: str = "en") -> nbformat.NotebookNode:
    stub_path = manifest.stubs_dir(lang) / item.file_name
    solution_path = manifest.solutions_dir / item.file_name
    stub, solution = _Source(stub_path), _Source(solution_path)
    cells = [nbformat.v4.new_markdown_cell(inspect.cleandoc(ast.get_docstring(stub.tree) or item.title_in(lang)),
                                           metadata=_meta("task_description", locked=True))]
    extras = _reference_only(stub, solution)
    for node, source in stub_cells(stub):
        if node is None:
            cells.append(nbformat.v4.new_code_cell(source))
            continue
        source, is_task = _task_cell(node, stub, solution, extras)
        cells.append(nbformat.v4.new_code_cell(
            source, metadata=_meta(f"task_{node.name}", solution=True) if is_task else {}))
    for check in checks:
        code = (f'from ptgrade.integrations.notebook import run_check\n'
                f'run_check({item.id!r}, {check["name"]!r}, globals())')
        cells.append(nbformat.v4.new_code_cell(code, metadata=_meta(
            check["name"], grade=True, locked=True, points=check["max_score"])))
    return nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})


def stub_cells(stub: _Source) -> list[tuple[ast.stmt | None, str]]:
    """The stub's top-level code as notebook cells, in order: (None, source) for a run of plain statements
    (imports, constants) between definitions, (node, its source as written) for each top-level def or class.
    Shared by this course's notebooks and the self-study ones (integrations/selfstudy.py)."""
    cells: list[tuple[ast.stmt | None, str]] = []
    plain: list[str] = []
    for node in _statements(stub.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if plain:
                cells.append((None, "\n".join(plain).strip()))
                plain = []
            cells.append((node, stub.segment(node)))
        else:
            plain.append(stub.segment(node))
    if plain:
        cells.append((None, "\n".join(plain).strip()))
    return cells


class GradingProblem(Exception):
    """The judge could not grade a notebook (a problem with the kit or the course, not the student's
    code): autograde of that submission fails loudly instead of recording zeros."""


def autograde_preprocessors() -> list:
    """nbgrader's own autograde preprocessors, with `JudgeCells` right after `Execute`."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    at = steps.index(Execute) + 1 if Execute in steps else len(steps)
    return steps[:at] + [JudgeCells] + steps[at:]


def is_test_cell(cell) -> bool:
    """An autograded test cell: a code cell nbgrader grades that is not a student's answer."""
    data = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(data.get("grade")) and not data.get("solution")


class JudgeCells(Preprocessor):
    """The authoritative grade of a notebook under `nbgrader autograde` (after `Execute`, before
    `SaveAutoGrades`): its code cells but the test cells, exported as ptgrade.integrations.notebook.export does,
    graded once by the judge; each test cell (grade_id = check name) gets no output when its check
    passed and one `error` output with the student-facing message otherwise. What the kernel left in
    test cells is discarded. A notebook whose name is no item's module is left as it is."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled; this one always runs

    def preprocess(self, nb, resources):
        name = (resources.get("nbgrader") or {}).get("notebook") or resources.get("unique_key")
        manifest = manifest_module.load()
        item = next((i for i in manifest.items if i.module_name == name), None)
        tests = [cell for cell in nb.cells if is_test_cell(cell)]
        if item is None:
            self.log.warning("ptgrade: %s is no item's notebook; its test cells keep what the kernel did", name)
            return nb, resources
        if not tests:
            return nb, resources
        exported = notebook.export([
            (f"In [{cell.execution_count}]" if cell.get("execution_count") else f"cell {index}", cell.source)
            for index, cell in enumerate(nb.cells, 1) if cell.cell_type == "code" and not is_test_cell(cell)])
        wanted = {cell.metadata["nbgrader"].get("grade_id") for cell in tests}
        only = [c["name"] for c in notebook.collect(manifest, item) if not c["gpu"] and c["name"] in wanted]
        checks = {}
        if only:
            self.log.info("ptgrade: grading %s (item %s, %d checks) with the judge", name, item.id, len(only))
            result = notebook.grade(manifest, item, exported, f"{name}.ipynb", only)
            if result.problem:
                raise GradingProblem(_("{notebook} could not be graded: {problem}").format(
                    notebook=f"{name}.ipynb", problem=result.problem))
            checks = {check.name: check for check in result.checks}
        for cell in tests:
            grade_id = cell.metadata["nbgrader"].get("grade_id")
            check = checks.get(grade_id)
            if check is None:
                cell.outputs = [_error("GradingProblem", _(
                    "{check}: not a check of item {id}'s grader that runs in notebooks (an outdated course?); "
                    "no points.").format(check=grade_id, id=item.id))]
            elif check.outcome == Outcome.PASSED:
                cell.outputs = []
            else:
                cell.outputs = [_error("AssertionError", notebook.message(check, exported))]
        return nb, resources


def _error(ename: str, text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"])


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    data = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": SCHEMA_VERSION, "task": False}
    if points is not None:
        data["points"] = points
    return {"nbgrader": data}


class _Source:
    def __init__(self, path: Path):
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.lines = self.text.splitlines()
        self.tree = ast.parse(self.text, str(path))

    def segment(self, node: ast.AST, indent: str = "") -> str:
        """The node's lines as written (decorators and comments inside included), re-indented."""
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return _reindent(self.lines[first - 1:node.end_lineno], node.col_offset, indent)

    def body(self, nodes: list[ast.stmt], indent: str) -> str:
        """Statements of one block as written, re-indented to `indent`."""
        first, last = nodes[0], nodes[-1]
        if first.lineno == 1 or self.lines[first.lineno - 1][:first.col_offset].strip():
            # a body on its def's line (`def f(x): return x`): no lines of its own to copy
            return "\n".join(indent + ast.unparse(node) for node in nodes)
        return _reindent(self.lines[first.lineno - 1:last.end_lineno], first.col_offset, indent)


def _reindent(lines: list[str], column: int, indent: str) -> str:
    out = []
    for line in lines:
        cut = line[:column]
        out.append(indent + line[column:] if not cut.strip() else line)
    return "\n".join(line.rstrip() if line.strip() else "" for line in out)


def _statements(tree: ast.Module) -> list[ast.stmt]:
    """Top-level statements but the module docstring and the `if __name__ == "__main__":` block
    (a notebook runs as __main__, so that block would run)."""
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    return [node for node in body if not (isinstance(node, ast.If) and "__main__" in ast.unparse(node.test))]


def _bound(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    return {target.id for target in ast.walk(node) if isinstance(target, ast.Name)
            and isinstance(target.ctx, ast.Store)}


def _used(nodes) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def _reference_only(stub: _Source, solution: _Source) -> list[tuple[ast.stmt, set[str]]]:
    """Top-level statements of the solution that bind names the stub does not (its helpers and
    extra imports), with the names each binds."""
    stub_names = set().union(*(_bound(node) for node in _statements(stub.tree)))
    extras = []
    for node in _statements(solution.tree):
        names = _bound(node) - stub_names
        if names:
            extras.append((node, names))
    return extras


def _needed(body: list[ast.stmt], extras) -> list[ast.stmt]:
    """The reference-only statements a body uses, directly or through each other, in file order."""
    wanted, used = set(), _used(body)
    changed = True
    while changed:
        changed = False
        for index, (node, names) in enumerate(extras):
            if index not in wanted and names & used:
                wanted.add(index)
                used |= _used([node])
                changed = True
    return [extras[index][0] for index in sorted(wanted)]


def _raises_not_implemented(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Raise) and n.exc is not None and "NotImplementedError" in ast.unparse(n.exc)
               for n in ast.walk(node))


def _after_docstring(node) -> list[ast.stmt]:
    return node.body[1:] if ast.get_docstring(node) is not None else node.body


def _task_cell(node, stub: _Source, solution: _Source, extras) -> tuple[str, bool]:
    """The cell of one top-level def or class, and whether it holds a solution region."""
    if not _raises_not_implemented(node):
        return stub.segment(node), False
    reference = _find(solution.tree.body, node.name, solution.path)
    if isinstance(node, ast.ClassDef):
        unknown = [m.name for m in reference.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                   and m.name not in {s.name for s in node.body if hasattr(s, "name")}]
        if unknown:
            raise BuildError(_("{file}: {name} has methods the stub lacks ({methods}); give them a stub or make "
                               "them module-level helpers.").format(file=solution.path.name, name=node.name,
                                                                    methods=", ".join(unknown)))
        regions = [(method, _find(reference.body, method.name, solution.path)) for method in node.body
                   if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))
                   and _raises_not_implemented(method)]
    else:
        regions = [(node, reference)]
    lines = stub.segment(node).split("\n")
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    # Replace from the bottom up so that earlier line numbers stay valid.
    for stub_fn, ref_fn in sorted(regions, key=lambda pair: -pair[0].lineno):
        start, end, text = _region(stub_fn, ref_fn, stub, solution, extras)
        lines[start - first:end - first + 1] = text.split("\n")
    return "\n".join(lines), True


def _find(body: list[ast.stmt], name: str, path: Path):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return node
    raise BuildError(_("{file} defines no `{name}`, which the stub has.").format(file=path.name, name=name))


def _region(stub_fn, ref_fn, stub: _Source, solution: _Source, extras) -> tuple[int, int, str]:
    """(first line, last line) of the stub function's body to replace, and the replacement: the
    statements the stub and the reference share first stay outside the solution region."""
    if isinstance(ref_fn, ast.ClassDef):
        raise BuildError(_("{file}: `{name}` is a class, the stub's is a function.").format(
            file=solution.path.name, name=ref_fn.name))
    stub_args = [a.arg for a in stub_fn.args.posonlyargs + stub_fn.args.args + stub_fn.args.kwonlyargs]
    ref_args = [a.arg for a in ref_fn.args.posonlyargs + ref_fn.args.args + ref_fn.args.kwonlyargs]
    if stub_args != ref_args:
        raise BuildError(_("{file}: `{name}` takes ({arguments}), the stub ({stub_arguments}); the names must "
                           "match.").format(file=solution.path.name, name=ref_fn.name,
                                            arguments=", ".join(ref_args), stub_arguments=", ".join(stub_args)))
    stub_body, ref_body = _after_docstring(stub_fn), _after_docstring(ref_fn)
    shared = 0
    while (shared < min(len(stub_body), len(ref_body)) - 1
           and ast.dump(stub_body[shared]) == ast.dump(ref_body[shared])):
        shared += 1
    stub_body, ref_body = stub_body[shared:], ref_body[shared:]
    first = stub_body[0]
    indent = " " * first.col_offset
    helpers = [solution.segment(node, indent) for node in _needed(ref_body, extras)]
    text = "\n".join([f"{indent}### BEGIN SOLUTION", *helpers, solution.body(ref_body, indent),
                      f"{indent}### END SOLUTION"])
    return first.lineno, stub_fn.end_lineno, text
