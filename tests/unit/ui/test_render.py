"""ptgrade/ui/render.py: each view renders, without error, what a learner must read in it (rich to a StringIO)."""
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from ptgrade import i18n
from ptgrade.course import manifest as manifest_module
from ptgrade.protocol.results import CheckResult, ItemResult
from ptgrade.ui import render

MANIFEST = manifest_module.parse(
    '[[section]]\nid = "1"\ntitle = "Basics"\ntitle_ko = "기본"\n\n'
    '[[item]]\nid = "1.1"\nslug = "demo"\ntitle = "Demo"\ntitle_ko = "데모"\nhints = ["a", "b"]\n\n'
    '[[item]]\nid = "1.2"\nslug = "tensors"\ntitle = "Tensors"\ntitle_ko = "텐서"\nhints = ["a", "b"]\n\n'
    '[[item]]\nid = "1.3"\nslug = "later"\ntitle = "Later"\ntitle_ko = "나중"\navailable = false\n', Path("/kit"))


def _text(renderable) -> str:
    out = io.StringIO()
    Console(file=out, width=110, color_system=None, highlight=False).print(renderable)
    return out.getvalue()


def _item(*outcomes: tuple[str, str], problem: str = "") -> ItemResult:
    return ItemResult("1.1", "Demo", [CheckResult(f"test_check_{i}", "numerics", 2, outcome, message)
                                      for i, (outcome, message) in enumerate(outcomes)], problem=problem)


def test_all_passed():
    text = _text(render.item_view(_item(("passed", ""), ("passed", "")), "Demo"))
    assert "1.1 Demo" in text and "4 / 4 points" in text and text.count("✓ passed") == 2
    assert "check 0" in text and "check 1" in text and "numerics" in text


def test_failed_checks_say_why_and_the_same_reason_once():
    result = _item(("passed", ""), ("failed", "expected 2, got 3"), ("error", "expected 2, got 3"),
                   ("error", "your code raised KeyError"))
    text = _text(render.item_view(result, "Demo"))
    assert "2 / 8 points" in text and "✗ failed" in text and text.count("! error") == 2
    assert text.count("expected 2, got 3") == 1 and "(the same as above)" in text
    assert "your code raised KeyError" in text
    assert text.index("expected 2, got 3") < text.index("(the same as above)") < text.index("KeyError")


def test_not_started_checks_are_not_explained():
    text = _text(render.item_view(_item(("not_started", "`f` still raises NotImplementedError"),
                                        ("not_started", "`g` still raises NotImplementedError")), "Demo"))
    assert "0 / 4 points" in text and text.count("· not started") == 2 and "NotImplementedError" not in text


def test_skipped_checks_are_counted_apart():
    on_cuda = CheckResult("test_on_cuda", "device", 1, "skipped", "needs a CUDA GPU", gpu=True)
    result = ItemResult("1.1", "Demo", [CheckResult("test_a", "numerics", 2, "passed"), on_cuda])
    text = _text(render.item_view(result, "Demo"))
    assert "2 / 2 points" in text and "(1 skipped)" in text and "device (gpu)" in text
    assert "↷ skipped" in text and "needs a CUDA GPU" in text


def test_a_problem_is_said_instead_of_checks():
    text = _text(render.item_view(_item(problem="exercises/s1_1_demo.py does not exist."), "Demo"))
    assert "exercises/s1_1_demo.py does not exist." in text and "points" not in text


def test_titles_and_words_in_korean():
    i18n.use("ko")
    titles = {"en": "doubles", "ko": "두 배로 만든다"}
    result = ItemResult("1.1", "데모", [CheckResult("test_a", "numerics", 2, "passed", titles=titles)])
    text = _text(render.item_view(result, "데모"))
    assert "두 배로 만든다" in text and "doubles" not in text and "passed" not in text


@pytest.mark.parametrize("outcomes, words", [
    ([("passed", "")], "done"), ([("not_started", "")], "not started"), ([("passed", ""), ("failed", "x")], "2 of 4"),
])
def test_status_text(outcomes, words):
    assert render.status_text(_item(*outcomes)) == words
    assert render.status_text(_item(problem="broken")) == "problem"


def test_dimension_labels():
    assert render.dimension_label("numerics", False) == "numerics"
    assert render.dimension_label("convergence", True) == "convergence (gpu)"
    assert render.dimension_label("something new", False) == "something new"


def test_every_dimension_is_named_in_korean_too():
    """The results table names what each check tests: in Korean mode, in Korean."""
    from ptgrade.judge.plugin import DIMENSIONS
    from ptgrade.ui.render import dimension_label
    i18n.use("ko")
    try:
        labels = {name: dimension_label(name, gpu=True) for name in DIMENSIONS}
    finally:
        i18n.use("en")
    assert all(re.search("[가-힣]", label) and label.endswith("(gpu)") for label in labels.values()), labels
    assert len(set(labels.values())) == len(DIMENSIONS), labels
    assert dimension_label("numerics", gpu=False) == "numerics"


def test_list_view_shows_each_items_status_best_and_the_total():
    results = {"1.1": _item(("passed", ""), ("passed", "")), "1.2": None}
    text = _text(render.list_view(MANIFEST, results, "en", bests={"1.1": (4.0, None)}))
    assert "1. Basics" in text and "Demo" in text and "Tensors" in text and "Later" in text
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip()[:3] in ("1.1", "1.2", "1.3")}
    assert "done" in lines["1.1"] and "best 4 of 4, -" in lines["1.1"]
    assert "not checked" in lines["1.2"] and "not available yet" in lines["1.3"]
    assert "1 of 2 items done, 4 of 4 points checked" in text


def test_list_view_with_partial_results_in_korean():
    results = {"1.1": _item(("passed", ""), ("failed", "x")), "1.2": _item(("not_started", ""))}
    text = _text(render.list_view(MANIFEST, results, "ko", bests={"1.1": (2.0, "2024-01-02T03:04:00+00:00")}))
    assert "1. 기본" in text and "데모" in text and "2024-01-0" in text  # the local day of that minute


def test_list_view_with_nothing_checked():
    text = _text(render.list_view(MANIFEST, {}, "en"))
    assert text.count("not checked") == 2 and "0 of 2 items done" in text and "points checked" not in text


@dataclass
class _Finding:
    item: str
    subject: str
    ok: bool
    detail: str


def test_verify_view_marks_violations():
    text = _text(render.verify_view([_Finding("1.1", "solution", True, "full marks"),
                                     _Finding("1.1", "stub", False, "test_a passed on the stub")]))
    assert "ok" in text and "VIOLATION" in text and "test_a passed on the stub" in text


def test_figures_view():
    text = _text(render.figures_view({"accuracy": 0.912345, "epochs": 3, "device": "cpu"}))
    assert "0.9123" in text and "epochs" in text and "3" in text and "cpu" in text


def test_when_is_empty_for_nothing_or_nonsense():
    assert render._when(None) == "" and render._when("yesterday") == ""
