"""ptgrade/judge/workers.py, its pure part: which libraries a zygote that grades the kit's own files imports once."""
from ptgrade.judge.workers import libraries_of


def test_the_libraries_of_a_reference_are_its_module_level_imports_outside_the_kit(tmp_path):
    reference = tmp_path / "s9_9_demo.py"
    reference.write_text("\n".join([
        "from __future__ import annotations", "import csv, torch", "from sklearn.datasets import load_digits",
        "from torchvision.transforms import v2, Compose", "from solutions.x import *",
        "from graders.support import words",
        "from . import sibling", "", "", "def f():", "    import lightning", ""]), encoding="utf-8")
    assert libraries_of(reference) == ("csv", "torch", "sklearn.datasets", "sklearn.datasets.load_digits",
                                       "torchvision.transforms", "torchvision.transforms.v2")


def test_a_reference_that_cannot_be_read_preloads_nothing(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n", encoding="utf-8")
    assert libraries_of(broken) == () and libraries_of(tmp_path / "missing.py") == ()
