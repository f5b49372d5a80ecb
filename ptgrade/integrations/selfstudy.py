"""Self-study notebooks (`ptgrade notebooks`): one notebook per item that checks itself, in Jupyter or Colab.

A notebook holds, in order: a setup cell (on Colab, where the kit is missing, it clones the kit's repository
and installs it; then it loads the `%ptgrade` magics of ptgrade/ui/ipython.py); the lesson (the stub's module
docstring) as Markdown; for each top-level function or class of the stub, its docstring as Markdown and a code
cell with the rest (the signature and `raise NotImplementedError`), the stub's cells as the nbgrader course cuts
them (`nbgrader.stub_cells`); a one-line check cell, `%ptgrade check <id>`; for a project (section 5) a cell
`%ptgrade run <id> --smoke` that trains the notebook's code for a few steps and shows its plots.

A check is graded outside the kernel: the kernel hands the cells it ran (its input history) to a fresh
`python -I -m ptgrade.ui.selfstudy` started from the kit on disk, which exports them (`code_cells`, then
`notebook.export`), grades the module with the judge and its sandboxed worker (`grade_cells`), records the
result where the CLI records progress (source `notebooks`), and answers with the results table. Nothing the
kernel holds is asked for a verdict, so a cell that patches the kit in the kernel changes no score.
"""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import tomllib

from ptgrade import i18n
from ptgrade.course.manifest import Item, Manifest
from ptgrade.course.progress import Progress
from ptgrade.i18n import _
from ptgrade.integrations import notebook
from ptgrade.protocol.results import ItemResult

SOURCE = "notebooks"      # progress of notebook checks is recorded against <kit>/notebooks
COLAB_FOLDER = "/content/ptgrade"
EXTENSION = "ptgrade.ui.ipython"
# Magics and shell lines of the kit's own cells: a statement using one is plumbing, not the student's code.
KIT_MAGICS = {"ptgrade", "load_ext", "reload_ext", "pip"}


# -- building ---------------------------------------------------------------------------------------
def repository_url(manifest: Manifest) -> str:
    """The kit's repository, from pyproject.toml's [project.urls] (Repository)."""
    data = tomllib.loads((manifest.root / "pyproject.toml").read_text(encoding="utf-8"))
    urls = data.get("project", {}).get("urls", {})
    url = urls.get("Repository") or urls.get("Homepage")
    if not url:
        raise ValueError("pyproject.toml has no [project.urls] Repository: the notebooks' setup cell and Colab "
                         "links are built from it.")
    return url.rstrip("/")


def notebook_path(item: Item, lang: str = "en") -> str:
    """Where the kit keeps an item's notebook, relative to its root: notebooks/<module>.ipynb (ko/ for Korean)."""
    return f"notebooks/{'ko/' if lang == 'ko' else ''}{item.module_name}.ipynb"


def colab_url(repository: str, item: Item, lang: str = "en", branch: str = "main") -> str:
    """The "Open in Colab" link of an item's notebook in the kit's repository on GitHub."""
    return f"https://colab.research.google.com/github/{repository.removeprefix('https://github.com/')}" \
           f"/blob/{branch}/{notebook_path(item, lang)}"


def build(manifest: Manifest, out: Path, items: list[Item], lang: str = "en") -> list[Path]:
    """Write `out`/<module>.ipynb per item, the lesson in `lang`."""
    import nbformat
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for item in items:
        path = out / f"{item.module_name}.ipynb"
        path.write_text(nbformat.writes(item_notebook(manifest, item, lang)) + "\n", encoding="utf-8")
        written.append(path)
    return written


def setup_source(repository: str, item: Item) -> str:
    extras = f"[{','.join(item.extras)}]" if item.extras else ""
    comment = _("Setup: where the kit is not installed (Colab), clone and install it; then load the %ptgrade magics.")
    return "\n".join([
        f"# {comment}",
        "import importlib.util, sys",
        'if importlib.util.find_spec("ptgrade") is None:',
        f"    !git clone --quiet --depth 1 {repository} {COLAB_FOLDER}",
        f'    %pip install --quiet -e "{COLAB_FOLDER}{extras}"',
        f'    sys.path.insert(0, "{COLAB_FOLDER}")',
        f"%load_ext {EXTENSION}"])


def item_notebook(manifest: Manifest, item: Item, lang: str = "en"):
    """The item's self-study notebook in `lang`, with cell ids derived from the item (the same stub, the same
    notebook, byte for byte)."""
    was = i18n.current()
    i18n.use(lang)
    try:
        return _item_notebook(manifest, item, lang)
    finally:
        i18n.use(was)


