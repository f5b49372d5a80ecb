"""ptgrade/integrations/notebook.py, its pure part: a notebook's code cells exported to the module the judge grades,
and messages about that module named by cell. (Grading a notebook, `collect` and `run_check`:
tests/test_nbgrader.py.)"""
import pytest

from ptgrade.integrations import notebook as notebook_module
from ptgrade.protocol.results import CheckResult

TEST_CELL = "from ptgrade.integrations.notebook import run_check\nrun_check('1.1', {check!r}, globals())"


@pytest.fixture
def ipython():
    """Magics are read as IPython reads them; without IPython a cell is taken as it is."""
    pytest.importorskip("IPython")


def test_export_strips_magics_and_test_plumbing_and_names_cells(ipython):
    exported = notebook_module.export([
        ("In [1]", "%matplotlib inline\nimport torch\n!pip install nothing\ntext = '''\n%not a magic\n'''"),
        ("In [2]", TEST_CELL.format(check="test_double_doubles")),
        ("In [3]", "def double(x):\n    %time y = 1\n    return x * 2\nimport ptgrade.integrations.notebook\n"
                   "ptgrade.integrations.notebook.run_check = lambda *a, **k: None"),
        ("In [4]", "def broken(:\n    pass"),
        ("In [5]", "%%time\nz = double(1)"),
        ("In [6]", "%%bash\necho hi"),
    ])
    code = exported.code
    compile(code, "exported.py", "exec")
    assert "%not a magic" in code and "matplotlib" not in code and "pip" not in code and "echo" not in code
    assert "run_check" not in code.split("# -- In [1] --")[1] and "broken" not in code
    assert "    y = 1\n    return x * 2" in code and "z = double(1)" in code
    assert exported.left_out == ["In [4] (not valid Python: invalid syntax, line 1)"]
    line = code.split("\n").index("    return x * 2") + 1
    assert exported.where(line) == "In [3], line 3"
    assert notebook_module._cells_named(f"raised (line {line}: `return x * 2`)", exported) == \
        "raised (In [3], line 3: `return x * 2`)"


def test_each_cell_starts_where_it_says_and_empty_cells_are_skipped():
    exported = notebook_module.export([("In [1]", "a = 1\nb = 2"), ("In [2]", "   \n"), ("In [3]", "c = a + b")])
    lines = exported.code.split("\n")
    assert [label for _, label in exported.starts] == ["In [1]", "In [3]"]
    for start, label in exported.starts:
        assert lines[start - 2] == f"# -- {label} --"  # the line before a cell's first line names it
    assert lines[exported.starts[0][0] - 1] == "a = 1" and lines[exported.starts[1][0] - 1] == "c = a + b"
    namespace = {}
    exec(compile(exported.code, "exported.py", "exec"), namespace)
    assert namespace["c"] == 3


def test_where_names_the_cell_and_its_line():
    exported = notebook_module.Export(code="", starts=[(3, "In [1]"), (7, "In [4]")])
    assert exported.where(3) == "In [1], line 1" and exported.where(6) == "In [1], line 4"
    assert exported.where(7) == "In [4], line 1" and exported.where(40) == "In [4], line 34"
    assert exported.where(2) == "line 2"  # before any cell: the module's own header


def test_cells_named_rewrites_every_line_reference_and_nothing_else():
    exported = notebook_module.Export(code="", starts=[(3, "In [2]")])
    assert notebook_module._cells_named("raised ValueError (line 5: `x = f()`)", exported) == \
        "raised ValueError (In [2], line 3: `x = f()`)"
    assert notebook_module._cells_named("(line 4) and (line 9: `y`)", exported) == \
        "(In [2], line 2) and (In [2], line 7: `y`)"
    assert notebook_module._cells_named("see line 4 (line 4a)", exported) == "see line 4 (line 4a)"


def test_a_cell_that_is_not_python_is_left_out_and_said():
    exported = notebook_module.export([("In [1]", "x = 1"), ("In [2]", "if x:\nprint(x)"), ("In [3]", "y = 2")])
    assert exported.left_out == ["In [2] (not valid Python: expected an indented block after 'if' statement on "
                                 "line 1, line 2)"]
    assert "print" not in exported.code and "y = 2" in exported.code
    failed = CheckResult("test_a", "numerics", 1, "failed", "expected 2, got 3")
    assert notebook_module.message(failed, exported) == (
        "test_a: failed: expected 2, got 3\n(left out of grading, not valid Python: " + exported.left_out[0] + ")")
    assert notebook_module.message(failed) == "test_a: failed: expected 2, got 3"


def test_test_cell_statements_are_blanked_keeping_the_cells_line_numbers(ipython):
    exported = notebook_module.export([("In [1]", TEST_CELL.format(check="test_a") + "\nkept = 1")])
    lines = exported.code.split("\n")
    start = exported.starts[0][0]
    assert lines[start - 1:start + 2] == ["", "", "kept = 1"]
    assert exported.where(start + 2) == "In [1], line 3"


def test_a_function_that_mentions_run_check_is_kept():
    exported = notebook_module.export([("In [1]", "def helper():\n    return run_check\n")])
    assert "def helper():\n    return run_check" in exported.code


def test_python_cell_magics_keep_their_body(ipython):
    exported = notebook_module.export([("In [1]", "%%capture out\ny = 2\nz = 3"), ("In [2]", "%%timeit\nw = 4"),
                                       ("In [3]", "%%writefile f.py\nnot = python")])
    code = exported.code
    assert "y = 2\nz = 3" in code and "w = 4" in code and "writefile" not in code and "not = python" not in code
    compile(code, "exported.py", "exec")


def test_display_and_get_ipython_are_defined_where_used(ipython):
    exported = notebook_module.export([("In [1]", "display(1)\nshell = get_ipython()\nshell.run_line_magic('x', '')")])
    namespace = {}
    exec(compile(exported.code, "exported.py", "exec"), namespace)  # no kernel: a shell that does nothing
    assert callable(namespace["display"]) and namespace["shell"] is not None
    start, label = exported.starts[0]
    assert exported.code.split("\n")[start - 1] == "display(1)" and label == "In [1]"
    assert "def get_ipython" not in notebook_module.export([("In [1]", "x = 1")]).code


def test_the_digest_follows_the_code():
    first = notebook_module.export([("In [1]", "x = 1")])
    assert first.digest == notebook_module.export([("In [1]", "x = 1")]).digest
    assert first.digest != notebook_module.export([("In [1]", "x = 2")]).digest
