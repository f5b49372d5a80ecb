"""curriculum.toml: the real one is complete, and a malformed one is a clear error naming the entry."""
from pathlib import Path

import pytest

from ptgrade.course import manifest as manifest_module
from ptgrade.course.manifest import ManifestError, UnknownItem

KIT_ROOT = Path(__file__).resolve().parent.parent
ITEM = '[[section]]\nid = "1"\ntitle = "B"\ntitle_ko = "기"\n\n[[item]]\nid = "1.1"\nslug = "demo"\ntitle = "D"\ntitle_ko = "데"\nhints = ["a", "b"]\n'


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


def test_paths_derive_from_id_and_slug():
    item = manifest_module.parse(ITEM.replace('"demo"', '"train-eval"').replace('"1.1"', '"2.4"')
                                 .replace('id = "1"', 'id = "2"'), KIT_ROOT).item("2.4")
    assert item.file_name == "s2_4_train_eval.py" and item.grader_name == "test_s2_4_train_eval.py"


def test_selecting_items_and_sections():
    manifest = manifest_module.load(KIT_ROOT)
    assert [i.id for i in manifest.select(["1"])] == ["1.1", "1.2", "1.3", "1.4"]
    assert [i.id for i in manifest.select(["2.4", "1.2", "2.4"])] == ["2.4", "1.2"]
    with pytest.raises(UnknownItem, match="9.9"):
        manifest.select(["9.9"])
    with pytest.raises(UnknownItem, match="section '7'"):
        manifest.select(["7"])


@pytest.mark.parametrize("broken, words", [
    (ITEM.replace('slug = "demo"\n', ""), "item #1 (1.1) has no `slug`"),
    (ITEM.replace('"1.1"', '"one"'), "id 'one'"),
    (ITEM.replace('"demo"', '"Demo Item"'), "slug 'Demo Item'"),
    (ITEM.replace('hints = ["a", "b"]', 'hints = ["a"]'), "fewer than 2 hints"),
    (ITEM.replace('hints = ["a", "b"]', 'hints = "a"'), "`hints`"),
    (ITEM + 'colour = "red"\n', "unknown keys: colour"),
    (ITEM + ITEM.split("\n\n", 1)[1], "listed twice"),
    (ITEM.replace('id = "1"\n', 'id = "2"\n'), "belong to no [[section]]"),
    ("[[item]\n", "not valid TOML"),
])
def test_malformed_manifest_names_the_entry(broken, words):
    with pytest.raises(ManifestError) as error:
        manifest_module.parse(broken, KIT_ROOT)
    assert words in str(error.value)
