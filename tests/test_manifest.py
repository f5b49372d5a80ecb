"""curriculum.toml: the real one is complete. (Parsing, selecting and malformed entries:
tests/unit/course/test_manifest.py.)"""
from pathlib import Path

from ptgrade.course import manifest as manifest_module

KIT_ROOT = Path(__file__).resolve().parent.parent


def test_real_manifest_lists_the_eighteen_items_in_order_with_both_titles():
    manifest = manifest_module.load(KIT_ROOT)
    ids = [item.id for item in manifest.items]
    assert ids == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3",
                   "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3"]
    assert all(item.title and item.title_ko for item in manifest.items)
    assert [s.id for s in manifest.sections] == ["1", "2", "3", "4", "5"]


def test_every_built_item_has_its_files_and_ordered_hints():
    manifest = manifest_module.load(KIT_ROOT)
    for item in manifest.items:
        if item.available:
            assert (manifest.exercises_dir / item.file_name).is_file(), item.id
            assert (manifest.solutions_dir / item.file_name).is_file(), item.id
            assert manifest.grader_path(item).is_file(), item.id
            assert len(item.hints) >= 2, item.id
