"""Forgers: for every built item, a submission in tests/forgers/ that fakes every observation it can over an
untouched or wrong stub: it patches torch, Lightning and transformers in its own process, reports falling
losses, writes metrics files, reads the grader's data recipes and answers with lookup tables. A forger must
earn nothing; a check it still passes is declared in its FORGED dictionary (check name -> why that promise
cannot be checked from outside the student's process) and named in the README's table."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ptgrade.course import manifest as manifest_module
from ptgrade.host import runner
from ptgrade.protocol.plan import JudgeStart

KIT_ROOT = Path(__file__).resolve().parent.parent
MANIFEST = manifest_module.load(KIT_ROOT)
BUILT = [item for item in MANIFEST.items if item.available]
FORGERS = KIT_ROOT / "tests" / "forgers"


def declared(path: Path) -> dict[str, str]:
    """The forger's FORGED declaration, read without running it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["FORGED"]:
            return ast.literal_eval(node.value)
    return {}


def test_every_built_item_has_a_forger():
    assert sorted(p.name for p in FORGERS.glob("s*.py")) == sorted(item.file_name for item in BUILT)


@pytest.mark.parametrize("item", BUILT, ids=[item.id for item in BUILT])
def test_a_forger_earns_only_what_it_declares(item):
    path = FORGERS / item.file_name
    if not path.is_file():
        pytest.fail(f"no forger for {item.id}: {path}")
    result = runner.grade_many(MANIFEST, item, [runner.Planned("forger", path)], start=JudgeStart.WARM)["forger"]
    assert not result.problem, result.problem
    passed = {check.name for check in result.checks if check.outcome == "passed"}
    # A declared point the forger happens not to earn in a run (its fake depends on the run's draw) is no weakness.
    assert passed <= set(declared(path)), {check.name: check.message for check in result.checks
                                           if check.name in passed - set(declared(path))}
