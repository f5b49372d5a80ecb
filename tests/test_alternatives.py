"""Correct solutions written in other styles than ours must earn full marks: the graders test
behaviour, not the shape of our code. Each file in tests/alternatives/ is named
`<item module>__<style>.py`, e.g. `s2_4_train_eval__while_loop.py`."""
import shutil
from pathlib import Path

import pytest

from ptgrade.course import manifest as manifest_module
from ptgrade.host import runner

KIT_ROOT = Path(__file__).resolve().parent.parent
MANIFEST = manifest_module.load(KIT_ROOT)
ALTERNATIVES = sorted((Path(__file__).parent / "alternatives").glob("s*__*.py"))


def _item_for(path: Path):
    module = path.stem.split("__")[0]
    return next(item for item in MANIFEST.items if item.module_name == module)


@pytest.mark.parametrize("path", ALTERNATIVES, ids=[p.stem for p in ALTERNATIVES])
def test_alternative_solution_earns_full_marks(path, tmp_path):
    item = _item_for(path)
    # Graded under the item's own file name, as a student's copy would be.
    submission = tmp_path / item.file_name
    shutil.copy(path, submission)
    result = runner.grade(MANIFEST, item, submission)
    wrong = [f"{c.name}: {c.outcome}: {c.message}" for c in result.checks if c.outcome not in ("passed", "skipped")]
    assert not result.problem and not wrong and result.passed, result.problem or "\n".join(wrong)
