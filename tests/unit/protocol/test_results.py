"""ptgrade/protocol/results.py: the result every renderer reads: scores, status and its JSON form."""
import json

import pytest

from ptgrade.protocol.results import OUTCOMES, CheckResult, ItemResult


def _check(outcome: str, points: float = 1, name: str = "test_a", **extra) -> CheckResult:
    return CheckResult(name, "numerics", points, outcome, **extra)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_check_scores_its_points_only_when_passed(outcome):
    assert _check(outcome, 3).score == (3 if outcome == "passed" else 0.0)


def test_a_check_is_an_error_until_it_has_an_outcome():
    assert CheckResult("test_a", "numerics", 1).outcome == "error"


def test_a_checks_title_in_the_language_then_english_then_its_name_in_words():
    both = _check("passed", titles={"en": "doubles a tensor", "ko": "텐서를 두 배로"})
    assert both.title("ko") == "텐서를 두 배로" and both.title("en") == "doubles a tensor"
    assert _check("passed", titles={"en": "doubles a tensor"}).title("ko") == "doubles a tensor"
    assert _check("passed", name="test_double_the_input").title("ko") == "double the input"


def test_check_json_has_its_score():
    data = _check("passed", 2, message="", gpu=True).to_json()
    assert data == {"name": "test_a", "dimension": "numerics", "max_score": 2, "outcome": "passed", "message": "",
                    "gpu": True, "titles": {}, "kit_fault": False, "seconds": 0.0, "student_seconds": 0.0,
                    "score": 2}


def test_the_kits_fault_and_the_time_survive_json():
    item = ItemResult("1.1", "Demo", [_check("error", kit_fault=True, seconds=1.25), _check("passed", name="test_b")],
                      problem="", kit_fault=False)
    again = ItemResult.from_json(json.loads(json.dumps(item.to_json())))
    assert [(c.kit_fault, c.seconds) for c in again.checks] == [(True, 1.25), (False, 0.0)]
    assert ItemResult.from_json({"id": "1.1", "title": "Demo", "problem": "no start", "kit_fault": True}).kit_fault
    old = {"id": "1.1", "title": "Demo", "checks": [{"name": "test_a", "dimension": "numerics", "max_score": 1,
                                                      "outcome": "error"}]}
    assert not ItemResult.from_json(old).kit_fault and not ItemResult.from_json(old).checks[0].kit_fault


def test_item_scores_and_max_score_leave_out_skipped_checks():
    result = ItemResult("1.1", "Demo", [_check("passed", 2), _check("failed", 1), _check("skipped", 4)])
    assert result.score == 2 and result.max_score == 3


@pytest.mark.parametrize("outcomes, passed, status", [
    (["passed", "passed"], True, "done"),
    (["passed", "skipped"], True, "done"),           # a GPU check skipped on a CPU does not count against it
    (["skipped", "skipped"], False, "not started"),  # nothing ran: not passed
    (["not_started", "not_started"], False, "not started"),
    (["not_started", "skipped"], False, "not started"),
    (["passed", "not_started"], False, "1 of 2"),
    (["passed", "failed"], False, "1 of 2"),
    (["error", "error"], False, "0 of 2"),
])
def test_item_passed_and_status(outcomes, passed, status):
    result = ItemResult("1.1", "Demo", [_check(outcome, name=f"test_{i}") for i, outcome in enumerate(outcomes)])
    assert result.passed is passed and result.status == status


def test_an_item_with_a_problem_or_no_checks_has_not_passed():
    problem = ItemResult("1.1", "Demo", [_check("passed")], problem="the grader is missing")
    assert not problem.passed and problem.status == "problem"
    assert not ItemResult("1.1", "Demo").passed


def test_fractional_scores_read_without_trailing_zeros():
    assert ItemResult("1.1", "Demo", [_check("passed", 0.5), _check("failed", 2)]).status == "0.5 of 2.5"


def test_item_json_round_trip():
    result = ItemResult("2.4", "Train", [_check("passed", 2, titles={"en": "trains"}, gpu=True),
                                         _check("failed", 1, name="test_b", message="expected 2, got 3")])
    data = json.loads(json.dumps(result.to_json()))
    assert data["score"] == 2 and data["max_score"] == 3 and data["status"] == "2 of 3" and data["problem"] == ""
    again = ItemResult.from_json(data)
    assert again == result


def test_item_from_json_fills_what_an_older_file_lacks():
    again = ItemResult.from_json({"id": "1.1", "title": "Demo", "checks": [
        {"name": "test_a", "dimension": "numerics", "max_score": 1, "outcome": "passed", "titles": None}]})
    assert again.checks == [CheckResult("test_a", "numerics", 1, "passed", "", False, {})] and again.problem == ""


def test_an_unbuilt_item_stays_unbuilt_through_json_and_an_older_file_is_built():
    unbuilt = ItemResult("1.3", "Later", problem="not built yet", built=False)
    assert unbuilt.to_json()["built"] is False and ItemResult.from_json(unbuilt.to_json()) == unbuilt
    assert ItemResult.from_json({"id": "1.1", "title": "Demo"}).built is True
