"""On a CUDA machine, every item's reference solution passes with the graders' `gpu` checks included.
Elsewhere this is skipped, with its reason shown (`pytest -rs`)."""
from pathlib import Path

import pytest
import torch

from ptgrade.course import manifest as manifest_module
from ptgrade.host import runner

KIT_ROOT = Path(__file__).resolve().parent.parent
MANIFEST = manifest_module.load(KIT_ROOT)
BUILT = [item for item in MANIFEST.items if item.available]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU; torch.cuda.is_available() is False")
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("item", BUILT, ids=[item.id for item in BUILT])
def test_solution_passes_gpu_checks_on_cuda(item):
    result = runner.grade(MANIFEST, item, MANIFEST.solutions_dir / item.file_name, device="cuda")
    # A gpu check may still skip on CUDA when its optional package (DeepSpeed) is absent.
    wrong = [f"{c.name}: {c.outcome}: {c.message}" for c in result.checks if c.outcome not in ("passed", "skipped")]
    assert not result.problem and not wrong, result.problem or "\n".join(wrong)
