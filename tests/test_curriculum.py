"""`ptgrade verify` for every built item, as instructor CI runs it: each reference solution, and each correct
solution written in another style (solutions/alternatives/<item>/: the graders test behaviour, not the shape of our
code), earns full marks; each untouched stub earns zero with every check "not started"; and each known-wrong
solution is caught by the check it declares, with a message that names the mistake. All of an item's files are
graded by one judge."""
from pathlib import Path

import pytest

from ptgrade.course import manifest as manifest_module
from ptgrade.instructor import verify

KIT_ROOT = Path(__file__).resolve().parent.parent
MANIFEST = manifest_module.load(KIT_ROOT)
BUILT = [item for item in MANIFEST.items if item.available]


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("item", BUILT, ids=[item.id for item in BUILT])
def test_item_verifies(item):
    findings = verify.run(MANIFEST, [item], jobs_count=1)
    violations = [f"{f.subject}: {f.detail}" for f in findings if not f.ok]
    assert findings and not violations, "\n".join(violations)


def test_no_file_outside_the_manifest():
    findings = verify.structure_findings(MANIFEST, list(MANIFEST.items))
    assert not [f for f in findings if not f.ok], [f.detail for f in findings if not f.ok]


def test_every_item_has_a_correct_solution_written_another_way():
    missing = [item.id for item in BUILT if not verify.alternatives(MANIFEST, item)]
    assert not missing, f"no solutions/alternatives/<item>/ for {missing}"
