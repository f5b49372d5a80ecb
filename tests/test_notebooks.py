"""Self-study notebooks (`ptgrade notebooks`, integrations/selfstudy.py, the `%ptgrade` magics of ui/ipython.py).

Cheap for every item, without grading: the built notebook has a cell per stub function and its check cell, and
the committed notebooks/ and notebooks/ko/ are what the stubs build (a golden file: rebuild them with
`ptgrade notebooks notebooks` and `ptgrade notebooks notebooks/ko --lang ko`).

Headless, each a real kernel (nbclient) whose check cell grades with the judge: 1.2 and 1.3 with the reference
pasted into their cells earn full marks; the untouched Korean 1.2 scores 0 with every check "not started"; a
hostile cell that patches the kit in the kernel (the runner, the export, the results, the progress file, the
environment of the process it starts) earns nothing. Then two executed notebooks, English and Korean, rendered
to HTML by nbconvert and opened in headless Chromium: the results table is in the page, and a screenshot is
kept in tests/artifacts/ (tests/support/browser.py).
"""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
from pathlib import Path

import pytest
from support import browser

from ptgrade.course import manifest as manifest_module
from ptgrade.integrations import selfstudy

if importlib.util.find_spec("nbformat") is None:  # found, not imported: collection stays light (jsonschema)
    pytest.skip("nbformat is not installed", allow_module_level=True)

KIT_ROOT = Path(__file__).resolve().parent.parent
MANIFEST = manifest_module.load(KIT_ROOT)
BUILT = [item for item in MANIFEST.items if item.available]


# -- every item, no grading -------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("item", BUILT, ids=lambda item: item.id)
def test_a_notebook_has_a_cell_per_stub_function_and_its_check_cell(item, lang):
    notebook = selfstudy.item_notebook(MANIFEST, item, lang)
    stub = ast.parse((MANIFEST.stubs_dir(lang) / item.file_name).read_text(encoding="utf-8"))
    defined = [node.name for node in stub.body
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.metadata["ptgrade"]["task"] for cell in code if "task" in cell.metadata.get("ptgrade", {})] == defined
    for cell in code:
        if "task" in cell.metadata.get("ptgrade", {}):
            ast.parse(cell.source)   # each cell is Python on its own, as the learner runs it
    checks = [cell.source for cell in code if "check" in cell.metadata.get("ptgrade", {})]
    assert checks == [f"%ptgrade check {item.id}" + (" --lang ko" if lang == "ko" else "")]
    setup = code[0].source
    assert setup.endswith("%load_ext ptgrade.ui.ipython") and selfstudy.repository_url(MANIFEST) in setup
    runs = [cell.source for cell in code if "run" in cell.metadata.get("ptgrade", {})]
    assert runs == ([f"%ptgrade run {item.id} --smoke" + (" --lang ko" if lang == "ko" else "")]
                    if item.section == "5" else [])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_committed_notebooks_are_what_the_stubs_build(lang, tmp_path):
    folder = KIT_ROOT / ("notebooks/ko" if lang == "ko" else "notebooks")
    built = selfstudy.build(MANIFEST, tmp_path, BUILT, lang)
    stale = [path.name for path in built if not (folder / path.name).is_file()
             or (folder / path.name).read_text(encoding="utf-8") != path.read_text(encoding="utf-8")]
    extra = sorted({p.name for p in folder.glob("*.ipynb")} - {p.name for p in built})
    assert not stale and not extra, (f"{folder} is out of date with the stubs ({stale or extra}): run `ptgrade "
                                     f"notebooks {folder.relative_to(KIT_ROOT)}{' --lang ko' if lang == 'ko' else ''}`")


# -- headless, graded -------------------------------------------------------------------------------
HOSTILE = '''
# Patch the kit in this kernel so that every check "passes", and poison what the grading process is started with.
import os, pathlib, tempfile
try:
    import ptgrade.course.progress as progress
    import ptgrade.host.runner as runner
    import ptgrade.integrations.notebook as exported
    import ptgrade.integrations.selfstudy as selfstudy
    from ptgrade.protocol.results import CheckResult, ItemResult, Outcome
    CheckResult.score = property(lambda self: self.max_score)
    ItemResult.passed = property(lambda self: True)
    Outcome.NOT_STARTED = Outcome.PASSED
    def forged(manifest, item, *args, **kwargs):
        return ItemResult(id=item.id, title="forged", checks=[CheckResult(name=c["name"], dimension=c["dimension"],
                          max_score=c["max_score"], outcome="passed") for c in runner.collect(manifest, item)])
    runner.grade = exported.grade = forged
    selfstudy.grade_cells = lambda manifest, item, history: (forged(manifest, item), exported.Export())
    progress.Progress.record = lambda self, result, source="exercises": None
    evil = pathlib.Path(tempfile.mkdtemp())
    (evil / "sitecustomize.py").write_text(
        "from ptgrade.protocol.results import CheckResult\\n"
        "CheckResult.score = property(lambda self: self.max_score)\\n")
    os.environ["PYTHONPATH"] = str(evil)
except ImportError:
    pass   # in the worker, which holds no host and no course: the cell is graded there as the student's code
'''


def _code_cell(source: str):
    from nbformat.v4 import new_code_cell
    return new_code_cell(source)


def _with_reference(notebook, item):
    """The learner's notebook with the reference pasted in: each task cell holds the reference's definition,
    and the reference's own imports and helpers sit in a cell before them."""
    text = (MANIFEST.solutions_dir / item.file_name).read_text(encoding="utf-8")
    tree, lines = ast.parse(text), text.split("\n")
    definitions = {node.name: "\n".join(lines[min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1:
                                              node.end_lineno])
                   for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    for cell in notebook.cells:
        task = cell.metadata.get("ptgrade", {}).get("task")
        if task:
            cell.source = definitions[task]
    main = [node for node in tree.body if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)]
    preamble = "\n".join(lines[:main[0].lineno - 1]) if main else text
    notebook.cells.insert(2, _code_cell(preamble))
    return notebook


