"""ptgrade/instructor/cluster.py without a cluster: the kit's fingerprint, the refusal of another kit, the parcels."""
import pytest

from ptgrade.instructor import batch, cluster


def _kit(root):
    (root / "graders" / "__pycache__").mkdir(parents=True)
    (root / "curriculum.toml").write_text("[[section]]\n")
    (root / "graders" / "test_a.py").write_text("def test_a(): pass\n")
    return root


def test_the_fingerprint_follows_what_decides_a_grade_and_nothing_else(tmp_path):
    first = _kit(tmp_path / "one")
    second = _kit(tmp_path / "two")
    assert cluster.fingerprint(first) == cluster.fingerprint(second)
    (second / "graders" / "__pycache__" / "test_a.pyc").write_bytes(b"\0")  # not the kit
    (second / "notes.txt").write_text("not the kit either")
    assert cluster.fingerprint(first) == cluster.fingerprint(second)
    (second / "graders" / "test_a.py").write_text("def test_a(): assert False\n")
    assert cluster.fingerprint(first) != cluster.fingerprint(second)


def test_a_node_with_another_kit_grades_nothing_and_says_so_in_one_sentence():
    with pytest.raises(cluster.KitMismatch, match=r"another version of the kit .*: install the same kit"):
        cluster.grade_parcel("0" * 16, ["1.2"], "en", [("ana", "ana", {})])


def test_parcels_carry_the_bytes_of_the_items_files_or_why_there_are_none(tmp_path):
    class Item:
        file_name = "s1_2_tensors.py"
    (tmp_path / "ana").mkdir()
    (tmp_path / "ana" / Item.file_name).write_bytes(b"x = 1\n")
    (tmp_path / "ana" / "other.py").write_bytes(b"not sent\n")
    (tmp_path / "ben").mkdir()
    students = [batch.Student("ana", "ana.zip", tmp_path / "ana"), batch.Student("ben", "ben", tmp_path / "ben"),
                batch.Student("cho", "cho.zip", batch.SubmissionProblem("cho.zip: the zip cannot be read."))]
    assert cluster._parcel_of(students, [Item]) == [("ana", "ana.zip", {Item.file_name: b"x = 1\n"}),
                                                     ("ben", "ben", {}),
                                                     ("cho", "cho.zip", "cho.zip: the zip cannot be read.")]


def test_students_per_task_give_about_two_tasks_per_thread():
    assert cluster.per_task_for(100, 2) == 25
    assert cluster.per_task_for(3, 16) == 1
    assert cluster.per_task_for(10_000, 0) == 5000
