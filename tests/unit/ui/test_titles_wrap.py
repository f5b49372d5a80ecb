"""Long titles wrap between words at 80 columns in both languages, never cut (rich measures Hangul as two
columns): the results of `check` (item_view) and the curriculum of `list` (list_view)."""
import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from ptgrade import i18n
from ptgrade.course import manifest as manifest_module
from ptgrade.protocol.results import CheckResult, ItemResult
from ptgrade.ui import render

TITLES = {
    "ko": "dtype과 장치가 입력을 따르고 float16과 bfloat16에서도 변화도가 float32 기준값과 허용 오차 안에서 일치합니다",
    "en": "dtype and device follow the input, and in float16 and bfloat16 the gradients match the float32 "
          "reference within tolerance",
}
MANIFEST = manifest_module.parse(
    f'[[section]]\nid = "1"\ntitle = "{TITLES["en"]}"\ntitle_ko = "{TITLES["ko"]}"\n\n'
    f'[[item]]\nid = "1.1"\nslug = "demo"\ntitle = "{TITLES["en"]}"\ntitle_ko = "{TITLES["ko"]}"\nhints = ["a", "b"]\n',
    Path("/kit"))


# 80 columns, and the widths around it: rich's default overflow ("ellipsis") cut a wrapped line whose only
# overflow was its trailing space, which happens at some widths and not others.
WIDTHS = range(70, 91)


@pytest.fixture(params=["en", "ko"])
def lang(request):
    i18n.use(request.param)
    yield request.param
    i18n.use("en")


def _lines(renderable, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None, highlight=False)
    console.print(renderable)
    return console.export_text().splitlines()


def _assert_wrapped_whole(lines: list[str], title: str, times: int, width: int):
    assert all(cell_len(line) <= width for line in lines), "\n".join(lines)
    text = "\n".join(lines)
    assert "…" not in text, text
    for word in title.split():
        assert text.count(word) >= times, f"{word!r} of the title is cut:\n{text}"
    assert sum(1 for line in lines if title.split()[-1] in line) >= 1


def _result(lang: str, outcome: str = "failed") -> ItemResult:
    check = CheckResult("test_a", "convergence", 2, outcome, "expected 2, got 3", titles=TITLES, gpu=True)
    return ItemResult("1.1", TITLES[lang], [check, CheckResult("test_b", "numerics", 1, "passed", titles=TITLES)])


def test_check_titles_and_the_item_title_wrap_in_the_results(lang):
    for width in WIDTHS:
        lines = _lines(render.item_view(_result(lang), TITLES[lang]), width)
        _assert_wrapped_whole(lines, TITLES[lang], 3, width)  # the item's header and both checks
        check_rows = [line for line in lines if "1/1" in line or "0/2" in line]
        assert len(check_rows) == 2, "\n".join(lines)  # each check's score stays on its title's first line


def test_item_and_section_titles_wrap_in_the_curriculum(lang):
    results = {"1.1": _result(lang, "passed")}
    for width in WIDTHS:
        lines = _lines(render.list_view(MANIFEST, results, lang, bests={"1.1": (3.0, None)}), width)
        _assert_wrapped_whole(lines, TITLES[lang], 2, width)  # the section's title and the item's
        summary = [line for line in lines if line.strip()][-1]
        assert "━" in summary and summary.rstrip().endswith(("points checked", "점")), \
            "the summary wraps under the bar:\n" + "\n".join(lines)
