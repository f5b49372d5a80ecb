"""ptgrade/course/limits.py: a check's time limit from the reference's recorded time."""
from ptgrade.course import limits
from ptgrade.course.manifest import Item


class _Manifest:
    def __init__(self, root):
        self.root = root


def _item(timeout=60):
    return Item(id="1.2", slug="tensors", title="T", title_ko="T", hints=(), timeout=timeout)


def test_no_record_keeps_the_items_timeout(tmp_path):
    assert limits.check_seconds(_Manifest(tmp_path), _item(60), "cpu") == 60


def test_a_record_gives_margin_times_the_longest_check_with_a_floor_and_the_timeout_as_cap(tmp_path):
    manifest = _Manifest(tmp_path)
    (tmp_path / "graders").mkdir()
    limits.record(manifest, {"1.2": 0.01})
    assert limits.check_seconds(manifest, _item(60), "cpu") == limits.FLOOR_SECONDS
    limits.record(manifest, {"1.2": 1.26})
    assert limits.check_seconds(manifest, _item(60), "cpu") == 26  # ceil(20 * 1.26)
    assert limits.check_seconds(manifest, _item(20), "cpu") == 20
    assert limits.check_seconds(manifest, _item(600), "cuda") == 26 + limits.CUDA_SECONDS


def test_recording_one_item_keeps_the_others_and_a_broken_record_is_ignored(tmp_path):
    manifest = _Manifest(tmp_path)
    (tmp_path / "graders").mkdir()
    limits.record(manifest, {"1.2": 0.5, "2.4": 3.0})
    limits.record(manifest, {"2.4": 2.0})
    assert limits.measured(manifest) == {"1.2": 0.5, "2.4": 2.0}
    (tmp_path / limits.MEASURED).write_text("not json")
    assert limits.measured(manifest) == {}
