"""ptgrade/integrations/gradescope.py, its pure part: Gradescope's results.json from ItemResults. (The documented
schema, checked on real gradings, and the autograder bundle: tests/test_classroom.py.)"""
import json

from ptgrade import i18n
from ptgrade.integrations import gradescope
from ptgrade.protocol.results import CheckResult, ItemResult


def _result() -> ItemResult:
    return ItemResult("1.2", "Tensors", [
        CheckResult("test_add", "numerics", 2, "passed", "", titles={"en": "adds", "ko": "더한다"}),
        CheckResult("test_grad", "gradients", 1.5, "failed", "expected 2, got 3"),
        CheckResult("test_cuda", "device", 1, "skipped", "needs a CUDA GPU", gpu=True),
        CheckResult("test_stub", "numerics", 1, "not_started", "`f` still raises NotImplementedError"),
    ])


def test_one_test_per_check_that_ran_with_its_points_and_feedback():
    data = gradescope.results_json([_result()])
    assert data == {"score": 2, "visibility": "visible", "stdout_visibility": "hidden", "tests": [
        {"name": "1.2 adds", "number": "1.2", "score": 2, "max_score": 2, "status": "passed", "output": "",
         "tags": ["numerics"], "visibility": "visible"},
        {"name": "1.2 grad", "number": "1.2", "score": 0.0, "max_score": 1.5, "status": "failed",
         "output": "expected 2, got 3", "tags": ["gradients"], "visibility": "visible"},
        {"name": "1.2 stub", "number": "1.2", "score": 0.0, "max_score": 1, "status": "failed",
         "output": "`f` still raises NotImplementedError", "tags": ["numerics"], "visibility": "visible"},
    ]}  # the skipped GPU check is neither earned nor lost


def test_an_item_with_a_problem_is_one_failed_test_worth_nothing():
    problem = ItemResult("2.1", "Modules", problem="exercises/s2_1_nn_module.py does not exist.")
    data = gradescope.results_json([problem, _result()])
    assert data["tests"][0] == {"name": "2.1 Modules", "number": "2.1", "score": 0.0, "max_score": 0.0,
                                "status": "failed", "output": "exercises/s2_1_nn_module.py does not exist.",
                                "visibility": "visible"}
    assert data["score"] == 2 and len(data["tests"]) == 4


def test_no_results_is_a_score_of_zero():
    assert gradescope.results_json([]) == {"score": 0, "visibility": "visible", "stdout_visibility": "hidden",
                                           "tests": []}


def test_titles_follow_the_current_language():
    i18n.use("ko")
    names = [t["name"] for t in gradescope.results_json([_result()])["tests"]]
    assert names == ["1.2 더한다", "1.2 grad", "1.2 stub"]


def test_write_makes_the_folder_and_keeps_hangul_readable(tmp_path):
    i18n.use("ko")
    path = tmp_path / "results" / "results.json"
    gradescope.write([_result()], path)
    text = path.read_text(encoding="utf-8")
    assert "더한다" in text and json.loads(text) == gradescope.results_json([_result()])
