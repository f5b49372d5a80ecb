"""`ptgrade verify` for every built item, as instructor CI runs it: each reference solution earns full
marks, each untouched stub earns zero with every check "not started", and each known-wrong solution
is caught by the check it declares, with a message that names the mistake."""
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
