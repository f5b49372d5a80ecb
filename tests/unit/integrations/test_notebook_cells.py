"""A message's place in the student's file, named as a notebook cell in either language (integrations/notebook.py,
protocol/problems.py). The Korean form ("N번째 줄") was once left unmapped in a Korean nbgrader course."""
import pytest

from ptgrade.integrations import notebook
from ptgrade.protocol import problems

CELLS = notebook.export([("In [1]", "import torch\n"), ("In [3]", "def double(x):\n    y = x\n    return x * 2\n")])
LINE = CELLS.code.split("\n").index("    return x * 2") + 1


@pytest.mark.parametrize("lang, cell", [("en", "In [3], line 3"), ("ko", "In [3], 3번째 줄")])
def test_a_line_in_either_language_names_its_cell(lang, cell):
    message = "double raised ZeroDivisionError" + problems.at_line(LINE, "return x * 2", lang=lang)
    assert problems.line_in(message) == (LINE, "return x * 2")
    assert notebook._cells_named(message, CELLS) == f"double raised ZeroDivisionError ({cell}: `return x * 2`)"


def test_a_message_without_a_line_is_left_as_it_is():
    text = "expected 3, got 4 (line of best fit)"
    assert notebook._cells_named(text, CELLS) == text
    assert problems.line_in("no place here") is None
