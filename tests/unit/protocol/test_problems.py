"""ptgrade/protocol/problems.py: the exception classes every process names, and a file's name as the student
knows it."""
from pathlib import Path

from ptgrade.protocol import problems


def test_display_is_relative_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert problems.display(tmp_path / "exercises" / "s1_2_tensors.py") == str(Path("exercises") / "s1_2_tensors.py")
    assert problems.display(Path("s1_2_tensors.py")) == "s1_2_tensors.py"  # already relative: resolved first


def test_display_outside_the_current_folder_is_the_path_as_given(tmp_path, monkeypatch):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    elsewhere = tmp_path / "elsewhere" / "s1_2_tensors.py"
    assert problems.display(elsewhere) == str(elsewhere)


def test_display_names_the_original_of_a_graded_copy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "scratch" / "s1_2_tensors.py"
    monkeypatch.setitem(problems.DISPLAY_NAMES, str(copy), "my_work/s1_2_tensors.py")
    assert problems.display(copy) == "my_work/s1_2_tensors.py"
    assert problems.display(tmp_path / "scratch" / "other.py") == str(Path("scratch") / "other.py")


def test_a_missing_name_is_an_implementation_error_and_an_attribute_error():
    error = problems.MissingName("s1_2_tensors.py defines no `f`")
    assert isinstance(error, problems.ImplementationError) and isinstance(error, AttributeError)
    assert not isinstance(problems.NotStarted("x"), problems.ImplementationError)


def test_at_line_in_each_language():
    assert problems.at_line(12, "return x * 2", lang="en") == " (line 12: `return x * 2`)"
    assert problems.at_line(12, lang="en") == " (line 12)"
    assert problems.at_line(12, "return x * 2", lang="ko") == " (12번째 줄: `return x * 2`)"
    assert problems.at_line(3, lang="fr") == " (line 3)"  # a language the kit does not speak: English


def test_line_in_reads_back_what_at_line_wrote():
    for lang in ("en", "ko"):
        assert problems.line_in("raised KeyError" + problems.at_line(7, "y = d['k']", lang=lang)) == (7, "y = d['k']")
        assert problems.line_in("raised KeyError" + problems.at_line(7, lang=lang) + ".") == (7, "")
    assert problems.line_in("the line 7 of the table (line of best fit)") is None


def test_relocate_renames_every_place_in_its_own_language():
    text = "first" + problems.at_line(4, "a", lang="en") + ", then" + problems.at_line(9, lang="ko")
    assert problems.relocate(text, lambda line, lang: f"{lang}:{line * 10}") == "first (en:40: `a`), then (ko:90)"