def _item_notebook(manifest: Manifest, item: Item, lang: str):
    import nbformat  # the builder's needs (nbformat, nbconvert through nbgrader.py): not a check's

    from ptgrade.integrations import nbgrader
    stub = nbgrader._Source(manifest.stubs_dir(lang) / item.file_name)
    flag = " --lang ko" if lang == "ko" else ""
    markdown, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    lesson = inspect.cleandoc(ast.get_docstring(stub.tree) or "").replace(f"`ptgrade check {item.id}`",
                                                                            f"`%ptgrade check {item.id}`")
    heading, _newline, rest = lesson.partition("\n")
    if not heading.startswith(item.id):  # the docstring's first line is the item's own heading, or there is none
        heading, rest = f"{item.id} {item.title_in(lang)}", lesson
    cells = [code(setup_source(repository_url(manifest), item)), markdown(f"# {heading}\n\n{rest.strip()}")]
    for node, source in nbgrader.stub_cells(stub):
        docstring = ast.get_docstring(node) if node is not None else None
        if docstring is not None and len(node.body) > 1:
            cells.append(markdown(f"### `{node.name}`\n\n{inspect.cleandoc(docstring)}"))
            source = _without_docstring(node, stub)
        cells.append(code(source, metadata={"ptgrade": {"task": node.name}} if node is not None else {}))
    cells.append(markdown(_("## Check your work\n\nRun the cell below after running the cells above: it grades "
                            "them with the same checks as `ptgrade check {id}`, outside this notebook's kernel. "
                            "Stuck? `%ptgrade hint {id}` gives the next hint.").format(id=item.id)))
    cells.append(code(f"%ptgrade check {item.id}{flag}", metadata={"ptgrade": {"check": item.id}}))
    if item.section == "5":
        cells.append(markdown(_("## Train it\n\nA few steps of the real pipeline on data the kit makes, on the "
                                "code above (`ptgrade run {id} --smoke`), with its plots. For the full run, "
                                "`%ptgrade run {id}`.").format(id=item.id)))
        cells.append(code(f"%ptgrade run {item.id} --smoke{flag}", metadata={"ptgrade": {"run": item.id}}))
    for index, cell in enumerate(cells):
        cell.id = f"{item.module_name.replace('_', '-')}-{index:02d}"
    return nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}, "colab": {"provenance": []},
        "ptgrade": {"item": item.id, "lang": lang}})


def _without_docstring(node: ast.stmt, stub) -> str:
    """The def or class as written, less its docstring's lines (they are the Markdown cell above it)."""
    lines = stub.segment(node).split("\n")
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    doc = node.body[0]
    del lines[doc.lineno - first:doc.end_lineno - first + 1]
    return "\n".join(lines)


# -- grading ----------------------------------------------------------------------------------------
def code_cells(history: list[str]) -> list[tuple[str, str]]:
    """The student's code from a kernel's input history (`In`: entry n is the cell run as In [n]), as
    (label, source) for `notebook.export`: every cell in the order it ran, less the statements that are the
    kit's plumbing (the setup cell's install, `%load_ext`, `%ptgrade ...`), blanked so lines keep their numbers."""
    cells = []
    for number, source in enumerate(history):
        if number and isinstance(source, str) and source.strip():
            cells.append((f"In [{number}]", _without_kit(source)))
    return cells


def _without_kit(source: str) -> str:
    text = notebook._ipython_to_python(source)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return source   # left to export, which leaves it out and says so
    lines = text.split("\n")
    for node in tree.body:
        if _is_kit(node):
            for number in range(node.lineno, node.end_lineno + 1):
                lines[number - 1] = ""
    return "\n".join(lines)


def _is_kit(node: ast.stmt) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    for inner in ast.walk(node):
        if isinstance(inner, ast.Expr) and (magic := notebook._magic(inner)) is not None:
            kind, name, _text = magic
            if kind == "system" or name in KIT_MAGICS:
                return True
    return False


def grade_cells(manifest: Manifest, item: Item, history: list[str]) -> tuple[ItemResult, notebook.Export]:
    """Grade the code of a kernel's input history as the item's module (every check; `gpu` ones run where
    CUDA is), messages naming its cells."""
    exported = notebook.export(code_cells(history))
    return notebook.grade(manifest, item, exported, f"{item.module_name}.ipynb"), exported


def record(manifest: Manifest, result: ItemResult) -> None:
    """Record a notebook's result where the CLI records progress (`ptgrade list --source notebooks`)."""
    progress = Progress(manifest.root)
    progress.record(result, str(manifest.root / SOURCE))
    progress.save()
