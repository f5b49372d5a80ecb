"""ptgrade/judge/files.py: the judge's files and the student's, apart, and made afresh for each student."""
import stat
from types import SimpleNamespace

from ptgrade.judge.files import JudgeFiles


def test_student_folders_are_new_writable_and_named_safely():
    files = JudgeFiles()
    try:
        first, second = files.student_dir("test_a/../b c"), files.student_dir("test_a/../b c")
        assert first != second and first.parent == second.parent == files.student
        assert "/" not in first.name.removesuffix("-0") and " " not in first.name
        assert stat.S_IMODE(first.stat().st_mode) == 0o777
        assert files.shared().writable == (files.student,) and files.shared().readable == (files.judge,)
    finally:
        files.remove()


def test_private_folders_are_the_judges_alone():
    files = JudgeFiles()
    try:
        folder = files.private_dir()
        assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700 and folder.is_relative_to(files.root)
        assert not folder.is_relative_to(files.student) and files.private_dir() != folder
    finally:
        files.remove()


def test_the_next_student_finds_nothing_and_gets_a_new_temporary_folder():
    files = JudgeFiles()
    try:
        planted = files.student_dir("first") / "left.txt"
        planted.write_text("for the next one")
        (files.student / "link").symlink_to(files.judge)
        factory = SimpleNamespace(_basetemp="old", _given_basetemp="old")
        files.next_student(SimpleNamespace(_tmp_path_factory=factory))
        assert list(files.student.iterdir()) == [] and files.judge.is_dir()
        assert factory._basetemp is None and factory._given_basetemp == files.judge / "1"
        files.next_student(SimpleNamespace(_tmp_path_factory=factory))
        assert factory._given_basetemp == files.judge / "2"
    finally:
        files.remove()
    assert not files.root.exists()
