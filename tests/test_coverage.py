"""docs/coverage.toml, the map from topics to stub functions and checks, names only things that exist."""
import ast
from pathlib import Path

import pytest
import tomllib

from ptgrade.course.manifest import load

ROOT = Path(__file__).resolve().parents[1]
ROWS = tomllib.loads((ROOT / "docs" / "coverage.toml").read_text(encoding="utf-8"))["row"]
SOURCES = {"outline", "learn-the-basics", "intermediate", "d2l"}


def _top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['item']}:{r['topic'][:40]}" for r in ROWS])
def test_every_row_names_what_exists(row):
    manifest = load(ROOT)
    item = manifest.item(row["item"])
    assert row["topic_ko"].strip() and set(row["source"]) <= SOURCES, row
    for stub in (manifest.stubs_dir("en") / item.file_name, manifest.stubs_dir("ko") / item.file_name):
        missing = set(row["functions"]) - _top_level_names(stub)
        assert not missing, f"{stub.name} does not define {sorted(missing)}"
    grader = manifest.grader_path(item)
    missing = set(row["checks"]) - _top_level_names(grader)
    assert row["checks"] and not missing, f"{grader.name} has no check {sorted(missing)}"
