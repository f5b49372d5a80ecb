"""ptgrade/course/progress.py: the learner's progress file: per source folder the last result and the best score,
the hints shown, the language; a damaged file set aside, never fatal."""
import json

import pytest

from ptgrade.course import progress as progress_module
from ptgrade.course.progress import Progress
from ptgrade.protocol.results import CheckResult, ItemResult


@pytest.fixture(autouse=True)
def state(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    monkeypatch.setenv("PTGRADE_STATE", str(path))
    return path


def _result(score_passed: bool) -> ItemResult:
    return ItemResult("1.1", "Demo", [CheckResult("test_a", "numerics", 2, "passed" if score_passed else "failed")])


def test_best_score_is_kept_per_source_and_a_worse_run_does_not_lower_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PTGRADE_STATE", str(tmp_path / "state.json"))
    progress = Progress(tmp_path)
    progress.record(_result(True), "exercises")
    progress.record(_result(False), "exercises")
    progress.record(_result(False), str(tmp_path))
    progress.save()
    again = Progress(tmp_path)
    assert again.best("1.1")[0] == 2 and again.last_result("1.1").score == 0
    assert again.best("1.1", str(tmp_path))[0] == 0  # another folder's runs are its own


def test_a_better_run_raises_the_best_and_says_when(tmp_path):
    progress = Progress(tmp_path)
    progress.record(_result(False))
    score, first_at = progress.best("1.1")
    progress.record(_result(True))
    assert score == 0 and progress.best("1.1")[0] == 2.0 and progress.best("1.1")[1] >= first_at
    assert progress.best("1.1")[1].endswith("+00:00")  # UTC


def test_a_result_with_a_problem_is_not_recorded(tmp_path):
    progress = Progress(tmp_path)
    progress.record(ItemResult("1.1", "Demo", problem="the grader is missing"))
    assert progress.best("1.1") is None and progress.last_result("1.1") is None


def test_the_state_lives_in_the_kit_without_ptgrade_state(tmp_path, monkeypatch):
    monkeypatch.delenv("PTGRADE_STATE")
    assert Progress(tmp_path).path == tmp_path / ".ptgrade" / "state.json"


def test_language_and_hints_are_stored(tmp_path, state):
    progress = Progress(tmp_path)
    assert progress.lang is None
    progress.lang = "ko"
    assert [progress.next_hint("1.1", 3) for _ in range(5)] == [0, 1, 2, 2, 2]  # stays on the last hint
    progress.save()
    again = Progress(tmp_path)
    assert again.lang == "ko" and again.next_hint("1.1", 3) == 2
    data = json.loads(state.read_text(encoding="utf-8"))
    assert data["version"] == progress_module.VERSION and data["lang"] == "ko" and data["hints"] == {"1.1": 3}


def test_an_unknown_language_in_the_file_is_not_used(tmp_path, state):
    state.write_text(json.dumps({"version": 2, "lang": "fr"}), encoding="utf-8")
    assert Progress(tmp_path).lang is None


def test_forget_drops_the_items_results_and_hints(tmp_path):
    progress = Progress(tmp_path)
    progress.record(_result(True))
    progress.next_hint("1.1", 2)
    progress.forget("1.1")
    assert progress.best("1.1") is None and progress.next_hint("1.1", 2) == 0


@pytest.mark.parametrize("damage", ["{not json", "[1, 2]", "\udcff", ""])
def test_a_corrupt_state_file_is_set_aside_and_said_once(tmp_path, state, damage):
    state.write_bytes(damage.encode("utf-8", "surrogateescape"))
    progress = Progress(tmp_path)
    assert progress.sources == {} and progress.lang is None
    assert "could not be read" in progress.problem and str(state) in progress.problem
    kept = tmp_path / "state.json.damaged"
    assert kept.read_bytes() == damage.encode("utf-8", "surrogateescape") and not state.exists()
    progress.record(_result(True))
    progress.save()
    again = Progress(tmp_path)
    assert again.problem == "" and again.best("1.1")[0] == 2


def test_reading_only_leaves_a_corrupt_file_where_it_is(tmp_path, state):
    state.write_text("{not json", encoding="utf-8")
    progress = Progress(tmp_path, repair=False)
    assert progress.problem == "" and state.read_text(encoding="utf-8") == "{not json"
    assert not (tmp_path / "state.json.damaged").exists()


def test_damaged_entries_read_as_nothing(tmp_path, state):
    state.write_text(json.dumps({"version": 2, "sources": {"exercises": {
        "1.1": "not a dict", "1.2": {"last": {"title": "no id"}, "best_score": "high"}}}, "hints": []}),
        encoding="utf-8")
    progress = Progress(tmp_path)
    assert progress.problem == "" and progress.best("1.1") is None and progress.last_result("1.1") is None
    assert progress.best("1.2") is None and progress.last_result("1.2") is None and progress.hints == {}


def test_a_version_1_file_is_read_as_the_stubs_results(tmp_path, state):
    state.write_text(json.dumps({"results": {"1.1": _result(True).to_json(), "1.2": "junk"}}), encoding="utf-8")
    progress = Progress(tmp_path)
    assert progress.best("1.1") == (2, None) and progress.last_result("1.1").passed
    assert progress.best("1.2") is None and progress.best("1.1", "solutions") is None


def test_source_keys(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert progress_module.source_key("exercises") == "exercises"
    assert progress_module.source_key("solutions") == "solutions"
    assert progress_module.source_key("mine") == str(tmp_path.resolve() / "mine")
    assert progress_module.source_key("./mine/") == progress_module.source_key(str(tmp_path / "mine"))
