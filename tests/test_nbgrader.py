"""The nbgrader course: build it for item 1.2, then let nbgrader itself release, autograde and export
it, in a temporary course with its own sqlite gradebook and Jupyter folders (the user's Jupyter
config is never read or written).

Three submissions made from the released notebook: the reference code (full marks), the untouched
release (zero), and one known mistake from the wrong-solution bank (loses exactly the points of the
check that catches it).
"""
from __future__ import annotations

import ast
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")

KIT_ROOT = Path(__file__).resolve().parent.parent
ITEM = "1.2"
ASSIGNMENT = "s1_2_tensors"
MUTANT = KIT_ROOT / "solutions" / "mutants" / ASSIGNMENT / "mean_without_keepdim.py"


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.update(HOME=str(tmp / "home"), JUPYTER_CONFIG_DIR=str(tmp / "jupyter" / "config"),
               JUPYTER_DATA_DIR=str(tmp / "jupyter" / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp / "jupyter" / "runtime"),
               IPYTHONDIR=str(tmp / "ipython"), PTGRADE_ROOT=str(KIT_ROOT), PYTHONDONTWRITEBYTECODE="1",
               PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


def _run(command: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _nbgrader(course: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}"], course, env)


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _submit(course: Path, student: str, notebook) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(notebook, str(folder / f"{ASSIGNMENT}.ipynb"))


def _with_cells(notebook, sources: dict[str, str]):
    """A copy of `notebook` whose cells with the given grade ids hold the given code."""
    copy = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in copy.cells:
        if _grade_id(cell) in sources:
            cell.source = sources[_grade_id(cell)]
    return copy


def _mutant_cells(path: Path) -> dict[str, str]:
    """The functions the mutant (re)defines, each as the source of the cell of that function."""
    text = path.read_text(encoding="utf-8")
    return {f"task_{node.name}": ast.get_source_segment(text, node)
            for node in ast.parse(text).body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def _mutant_declares(path: Path, name: str) -> str:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path.name} declares no {name}")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The whole pipeline once: build, generate_assignment, three submissions, autograde, export."""
    tmp = tmp_path_factory.mktemp("nbgrader")
    env, root = _env(tmp), tmp / "course"
    _run([sys.executable, str(KIT_ROOT / "cli.py"), "nbgrader", "build", str(root), "--items", ITEM],
         KIT_ROOT, env)
    _nbgrader(root, env, "generate_assignment", ASSIGNMENT, "--force")
    source = nbformat.read(str(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
    release = nbformat.read(str(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
    reference = {_grade_id(c): c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")}
    submissions = {"full": _with_cells(release, reference),
                   "untouched": release,
                   "mistake": _with_cells(_with_cells(release, reference), _mutant_cells(MUTANT))}
    # `db student import` is `db student add` for a list: one nbgrader start instead of three.
    (tmp / "students.csv").write_text("id\n" + "\n".join(submissions) + "\n", encoding="utf-8")
    _nbgrader(root, env, "db", "student", "import", str(tmp / "students.csv"))
    for student, notebook in submissions.items():
        _submit(root, student, notebook)
    _nbgrader(root, env, "autograde", ASSIGNMENT)
    _nbgrader(root, env, "export")
    return {"root": root, "source": source, "release": release,
            "points": {_grade_id(c): c.metadata["nbgrader"]["points"] for c in source.cells
                       if c.metadata.get("nbgrader", {}).get("grade")}}


def _cell_grades(root: Path, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        return {grade.name: grade.score for grade in notebook.grades}


def _autograded_error(root: Path, student: str, grade_id: str) -> str:
    notebook = nbformat.read(str(root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
    cell = next(c for c in notebook.cells if _grade_id(c) == grade_id)
    return "\n".join(f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs if o.output_type == "error")


def test_release_keeps_the_stub_and_has_no_solution_and_no_gpu_check(course):
    release, source = course["release"], course["source"]
    code = "\n".join(c.source for c in release.cells)
    assert release.cells[0].cell_type == "markdown" and release.cells[0].source.startswith("1.2 Tensors")
    assert "def flatten_last_two(x: torch.Tensor) -> torch.Tensor:" in code
    assert "Must work for any input, contiguous or not" in code  # the stub's docstring
    assert "x.reshape(*x.shape[:-2]" not in code and "### BEGIN SOLUTION" not in code
    assert code.count("raise NotImplementedError()") == 12
    assert "test_functions_run_on_cuda" not in code  # gpu checks are left out of notebooks
    checks = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert all(c.metadata["nbgrader"]["locked"] and not c.metadata["nbgrader"]["solution"]
               and c.metadata["nbgrader"]["schema_version"] == 3 for c in checks)
    assert course["points"]["test_describe_reports_attributes"] == 1
    assert course["points"]["test_flatten_last_two_handles_any_layout"] == 2
    first_check = next(i for i, c in enumerate(source.cells) if c in checks)
    assert all(_grade_id(c).startswith("test_") for c in source.cells[first_check:])


def test_reference_gets_full_marks_and_the_untouched_release_zero(course):
    total = sum(course["points"].values())
    full, untouched = _cell_grades(course["root"], "full"), _cell_grades(course["root"], "untouched")
    assert full == course["points"] and sum(full.values()) == total == 16
    assert set(untouched.values()) == {0}
    assert "not started" in _autograded_error(course["root"], "untouched", "test_describe_reports_attributes")


def test_known_mistake_loses_exactly_the_points_of_its_check(course):
    caught_by = _mutant_declares(MUTANT, "CAUGHT_BY")
    grades = _cell_grades(course["root"], "mistake")
    assert grades == {**course["points"], caught_by: 0}
    assert _mutant_declares(MUTANT, "MESSAGE_MENTIONS") in _autograded_error(course["root"], "mistake", caught_by)


def test_export_writes_the_expected_csv(course):
    with open(course["root"] / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    total = sum(course["points"].values())
    lost = course["points"][_mutant_declares(MUTANT, "CAUGHT_BY")]
    assert {s: (float(r["score"]), float(r["max_score"])) for s, r in rows.items()} == {
        "full": (total, total), "untouched": (0, total), "mistake": (total - lost, total)}
    assert {r["assignment"] for r in rows.values()} == {ASSIGNMENT}
