"""integrations/selfstudy.py's pure parts: which of a kernel's cells are the student's code, and the Colab links."""
from pathlib import Path

from ptgrade.course import manifest as manifest_module
from ptgrade.integrations import notebook, selfstudy

MANIFEST = manifest_module.load(Path(__file__).resolve().parents[3])
SETUP = selfstudy.setup_source("https://github.com/ptgrade/ptgrade", MANIFEST.item("1.2"))


def test_the_kits_cells_are_left_out_and_the_students_code_keeps_its_lines():
    history = ["", SETUP, "import torch\n", "def double(x):\n    return x * 2\n%ptgrade check 1.2",
               "%ptgrade check 1.2 --lang ko", "!pip install rich\ny = 1"]
    cells = selfstudy.code_cells(history)
    assert [label for label, _ in cells] == ["In [1]", "In [2]", "In [3]", "In [4]", "In [5]"]
    exported = notebook.export(cells)
    for plumbing in ("git clone", "find_spec(", "load_ext", "sys.path", "'ptgrade'"):
        assert plumbing not in exported.code
    assert "def double(x):\n    return x * 2" in exported.code and "y = 1" in exported.code
    line = exported.code.split("\n").index("    return x * 2") + 1
    assert exported.where(line) == "In [3], line 2"


def test_a_cell_that_is_not_python_is_left_to_the_export_to_name():
    exported = notebook.export(selfstudy.code_cells(["", "def f(:\n"]))
    assert exported.left_out and exported.left_out[0].startswith("In [1]")


def test_colab_links_point_into_the_repository():
    item = MANIFEST.item("2.4")
    assert selfstudy.colab_url("https://github.com/o/kit", item, "ko") == (
        "https://colab.research.google.com/github/o/kit/blob/main/notebooks/ko/s2_4_train_eval.ipynb")
    assert selfstudy.repository_url(MANIFEST).startswith("https://github.com/")
