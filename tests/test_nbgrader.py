"""The nbgrader course: build it for item 1.2, then let nbgrader itself release, autograde and export
it, in a temporary course with its own sqlite gradebook and Jupyter folders (the user's Jupyter
config is never read or written).

Submissions made from the released notebook: the reference code (full marks), the untouched release
(zero), one known mistake from the wrong-solution bank (loses exactly the points of the check that
catches it), and two hostile notebooks whose extra cell attacks the kernel's side of grading: one
replaces `ptgrade.integrations.notebook.run_check` with a no-op (on the untouched release: still zero), one
silences tracebacks (IPython's showtraceback, sys.excepthook) on top of the known mistake (still
loses that check). Scores are read from nbgrader's gradebook: the judge decides them
(ptgrade.integrations.nbgrader.JudgeCells), never the kernel.

`collect` and `run_check` (the advisory path in Jupyter) are tested on the mini kit; the export itself in
tests/unit/integrations/test_notebook.py.
"""
from __future__ import annotations

import ast
import csv
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

if importlib.util.find_spec("nbformat") is None:  # found, not imported: collection stays light (jsonschema)
    pytest.skip("nbformat is not installed", allow_module_level=True)
if importlib.util.find_spec("nbgrader") is None:  # found, not imported: nbgrader's import takes seconds
    pytest.skip("nbgrader is not installed (the .[classroom] extra)", allow_module_level=True)

# The course fixture runs nbgrader itself: five kernels and five judged gradings of item 1.2 (about
# 10 minutes on a busy 2-core machine, a fraction of that on an idle one).
pytestmark = pytest.mark.timeout(2400)

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
    import nbformat
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(notebook, str(folder / f"{ASSIGNMENT}.ipynb"))


def _with_cells(notebook, sources: dict[str, str]):
    """A copy of `notebook` whose cells with the given grade ids hold the given code."""
    import nbformat
    copy = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in copy.cells:
        if _grade_id(cell) in sources:
            cell.source = sources[_grade_id(cell)]
    return copy


HOSTILE_RUN_CHECK = """\
import ptgrade.integrations.notebook
ptgrade.integrations.notebook.run_check = lambda *args, **kwargs: None
"""

HOSTILE_TRACEBACKS = """\
import sys
ip = get_ipython()
ip.showtraceback = lambda *args, **kwargs: None
ip._showtraceback = lambda *args, **kwargs: None
sys.excepthook = lambda *args: None
"""


