"""ui/selfstudy.py's results table for a notebook: every check, its outcome and message, escaped; hints until done."""
from pathlib import Path

from ptgrade.course import manifest as manifest_module
from ptgrade.protocol.results import CheckResult, ItemResult, Outcome
from ptgrade.ui import selfstudy

MANIFEST = manifest_module.load(Path(__file__).resolve().parents[3])
ITEM = MANIFEST.item("1.2")


def _result(*outcomes):
    return ItemResult(id="1.2", title="Tensors", checks=[
        CheckResult(name=f"test_{n}", dimension="numerics", max_score=2, outcome=o, message="<b>got 3</b>")
        for n, o in enumerate(outcomes)])


def test_the_table_shows_each_check_and_escapes_messages():
    page = selfstudy.html_view(_result(Outcome.PASSED, Outcome.FAILED), ITEM, "en", ["a note"])
    assert 'data-score="2" data-max-score="4"' in page and page.count('class="ptgrade-check"') == 2
    assert "&lt;b&gt;got 3&lt;/b&gt;" in page and "<b>got 3</b>" not in page
    assert page.count('class="ptgrade-hint"') == len(ITEM.hints) and "a note" in page


def test_a_finished_item_shows_no_hints_and_korean_reads_korean():
    from ptgrade import i18n
    i18n.use("ko")
    try:
        page = selfstudy.html_view(_result(Outcome.PASSED, Outcome.PASSED), ITEM, "ko")
    finally:
        i18n.use("en")
    assert "ptgrade-hint" not in page and "통과" in page and ITEM.title_ko in page


def test_a_problem_is_shown_instead_of_a_table():
    result = ItemResult(id="1.2", title="Tensors", problem="The grader for 1.2 is missing")
    page = selfstudy.html_view(result, ITEM, "en")
    assert "missing" in page and "ptgrade-checks" not in page


def test_the_answers_code_opens_last_inside_the_hints_and_escaped():
    import dataclasses
    item = dataclasses.replace(ITEM, answer=("x[i] < 2",))
    page = selfstudy.html_view(_result(Outcome.FAILED), item, "en")
    assert page.index('class="ptgrade-answer"') > page.rindex('class="ptgrade-hint"')
    assert "<pre>x[i] &lt; 2</pre>" in page and "1.2 answer" in page
