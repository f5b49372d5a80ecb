"""ptgrade/course/release.py, its pure part: hidden checks cut from a grader's source, and a release never written
over a folder in use. (A whole student edition: tests/test_classroom.py.)"""
import ast
from pathlib import Path

import pytest

from ptgrade.course import manifest as manifest_module
from ptgrade.course import release

KIT_ROOT = Path(__file__).resolve().parents[3]


def test_release_strips_hidden_checks():
    source = ("import pytest\n\n\n@pytest.mark.points(1)\n@pytest.mark.numerics\ndef test_seen(impl):\n    pass\n\n\n"
              "@pytest.mark.hidden\n@pytest.mark.points(1)\n@pytest.mark.numerics\ndef test_secret(impl):\n"
              "    pass\n")
    stripped = release.strip_hidden(source)
    assert "test_seen" in stripped and "test_secret" not in stripped
    ast.parse(stripped)


def test_strip_hidden_keeps_everything_else_as_it_was_written():
    source = ("import pytest\n\nX = 1  # kept, comment and all\n\n\n"
              "@pytest.mark.hidden\ndef test_a(impl):\n    pass\n\n\n"
              "def helper():\n    return   X\n\n\n"
              "@pytest.mark.hidden\n@pytest.mark.points(2)\nasync def test_b(impl):\n    pass\n")
    assert release.strip_hidden(source) == ("import pytest\n\nX = 1  # kept, comment and all\n\n\n\n\n"
                                            "def helper():\n    return   X\n\n\n")
    assert release.strip_hidden("def test_c(impl):\n    pass\n") == "def test_c(impl):\n    pass\n"


def test_release_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("")
    with pytest.raises(FileExistsError):
        release.write(manifest_module.load(KIT_ROOT), tmp_path / "x")
