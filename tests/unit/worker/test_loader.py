"""ptgrade/worker/loader.py: loading the file under test and describing what it raises, as the worker does, here
in the test process (the files are the test's own)."""
import sys
import textwrap
from pathlib import Path

import pytest

from ptgrade.worker import loader
from ptgrade.worker.loader import ImplementationError, MissingName, NotStarted

STUDENT = '''
import torch


def stub(x):
    """Return 2 * x."""
    raise NotImplementedError("stub")


def stub_in_words(x):
    raise NotImplementedError("double the input first")


def stub_bare(x):
    raise NotImplementedError


def meta_copy():
    return torch.empty(2, device="meta").cpu()


def divide(x):
    return 1 / x


def compiles():
    return compile("def (:", "<cell>", "exec")


def too_big():
    raise MemoryError()


def out_of_memory():
    raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 10 GB")

'''


@pytest.fixture
def student(tmp_path, monkeypatch):
    """`write(name, source)`: a file of the student's in tmp_path (the current folder), loaded and unregistered
    afterwards as the worker would never need to."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))

    def write(name: str, source: str) -> Path:
        monkeypatch.delitem(sys.modules, name, raising=False)
        monkeypatch.setitem(sys.modules, name, None)  # so the loaded module is taken out after the test
        path = tmp_path / f"{name}.py"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path
    return write


@pytest.fixture
def loaded(student):
    path = student("ptgrade_unit_student", STUDENT)
    return loader.load(path).checked(), path


def _raised(call) -> BaseException:
    try:
        call()
    except BaseException as error:  # noqa: B036 - whatever student code raises is described
        return error
    raise AssertionError("nothing was raised")


# -- describe_error -------------------------------------------------------------------------------------
def test_the_stubs_not_implemented_error_is_not_started(loaded):
    impl, path = loaded
    info = loader.describe_error(_raised(lambda: impl.stub(1)), path)
    assert info["not_started"] == "`stub` still raises NotImplementedError"
    assert info["type"] == "NotImplementedError" and info["mro"][:2] == ["builtins.NotImplementedError",
                                                                         "builtins.RuntimeError"]
    assert info["location"] == ' (line 7: `raise NotImplementedError("stub")`)'
    assert not info["implementation"] and not info["missing_name"] and not info["memory"]


def test_a_stubs_sentence_or_nothing_is_said_as_not_started(loaded):
    impl, path = loaded
    assert loader.describe_error(_raised(lambda: impl.stub_in_words(1)), path)["not_started"] == \
        "double the input first"
    assert loader.describe_error(_raised(lambda: impl.stub_bare(1)), path)["not_started"] == \
        "your code still raises NotImplementedError"


def test_torchs_not_implemented_error_is_a_mistake_not_a_stub(loaded):
    impl, path = loaded
    info = loader.describe_error(_raised(impl.meta_copy), path)
    assert info["not_started"] == ""
    assert info["summary"] == "NotImplementedError: Cannot copy out of meta tensor; no data!"
    assert info["location"] == ' (line 19: `return torch.empty(2, device="meta").cpu()`)'


def test_an_exception_in_the_file_says_where(loaded):
    impl, path = loaded
    info = loader.describe_error(_raised(lambda: impl.divide(0)), path)
    assert info["type"] == "ZeroDivisionError" and info["message"] == "division by zero"
    assert info["summary"] == "ZeroDivisionError: division by zero"
    assert info["location"] == " (line 23: `return 1 / x`)" and info["not_started"] == ""


def test_an_exception_outside_the_file_has_no_location(loaded):
    _, path = loaded
    info = loader.describe_error(_raised(lambda: 1 / 0), path)
    assert info["location"] == "" and info["summary"] == "ZeroDivisionError: division by zero"


def test_a_syntax_error_raised_by_student_code(loaded):
    impl, path = loaded
    info = loader.describe_error(_raised(impl.compiles), path)
    assert info["type"] == "SyntaxError" and "builtins.SyntaxError" in info["mro"]
    assert info["summary"].startswith("SyntaxError: ") and "<cell>" in info["summary"]
    assert info["location"] == ' (line 27: `return compile("def (:", "<cell>", "exec")`)'
    assert not info["implementation"] and info["not_started"] == ""


def test_memory_errors_are_marked(loaded):
    impl, path = loaded
    info = loader.describe_error(_raised(impl.too_big), path)
    assert info["memory"] and info["summary"] == "MemoryError" and info["message"] == ""
    assert loader.describe_error(_raised(impl.out_of_memory), path)["memory"]


def test_a_chained_not_started_is_not_started(loaded, student):
    _, path = loaded
    unstarted = loader.load(student("ptgrade_unit_untouched", "raise NotImplementedError('all of it')\n"))
    try:
        try:
            unstarted.checked()
        except NotStarted as cause:
            raise RuntimeError("my helper failed") from cause
    except RuntimeError as raised:
        error = raised
    info = loader.describe_error(error, path)
    assert info["not_started"] == "ptgrade_unit_untouched.py raises NotImplementedError while being imported."
    assert info["summary"] == "RuntimeError: my helper failed"


def test_file_problems_are_marked_as_the_files():
    info = loader.describe_error(MissingName("x.py defines no `f`"), Path("x.py"))
    assert info["implementation"] and info["missing_name"] and info["mro"][0] == "ptgrade.protocol.problems.MissingName"


def test_long_messages_are_clipped(loaded):
    _, path = loaded
    info = loader.describe_error(ValueError("v" * 5000), path)
    assert len(info["message"]) == loader.MAX_MESSAGE and info["message"].endswith("...")
    assert len(info["summary"]) == loader.MAX_MESSAGE


# -- load ---------------------------------------------------------------------------------------------
def test_a_loaded_file_is_its_module(loaded):
    impl, path = loaded
    assert impl.divide(4) == 0.25 and sys.modules["ptgrade_unit_student"].__file__ == str(path)
    assert str(path.parent) in sys.path  # so DataLoader workers can import it again by name
    assert repr(impl) == "<implementation ptgrade_unit_student.py>"


def test_a_missing_name_says_which_and_is_an_attribute_error(loaded):
    impl, _ = loaded
    with pytest.raises(MissingName, match=r"ptgrade_unit_student.py defines no `triple`; add it"):
        getattr(impl, "triple")  # noqa: B009 - the attribute access is what is tested
    assert not hasattr(impl, "triple") and hasattr(impl, "stub")


def test_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    implementation = loader.load(tmp_path / "nowhere.py")
    with pytest.raises(ImplementationError, match=r"^nowhere.py does not exist.$"):
        implementation.checked()


def test_a_syntax_error_names_the_line(student):
    implementation = loader.load(student("ptgrade_unit_syntax", "x = 1\ndef broken(:\n    pass\n"))
    with pytest.raises(ImplementationError, match=r"^ptgrade_unit_syntax.py has a syntax error on line 2: "
                                                  r"invalid syntax.$"):
        implementation.checked()
    assert sys.modules.get("ptgrade_unit_syntax") is None  # nothing was imported


def test_a_crash_at_import_says_what_and_where(student):
    implementation = loader.load(student("ptgrade_unit_crash", "import math\nvalue = math.sqrt(-1)\n"))
    with pytest.raises(ImplementationError) as error:
        implementation.checked()
    assert str(error.value) == ("importing ptgrade_unit_crash.py raised ValueError: math domain error "
                                "(line 2: `value = math.sqrt(-1)`).")


def test_not_implemented_at_import_is_not_started(student):
    implementation = loader.load(student("ptgrade_unit_stub", "raise NotImplementedError\n"))
    with pytest.raises(NotStarted, match="^ptgrade_unit_stub.py raises NotImplementedError while being imported.$"):
        implementation.checked()


def test_sys_exit_at_import_is_caught(student):
    implementation = loader.load(student("ptgrade_unit_exit", "import sys\nsys.exit(3)\n"))
    with pytest.raises(ImplementationError, match="calls sys.exit\\(\\) while being imported"):
        implementation.checked()


