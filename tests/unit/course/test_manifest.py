"""ptgrade/course/manifest.py: parsing curriculum.toml, a malformed one as a clear error naming the entry, and the
paths every item derives from its id and slug. (The real curriculum's contents: tests/test_manifest.py.)"""
from pathlib import Path

import pytest

from ptgrade.course import manifest as manifest_module
from ptgrade.course.manifest import ManifestError, UnknownItem

KIT_ROOT = Path(__file__).resolve().parents[3]
ITEM = ('[[section]]\nid = "1"\ntitle = "B"\ntitle_ko = "기"\n\n'
        '[[item]]\nid = "1.1"\nslug = "demo"\ntitle = "D"\ntitle_ko = "데"\nhints = ["a", "b"]\n')
SECOND = '\n[[item]]\nid = "1.2"\nslug = "later"\ntitle = "L"\ntitle_ko = "나"\navailable = false\n'


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
    # beyond the first cases: every field's check
    (ITEM.replace('id = "1.1"\n', ""), "item #1 has no `id`"),
    (ITEM.replace('title = "D"\n', ""), "item #1 (1.1) has no `title`"),
    (ITEM.replace('title_ko = "데"\n', ""), "item #1 (1.1) has no `title_ko`"),
    (ITEM.replace('title = "D"', "title = 4"), "has `title` of the wrong type (expected str)"),
    (ITEM.replace('"1.1"', "1.1"), "item #1 has `id` of the wrong type"),
    (ITEM.replace('hints = ["a", "b"]', 'hints = ["a", " "]'), "`hints` that are not a list of non-empty strings"),
    (ITEM + 'hints_ko = ["가"]\n', "1 Korean hints for 2 English ones"),
    (ITEM + 'hints_ko = "가"\n', "`hints_ko`"),
    (ITEM + 'answer = "x = 1"\n', "`answer` that is not a list of non-empty strings"),
    (ITEM + 'answer = ["x = 1"]\nanswer_ko = ["가", "나"]\n', "2 Korean answer lines for 1 English ones"),
    (ITEM + 'available = "yes"\n', "`available` that is not true or false"),
    (ITEM + 'extras = [1]\n', "`extras` that are not a list of strings"),
    (ITEM + "timeout = 0\n", "`timeout` that is not a positive integer"),
    (ITEM + "timeout = 1.5\n", "`timeout` that is not a positive integer"),
    (ITEM + SECOND.replace('"1.2"', '"1.10"') + SECOND, "items are not in curriculum order (1.1, 1.10, 1.2)"),
    (ITEM.split("[[item]]")[0], "lists no [[item]]"),
    (ITEM.replace('title = "B"\n', ""), "section #1 has no `title`"),
    (ITEM + '\n[[item]]\nid = "1.2"\ntitle = "L"\ntitle_ko = "나"\n', "item #2 (1.2) has no `slug`"),
])
def test_malformed_manifest_names_the_entry(broken, words):
    with pytest.raises(ManifestError) as error:
        manifest_module.parse(broken, KIT_ROOT)
    assert words in str(error.value)


def test_a_well_formed_manifest():
    first_item = ITEM + 'hints_ko = ["가", "나"]\ntimeout = 90\nextras = ["vision"]\nanswer = ["x = 1"]\n'
    manifest = manifest_module.parse('welcome = "Hi"\n' + first_item + SECOND, Path("/kit"))
    first, later = manifest.items
    assert manifest.welcome == "Hi" and [s.id for s in manifest.sections] == ["1"]
    assert manifest.sections[0].items == (first, later) and manifest.sections[0].title_in("ko") == "기"
    assert first.timeout == 90 and first.extras == ("vision",) and first.available
    assert first.hints_in("ko") == ("가", "나") and first.hints_in("en") == ("a", "b") and first.title_in("ko") == "데"
    assert not later.available and later.hints == () and later.hints_in("ko") == ()  # not built: no hints needed
    assert later.timeout == manifest_module.DEFAULT_TIMEOUT and later.section == "1"
    assert first.answer_in("ko") == first.answer_in("en") == ("x = 1",)  # no Korean answer: the code reads the same


def test_an_unknown_item_or_section():
    manifest = manifest_module.parse(ITEM + SECOND, Path("/kit"))
    with pytest.raises(UnknownItem, match="There is no item '1.3'"):
        manifest.item("1.3")
    with pytest.raises(UnknownItem, match="There is no section '2'; sections are 1."):
        manifest.select(["1.1", "2"])
    assert manifest.select(["1", "1.1"]) == list(manifest.items)


def test_the_kits_paths():
    manifest = manifest_module.parse(ITEM, Path("/kit"))
    item = manifest.item("1.1")
    assert manifest.grader_path(item) == Path("/kit/graders/test_s1_1_demo.py")
    assert manifest.mutants_dir(item) == Path("/kit/solutions/mutants/s1_1_demo")
    assert manifest.stubs_dir("ko") == Path("/kit/exercises")  # no exercises/ko here: the English stubs


def test_korean_stubs_where_the_kit_has_them(tmp_path):
    (tmp_path / "exercises" / "ko").mkdir(parents=True)
    manifest = manifest_module.parse(ITEM, tmp_path)
    assert manifest.stubs_dir("ko") == tmp_path / "exercises" / "ko"
    assert manifest.stubs_dir("en") == tmp_path / "exercises"


def test_load_without_a_curriculum_says_how_to_find_one(tmp_path):
    with pytest.raises(ManifestError, match="No curriculum.toml in .*set PTGRADE_ROOT"):
        manifest_module.load(tmp_path)


def test_find_root_from_the_environment_then_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PTGRADE_ROOT", str(tmp_path))
    assert manifest_module.find_root() == tmp_path.resolve()
    monkeypatch.delenv("PTGRADE_ROOT")
    kit = tmp_path / "kit"
    (kit / "graders").mkdir(parents=True)
    (kit / "curriculum.toml").write_text(ITEM, encoding="utf-8")
    (kit / "exercises").mkdir()
    monkeypatch.chdir(kit / "exercises")
    assert manifest_module.find_root() == kit.resolve()
