"""`ptgrade release`: the student edition. Everything a student needs to work and self-check; nothing
of solutions/ (references or mutants), of the kit's own tests (they hold alternative solutions), or of
checks marked `hidden` (removed from the graders' source)."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

from ptgrade.course.manifest import Manifest

SHIPPED = ("cli.py", "curriculum.toml", "pyproject.toml", "README.md", "README.ko.md", "ptgrade", "graders",
           "exercises")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")


def write(manifest: Manifest, out: Path, lang: str = "en") -> Path:
    """The student edition in `out`; with lang="ko" its exercises/ holds the Korean stubs."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; choose a new folder for the release.")
    out.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        source = manifest.root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=IGNORED)
        elif source.is_file():
            shutil.copy2(source, out / name)
    korean = out / "exercises" / "ko"
    if lang == "ko" and korean.is_dir():
        for stub in korean.glob("s*.py"):
            shutil.copy2(stub, out / "exercises" / stub.name)
        shutil.rmtree(korean)
    for grader in (out / "graders").glob("test_*.py"):
        grader.write_text(strip_hidden(grader.read_text(encoding="utf-8")), encoding="utf-8")
    from ptgrade.course import stubs
    stubs.keep_originals(out)
    return out


def _is_hidden(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        ast.unparse(d).endswith("mark.hidden") for d in node.decorator_list)


def strip_hidden(source: str) -> str:
    """The grader's source without its `@pytest.mark.hidden` checks (line ranges cut from the text,
    so the rest of the file keeps its formatting)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in sorted((n for n in tree.body if _is_hidden(n)), key=lambda n: n.lineno, reverse=True):
        start = min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1
        del lines[start:node.end_lineno]
    return "".join(lines)