def _execute(notebook, folder: Path):
    from nbclient import NotebookClient
    env = {"PTGRADE_STATE": str(folder / "state.json"), "IPYTHONDIR": str(folder / "ipython"),
           "PTGRADE_ROOT": str(KIT_ROOT)}
    before = {name: os.environ.get(name) for name in env}
    os.environ.update(env)   # the kernel inherits it
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(KIT_ROOT)}}).execute()
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return notebook


def _table(notebook) -> dict:
    """What the check cell showed: the score, the most points, and each check's outcome."""
    cell = next(cell for cell in notebook.cells if "check" in cell.metadata.get("ptgrade", {}))
    shown = [output["data"]["text/html"] for output in cell.outputs if output.get("output_type") == "display_data"]
    assert shown, f"the check cell showed no results table: {cell.outputs}"
    page = shown[-1]
    return {"score": float(re.search(r'data-score="([0-9.]+)"', page).group(1)),
            "max_score": float(re.search(r'data-max-score="([0-9.]+)"', page).group(1)),
            "outcomes": re.findall(r'data-outcome="([a-z_]+)"', page), "html": page}


def _recorded(folder: Path, item) -> dict:
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    return state["sources"][str((KIT_ROOT / selfstudy.SOURCE).resolve())][item.id]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Kernels run once for the module: 1.2 (reference, English), 1.2 (untouched, Korean), 1.2 (untouched,
    with the hostile cell), 1.3 (reference)."""
    runs = {}
    one_two, one_three = MANIFEST.item("1.2"), MANIFEST.item("1.3")
    plans = {"reference": (one_two, "en", _with_reference), "untouched_ko": (one_two, "ko", None),
             "hostile": (one_two, "en", "hostile"), "reference_1.3": (one_three, "en", _with_reference)}
    for name, (item, lang, change) in plans.items():
        folder = tmp_path_factory.mktemp(name.replace(".", "_"))
        notebook = selfstudy.item_notebook(MANIFEST, item, lang)
        if change == "hostile":
            notebook.cells.insert(2, _code_cell(HOSTILE))
        elif change is not None:
            notebook = change(notebook, item)
        runs[name] = (item, _execute(notebook, folder), folder)
    return runs


@pytest.mark.parametrize("name", ["reference", "reference_1.3"])
def test_the_reference_pasted_into_the_notebook_earns_full_marks(executed, name):
    item, notebook, folder = executed[name]
    table = _table(notebook)
    assert table["max_score"] > 0 and table["score"] == table["max_score"], table["html"]
    assert set(table["outcomes"]) <= {"passed", "skipped"} and "passed" in table["outcomes"]
    assert _recorded(folder, item)["best_score"] == table["score"]   # recorded where the CLI records progress


def test_the_untouched_notebook_scores_zero_with_every_check_not_started(executed):
    item, notebook, folder = executed["untouched_ko"]
    table = _table(notebook)
    assert table["score"] == 0 and set(table["outcomes"]) <= {"not_started", "skipped"}, table["html"]
    assert "not_started" in table["outcomes"] and "시작 전" in table["html"]   # in the notebook's language
    assert _recorded(folder, item)["best_score"] == 0


def test_a_cell_that_patches_the_kit_in_the_kernel_earns_nothing(executed):
    item, notebook, folder = executed["hostile"]
    table = _table(notebook)
    assert table["score"] == 0 and "passed" not in table["outcomes"], table["html"]
    assert _recorded(folder, item)["best_score"] == 0


# -- in a browser -----------------------------------------------------------------------------------
@pytest.mark.skipif(browser.skip_reason() is not None, reason=str(browser.skip_reason()))
@pytest.mark.parametrize("name, words", [("reference", "✓ passed"), ("untouched_ko", "시작 전")])
def test_an_executed_notebook_shows_its_results_table_in_a_browser(executed, name, words, tmp_path):
    from nbconvert import HTMLExporter
    item, notebook, _folder = executed[name]
    page, _resources = HTMLExporter().from_notebook_node(notebook)
    html = tmp_path / f"{name}.html"
    html.write_text(page, encoding="utf-8")
    dom = browser.dump_dom(html)
    assert 'class="ptgrade-checks"' in dom and words in dom
    assert dom.count('class="ptgrade-check"') == len(_table(notebook)["outcomes"])
    shot = browser.screenshot(html, f"notebook_{item.module_name}_{name}.png", size=(1280, 4000))
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_a_project_notebook_runs_its_smoke_training_and_shows_the_plots(tmp_path):
    """5.2's notebook with the reference pasted in: its `%ptgrade run 5.2 --smoke` cell trains through `ptgrade run`
    on the notebook's own code and shows the run's PNGs inline (the check cell is left out: other tests grade)."""
    item = MANIFEST.item("5.2")
    notebook = _with_reference(selfstudy.item_notebook(MANIFEST, item, "en"), item)
    notebook.cells = [cell for cell in notebook.cells if "check" not in cell.metadata.get("ptgrade", {})]
    run_cell = next(cell for cell in notebook.cells if cell.cell_type == "code" and "%ptgrade run 5.2" in cell.source)
    _execute(notebook, tmp_path)
    images = [output for output in run_cell.outputs if "image/png" in output.get("data", {})]
    assert images, f"the run cell showed no plot: {[output.get('text', '')[-500:] for output in run_cell.outputs]}"