def _with_cell_before_tests(notebook, source: str):
    """A copy of `notebook` with a student's code cell just before the first test cell."""
    import nbformat
    copy = nbformat.from_dict(json.loads(json.dumps(notebook)))
    first = next(i for i, c in enumerate(copy.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    copy.cells.insert(first, nbformat.v4.new_code_cell(source))
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
    import nbformat
    tmp = tmp_path_factory.mktemp("nbgrader")
    env, root = _env(tmp), tmp / "course"
    _run([sys.executable, str(KIT_ROOT / "cli.py"), "nbgrader", "build", str(root), "--items", ITEM],
         KIT_ROOT, env)
    _nbgrader(root, env, "generate_assignment", ASSIGNMENT, "--force")
    source = nbformat.read(str(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
    release = nbformat.read(str(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
    reference = {_grade_id(c): c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")}
    mistake = _with_cells(_with_cells(release, reference), _mutant_cells(MUTANT))
    submissions = {"full": _with_cells(release, reference),
                   "untouched": release,
                   "mistake": mistake,
                   "hostile_noop": _with_cell_before_tests(release, HOSTILE_RUN_CHECK),
                   "hostile_silent": _with_cell_before_tests(mistake, HOSTILE_TRACEBACKS)}
    # `db student import` is `db student add` for a list: one nbgrader start instead of three.
    (tmp / "students.csv").write_text("id\n" + "\n".join(submissions) + "\n", encoding="utf-8")
    _nbgrader(root, env, "db", "student", "import", str(tmp / "students.csv"))
    for student, notebook in submissions.items():
        _submit(root, student, notebook)
    started = time.monotonic()
    _nbgrader(root, env, "autograde", ASSIGNMENT)
    print(f"\nnbgrader autograde of {len(submissions)} submissions: {time.monotonic() - started:.0f} s")
    _nbgrader(root, env, "export")
    return {"root": root, "source": source, "release": release, "students": list(submissions),
            "points": {_grade_id(c): c.metadata["nbgrader"]["points"] for c in source.cells
                       if c.metadata.get("nbgrader", {}).get("grade")}}


def _cell_grades(root: Path, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        return {grade.name: grade.score for grade in notebook.grades}


def _autograded(root: Path, student: str):
    import nbformat
    return nbformat.read(str(root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)


def _autograded_error(root: Path, student: str, grade_id: str) -> str:
    cell = next(c for c in _autograded(root, student).cells if _grade_id(c) == grade_id)
    return "\n".join(f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs if o.output_type == "error")


def test_release_keeps_the_stub_and_has_no_solution_and_no_gpu_check(course):
    release, source = course["release"], course["source"]
    code = "\n".join(c.source for c in release.cells)
    assert release.cells[0].cell_type == "markdown" and release.cells[0].source.startswith("1.2 Tensors")
    assert "def flatten_last_two(x: torch.Tensor) -> torch.Tensor:" in code
    assert "Must work for any input, contiguous or not" in code  # the stub's docstring
    assert "x.reshape(*x.shape[:-2]" not in code and "### BEGIN SOLUTION" not in code
    stub = (KIT_ROOT / "exercises" / "s1_2_tensors.py").read_text(encoding="utf-8")
    assert code.count("raise NotImplementedError()") == stub.count("raise NotImplementedError(")  # one per task
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
    assert full == course["points"] and sum(full.values()) == total > 0
    assert set(untouched.values()) == {0}
    assert "not started" in _autograded_error(course["root"], "untouched", "test_describe_reports_attributes")


def test_known_mistake_loses_exactly_the_points_of_its_check(course):
    caught_by = _mutant_declares(MUTANT, "CAUGHT_BY")
    grades = _cell_grades(course["root"], "mistake")
    assert grades == {**course["points"], caught_by: 0}
    assert _mutant_declares(MUTANT, "MESSAGE_MENTIONS") in _autograded_error(course["root"], "mistake", caught_by)


def test_a_cell_that_replaces_run_check_earns_nothing(course):
    grades = _cell_grades(course["root"], "hostile_noop")
    assert set(grades) == set(course["points"]) and set(grades.values()) == {0}
    notebook = _autograded(course["root"], "hostile_noop")
    hostile = next(c for c in notebook.cells if c.cell_type == "code" and "lambda *args" in c.source)
    assert not [o for o in hostile.outputs if o.output_type == "error"]  # the patch ran in the kernel
    assert "not started" in _autograded_error(course["root"], "hostile_noop", "test_describe_reports_attributes")


def test_a_cell_that_silences_tracebacks_still_loses_its_mistake(course):
    caught_by = _mutant_declares(MUTANT, "CAUGHT_BY")
    assert _cell_grades(course["root"], "hostile_silent") == {**course["points"], caught_by: 0}
    assert _mutant_declares(MUTANT, "MESSAGE_MENTIONS") in _autograded_error(course["root"], "hostile_silent",
                                                                              caught_by)


def test_test_cells_hold_the_judges_verdict_only(course):
    """A passed check's cell has no output at all; a failed one, only the judge's error."""
    for student in ("full", "untouched"):
        for cell in _autograded(course["root"], student).cells:
            if _grade_id(cell) in course["points"]:
                if student == "full":
                    assert cell.outputs == []
                else:
                    assert [o.output_type for o in cell.outputs] == ["error"]
                    assert cell.outputs[0].evalue.startswith(f"{_grade_id(cell)}: ")


def test_export_writes_the_expected_csv(course):
    with open(course["root"] / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    total = sum(course["points"].values())
    lost = course["points"][_mutant_declares(MUTANT, "CAUGHT_BY")]
    assert {s: (float(r["score"]), float(r["max_score"])) for s, r in rows.items()} == {
        "full": (total, total), "untouched": (0, total), "mistake": (total - lost, total),
        "hostile_noop": (0, total), "hostile_silent": (total - lost, total)}
    assert {r["assignment"] for r in rows.values()} == {ASSIGNMENT}


# -- collect and run_check, on the mini kit (tests/conftest.py) --------------------------------------------
from ptgrade.integrations import notebook as notebook_module  # noqa: E402

TEST_CELL = "from ptgrade.integrations.notebook import run_check\nrun_check('1.1', {check!r}, globals())"


def test_collect_lists_the_checks_with_their_gpu_mark(kit):
    checks = notebook_module.collect(kit.manifest, kit.item)
    assert [(c["name"], c["max_score"], c["gpu"]) for c in checks] == [
        ("test_double_doubles", 2.0, False), ("test_square_gradient", 1.0, False), ("test_double_on_cuda", 1.0, True)]


@pytest.fixture
def kernel(kit, monkeypatch):
    """run_check as a kernel would call it, in the mini kit; counts the gradings."""
    monkeypatch.setenv("PTGRADE_ROOT", str(kit.root))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    gradings = []
    real = notebook_module.runner.grade

    def counted(*args, **kwargs):
        gradings.append(kwargs.get("only"))
        return real(*args, **kwargs)
    monkeypatch.setattr(notebook_module.runner, "grade", counted)
    return gradings


def _kit_file(kit, folder: str) -> str:
    return (kit.root / folder / "s1_1_demo.py").read_text(encoding="utf-8")


def test_run_check_grades_the_kernels_history_once(kit, kernel):
    history = ["", "import torch", _kit_file(kit, "solutions"), TEST_CELL.format(check="test_double_doubles")]
    notebook_module.run_check("1.1", "test_double_doubles", {"In": history})
    history.append(TEST_CELL.format(check="test_square_gradient"))
    notebook_module.run_check("1.1", "test_square_gradient", {"In": history})
    assert kernel == [["test_double_doubles", "test_square_gradient"]]  # one grading, no gpu check


def test_run_check_reports_what_the_judge_says(kit, kernel):
    history = ["", _kit_file(kit, "exercises"), "def square(x):\n    return x ** 2"]
    with pytest.raises(AssertionError) as failure:
        notebook_module.run_check("1.1", "test_double_doubles", {"In": history})
    assert "test_double_doubles: not started" in str(failure.value)
    assert "Restart & Run All" in str(failure.value)
    notebook_module.run_check("1.1", "test_square_gradient", {"In": history})  # square is done
    assert len(kernel) == 1


def test_run_check_leaves_autograde_to_the_preprocessor(kit, kernel, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    notebook_module.run_check("1.1", "test_double_doubles", {"In": ["", _kit_file(kit, "exercises")]})
    assert kernel == []


def test_the_course_config_puts_the_judge_between_execute_and_save_autogrades(tmp_path):
    from nbgrader.preprocessors import Execute, SaveAutoGrades

    from ptgrade.integrations import nbgrader as course_module
    steps = course_module.autograde_preprocessors()
    assert steps.index(course_module.JudgeCells) == steps.index(Execute) + 1 < steps.index(SaveAutoGrades)
    assert course_module.JudgeCells().enabled
    config = course_module.CONFIG.format(stub='"x"', timeout=1, lang="en")
    assert "c.Autograde.autograde_preprocessors = autograde_preprocessors()" in config


def _release_cell_problem(source: str) -> str | None:
    """What is wrong with a released cell's code: nbgrader replaces each solution region with `raise
    NotImplementedError()`, which must land inside a function body (in a class body or at module level it would
    raise while the student's notebook merely defines the class)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef)):
            if any(isinstance(statement, ast.Raise) for statement in node.body):
                return f"a raise in the body of {getattr(node, 'name', 'the module')}"
    return None


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_whole_course_builds_and_releases(tmp_path, lang, monkeypatch):
    """Every built item, as `ptgrade nbgrader build COURSE` builds it by default: one notebook per item, and
    nbgrader's own ClearSolutions leaves code that defines the item's functions and classes without raising."""
    import nbformat
    from nbgrader.preprocessors import ClearSolutions

    from ptgrade.course.manifest import load
    from ptgrade.integrations import nbgrader as course_builder
    from ptgrade.integrations import notebook
    monkeypatch.setattr(notebook, "_CHECKS", {})  # each language collects afresh, as a build does: measured alike
    manifest = load(KIT_ROOT)
    items = [item for item in manifest.items if item.available]
    paths = course_builder.build(manifest, tmp_path / "course", items, lang=lang)
    assert sorted(path.stem for path in paths) == sorted(Path(item.file_name).stem for item in items)
    clear = ClearSolutions()
    for path in paths:
        release, _ = clear.preprocess(nbformat.read(str(path), as_version=4), {})
        for cell in release.cells:
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
                problem = _release_cell_problem(cell.source)
                assert problem is None, f"{path.name}: {problem}:\n{cell.source[:400]}"
