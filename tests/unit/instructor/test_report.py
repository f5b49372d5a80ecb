"""ptgrade/instructor/report.py: the class report, built from fabricated results (no judge, no browser)."""
import re
from html.parser import HTMLParser

import pytest

from ptgrade.instructor import report
from ptgrade.protocol.results import CheckResult, ItemResult

HOSTILE = '<script>alert("owned")</script><img src=x onerror=alert(1)> printed by the student.'
TITLES = {"en": "doubles a tensor", "ko": "텐서를 두 배로 만듭니다"}


def _item(outcomes, messages=(), kit=(), seconds=0.5, item_id="1.2", problem="", item_kit=False) -> ItemResult:
    checks = [CheckResult(f"test_{i}", ("numerics", "gradients", "device")[i % 3], 1 + i % 2, outcome,
                          message=(messages[i] if i < len(messages) else ""), titles=TITLES if i == 0 else {},
                          kit_fault=i in kit, seconds=seconds)
              for i, outcome in enumerate(outcomes)]
    return ItemResult(item_id, "Tensors", checks, problem=problem, kit_fault=item_kit)


def _class() -> dict[str, list[ItemResult]]:
    return {
        "alice": [_item(["passed", "passed", "passed"], seconds=1.0)],
        "bob": [_item(["failed", "passed", "error"], ["double(x): expected 2.0, got 3.0. Multiply by two.", "",
                                                      HOSTILE], seconds=2.0)],
        "carol": [_item(["failed", "not_started", "not_started"], ["double(x): expected 4.0, got 1.5. Multiply."])],
        "dave": [_item(["passed", "error", "skipped"], ["", "the grader ran out of memory; the kit's fault."],
                       kit={1})],
        "<b>erin</b>": [_item([], problem="The grader for 1.2 could not start.", item_kit=True)],
    }


class _Page(HTMLParser):
    """What a browser would build: the elements, and every script or event handler."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.scripts, self.handlers = [], 0, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.scripts += tag == "script"
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def test_first_sentence_and_mistakes_that_differ_only_in_numbers():
    assert report.first_sentence("expected 2.0, got 3.0. Multiply by two.\nmore") == "expected 2.0, got 3.0."
    assert report.first_sentence("") == "" and report.first_sentence("no full stop") == "no full stop"
    assert report.mistake_key("expected 2.0, got 3.0. x") == report.mistake_key("expected -4, got 1e-3. y")


def test_pass_rates_leave_out_skips_and_the_kits_failures_lowest_first():
    stats = report.check_stats(_class(), "en")
    rates = {s.name: (s.counts["passed"], s.graded) for s in stats}
    assert rates == {"test_0": (2, 4), "test_1": (2, 3), "test_2": (1, 3)}  # dave's kit error and skip not graded
    assert [s.name for s in stats] == ["test_2", "test_0", "test_1"]
    assert stats[1].title == "doubles a tensor" and report.check_stats(_class(), "ko")[1].title == TITLES["ko"]


def test_mistakes_are_grouped_and_counted_and_the_kits_are_not_among_them():
    found = report.mistakes(_class(), "en")
    assert [(m.check, len(m.students)) for m in found] == [("doubles a tensor", 2), ("2", 1)]
    assert found[0].students == {"bob", "carol"}
    kit = report.kit_problems(_class(), "en")
    assert [(student, item) for student, item, _, _ in kit] == [("dave", "1.2"), ("<b>erin</b>", "1.2")]


def test_the_page_has_every_section_plots_and_a_drill_down_per_student():
    page = report.build(_class())
    parsed = _Page(page)
    for section in ("distribution", "pass-rates", "mistakes", "kit", "time", "students"):
        assert f'<section id="{section}">' in page
    assert page.count("<svg") == 3 and parsed.tags.count("details") == 6  # 5 students + the time table
    assert "expected #" not in page and "double(x): expected 2.0, got 3.0." in page  # an example, as said
    assert "Multiply by two." in page  # the drill-down shows the whole message the student saw
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing fetched


def test_student_strings_are_escaped_and_nothing_can_run():
    page = report.build(_class())
    parsed = _Page(page)
    assert parsed.scripts == 0 and parsed.handlers == []
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in page and "&lt;b&gt;erin&lt;/b&gt;" in page
    assert "<b>erin" not in page


def test_korean_page():
    page = report.build(_class(), "ko", titles={"1.2": "텐서"})
    assert '<html lang="ko">' in page and TITLES["ko"] in page and "1.2 텐서" in page
    assert "Score distribution per item" not in page


def test_the_same_results_give_the_same_page():
    assert report.build(_class()) == report.build(_class())


def test_an_empty_class_still_makes_a_page():
    assert "<h1>" in report.build({})


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_building_leaves_the_language_as_it_was(lang):
    from ptgrade import i18n
    before = i18n.current()
    report.build(_class(), lang)
    assert i18n.current() == before
