"""`ptgrade grade … --report report.html`: the class on one page, built from the results the batch already
has (no re-grading). `build` is pure: results in, one self-contained HTML string out (styles inline, plots
as inline SVG drawn by matplotlib, no script, nothing fetched). Every string that came from a student (a
folder name, a message that quotes their output) is escaped, and the page's Content-Security-Policy
forbids scripts besides."""
from __future__ import annotations

import html
import io
import re
import statistics
import warnings
from collections import Counter
from dataclasses import dataclass, field

from ptgrade import i18n
from ptgrade.i18n import _
from ptgrade.protocol.results import ItemResult, Outcome

TOP_MISTAKES = 20  # the most frequent mistakes listed
PLOTTED_CHECKS = 40  # the checks with the lowest pass rates drawn in the pass-rate plot


def first_sentence(message: str) -> str:
    """The part of a message that names the mistake: its first line, up to the end of its first sentence."""
    line = message.strip().splitlines()[0] if message.strip() else ""
    match = re.search(r"[.!?。](\s|$)", line)
    return line[: match.end()].strip() if match else line


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def mistake_key(message: str) -> str:
    """Messages that differ only in the numbers they quote are the same mistake."""
    return _NUMBER.sub("#", first_sentence(message))


def student_seconds(results: list[ItemResult]) -> float:
    return sum(check.seconds for result in results for check in result.checks)


@dataclass
class CheckStats:
    item: str
    name: str
    title: str
    dimension: str
    counts: Counter = field(default_factory=Counter)

    @property
    def graded(self) -> int:
        """Students whose code this check judged (not skipped here, not lost to the kit)."""
        return sum(n for outcome, n in self.counts.items() if outcome not in (Outcome.SKIPPED, "kit"))

    @property
    def rate(self) -> float:
        return self.counts[Outcome.PASSED] / self.graded if self.graded else 0.0


@dataclass
class Mistake:
    item: str
    check: str
    text: str
    students: set = field(default_factory=set)


def check_stats(grades: dict[str, list[ItemResult]], lang: str) -> list[CheckStats]:
    """Each check's outcomes over the class, lowest pass rate first."""
    stats: dict[tuple[str, str], CheckStats] = {}
    for results in grades.values():
        for result in results:
            for check in result.checks:
                entry = stats.setdefault((result.id, check.name), CheckStats(
                    result.id, check.name, check.title(lang), check.dimension))
                entry.counts["kit" if check.kit_fault else check.outcome] += 1
    return sorted(stats.values(), key=lambda s: (s.rate if s.graded else 2.0, s.item, s.name))


def mistakes(grades: dict[str, list[ItemResult]], lang: str) -> list[Mistake]:
    """What students got wrong (a broken promise or their code's error, never the kit's), grouped by check
    and the message's first sentence, most students first."""
    groups: dict[tuple, Mistake] = {}
    for student, results in grades.items():
        for result in results:
            for check in result.checks:
                if check.outcome not in (Outcome.FAILED, Outcome.ERROR) or check.kit_fault:
                    continue
                key = (result.id, check.name, mistake_key(check.message))
                entry = groups.setdefault(key, Mistake(result.id, check.title(lang), first_sentence(check.message)))
                entry.students.add(student)
    return sorted(groups.values(), key=lambda m: (-len(m.students), m.item, m.check, m.text))


def kit_problems(grades: dict[str, list[ItemResult]], lang: str) -> list[tuple[str, str, str, str]]:
    """(student, item, check, message) for every place the kit failed them."""
    found = []
    for student, results in grades.items():
        for result in results:
            if result.kit_fault:
                found.append((student, result.id, "", result.problem))
            found += [(student, result.id, check.title(lang), check.message)
                      for check in result.checks if check.kit_fault]
    return found


# -- plots: matplotlib, drawn to SVG text ----------------------------------------------------------------------------
def _svg(figure) -> str:
    import matplotlib.pyplot as plt
    buffer = io.StringIO()
    with warnings.catch_warnings():  # text stays text in the SVG: the browser's fonts draw the Korean glyphs
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML


def _pyplot():
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    # Text stays text (the browser's fonts draw Korean); ids do not change from run to run.
    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "ptgrade", "font.size": 9})
    return plt


def score_histogram(scores: list[float], max_score: float) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(3.6, 2.2))
    top = max([max_score, *scores, 1.0])
    bins = min(20, max(1, int(top)))
    axes.hist(scores, bins=bins, range=(0, top), color="#4c72b0", edgecolor="white")
    axes.set_xlabel(_("points"))
    axes.set_ylabel(_("students"))
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _svg(figure)


def pass_rate_plot(stats: list[CheckStats]) -> str:
    plt = _pyplot()
    shown = [s for s in stats if s.graded][:PLOTTED_CHECKS]
    figure, axes = plt.subplots(figsize=(7, 0.25 * len(shown) + 0.8))
    labels = [f"{s.item} {s.title}"[:60] for s in shown]
    axes.barh(range(len(shown)), [100 * s.rate for s in shown], color="#55a868")
    axes.set_yticks(range(len(shown)), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(_("students who passed (%)"))
    return _svg(figure)


def time_histogram(seconds: list[float]) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(5, 2.2))
    axes.hist(seconds, bins=min(20, max(1, len(seconds))), color="#8172b2", edgecolor="white")
    axes.set_xlabel(_("seconds of grading per student"))
    axes.set_ylabel(_("students"))
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _svg(figure)


# -- the page --------------------------------------------------------------------------------------------------------
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0; } td, th { padding: .2em .6em; border-bottom: 1px solid #eee;
  text-align: left; vertical-align: top; } th { background: #f4f4f4; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.plots { display: flex; flex-wrap: wrap; gap: 1em; } figure { margin: 0; } figcaption { font-weight: bold; }
.passed { color: #1a7f37; } .failed, .error { color: #b3261e; } .not_started, .skipped { color: #777; }
pre { white-space: pre-wrap; margin: 0; font-size: .9em; } details { margin: .3em 0; }
summary { cursor: pointer; } .note { color: #555; }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), css: str = "") -> str:
    """A table of cells that are already HTML (escape what goes in)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _outcome_word(outcome: str) -> str:
    return {Outcome.PASSED: _("passed"), Outcome.FAILED: _("failed"), Outcome.ERROR: _("error"),
            Outcome.NOT_STARTED: _("not started"), Outcome.SKIPPED: _("skipped")}.get(outcome, outcome)


def _item_order(grades: dict[str, list[ItemResult]]) -> list[tuple[str, str]]:
    seen = {}
    for results in grades.values():
        for result in results:
            seen.setdefault(result.id, result.title)
    return list(seen.items())


def _distribution(grades, titles) -> str:
    figures = []
    for item_id, title in _item_order(grades):
        results = [r for rs in grades.values() for r in rs if r.id == item_id]
        scores = [r.score for r in results]
        possible = max((r.max_score for r in results), default=0.0)
        mean = statistics.mean(scores) if scores else 0.0
        caption = _("{id} {title}: mean {mean:.1f} of {max:g}").format(
            id=item_id, title=titles.get(item_id, title), mean=mean, max=possible)
        figures.append(f'<figure class="histogram"><figcaption>{_e(caption)}</figcaption>'
                       f"{score_histogram(scores, possible)}</figure>")
    return f'<div class="plots">{"".join(figures)}</div>'


def _pass_rates(stats: list[CheckStats]) -> str:
    rows = [[_e(s.item), _e(s.title), _e(_(s.dimension)), f"{s.counts[Outcome.PASSED]}", f"{s.graded}",
             f"{100 * s.rate:.0f}%" if s.graded else "-", f"{s.counts[Outcome.FAILED]}", f"{s.counts[Outcome.ERROR]}",
             f"{s.counts[Outcome.NOT_STARTED]}", f"{s.counts['kit']}"] for s in stats]
    table = _table([_("item"), _("check"), _("dimension"), _("passed"), _("graded"), _("pass rate"), _("failed"),
                    _("error"), _("not started"), _("kit problem")], rows, numeric={3, 4, 5, 6, 7, 8, 9},
                   css="pass-rates")
    plot = pass_rate_plot(stats) if any(s.graded for s in stats) else ""
    return f'<figure class="pass-rate-plot">{plot}</figure>{table}'


def _mistakes(found: list[Mistake], students: int) -> str:
    if not found:
        none = _("No student failed a check.")
        return f'<p class="note">{_e(none)}</p>'
    rows = [[f"{len(m.students)}", f"{100 * len(m.students) / max(1, students):.0f}%", _e(m.item), _e(m.check),
             f"<pre>{_e(m.text)}</pre>"] for m in found[:TOP_MISTAKES]]
    return _table([_("students"), _("share"), _("item"), _("check"), _("what went wrong")], rows, numeric={0, 1},
                  css="mistakes")


def _kit(found: list[tuple[str, str, str, str]]) -> str:
    note = _("These students lost points to a problem with the kit, not with their code: grade them again once it "
             "is fixed. They are never counted as failing these checks.")
    if not found:
        none = _("No run hit a problem with the kit.")
        return f'<p class="note">{_e(none)}</p>'
    rows = [[_e(student), _e(item), _e(check), f"<pre>{_e(first_sentence(message))}</pre>"]
            for student, item, check, message in found]
    return f'<p class="note">{_e(note)}</p>' + _table([_("student"), _("item"), _("check"), _("message")], rows,
                                                     css="kit-problems")


def _times(grades) -> str:
    seconds = {student: student_seconds(results) for student, results in grades.items()}
    if not seconds:
        return ""
    rows = [[_e(student), f"{value:.1f}"] for student, value in sorted(seconds.items(), key=lambda kv: -kv[1])]
    summary = _("median {median:.1f} s, longest {longest:.1f} s, all students {total:.0f} s").format(
        median=statistics.median(seconds.values()), longest=max(seconds.values()), total=sum(seconds.values()))
    every = _("every student, longest first")
    return (f'<p>{_e(summary)}</p><figure class="time-plot">{time_histogram(list(seconds.values()))}</figure>'
            f"<details><summary>{_e(every)}</summary>"
            + _table([_("student"), _("seconds")], rows, numeric={1}, css="times") + "</details>")


def _student(student: str, results: list[ItemResult], titles: dict, lang: str) -> str:
    score, possible = sum(r.score for r in results), sum(r.max_score for r in results)
    parts = []
    for result in results:
        heading = f"{result.id} {titles.get(result.id, result.title)}: {result.score:g} / {result.max_score:g}"
        parts.append(f"<h4>{_e(heading)}</h4>")
        if result.problem:
            parts.append(f"<pre>{_e(result.problem)}</pre>")
        rows = [[_e(c.title(lang)), _e(_(c.dimension)), f'<span class="{_e(c.outcome)}">{_e(_outcome_word(c.outcome))}'
                 f"</span>", f"{c.score:g} / {c.max_score:g}", f"<pre>{_e(c.message)}</pre>"] for c in result.checks]
        if rows:
            parts.append(_table([_("check"), _("dimension"), _("result"), _("points"), _("message")], rows))
    summary = f"{student}: {score:g} / {possible:g}"
    return f'<details class="student"><summary>{_e(summary)}</summary>{"".join(parts)}</details>'


def build(grades: dict[str, list[ItemResult]], lang: str = "en", titles: dict[str, str] | None = None,
          heading: str | None = None) -> str:
    """The class report as one HTML page. `grades`: each student's results, in the order of the items (what
    batch.run returns); `titles`: item titles in `lang` (else each result's own)."""
    before = i18n.current()
    i18n.use(lang)
    try:
        return _page(grades, lang, titles or {}, heading)
    finally:
        i18n.use(before)


def _page(grades, lang, titles, heading) -> str:
    stats = check_stats(grades, lang)
    totals = [sum(r.score for r in results) for results in grades.values()]
    possible = max((sum(r.max_score for r in results) for results in grades.values()), default=0.0)
    title = heading or _("Class report")
    summary = _("{students} students, {items} items; mean {mean:.1f} of {max:g} points").format(
        students=len(grades), items=len(_item_order(grades)), mean=statistics.mean(totals) if totals else 0.0,
        max=possible)
    sections = [
        ("distribution", _("Score distribution per item"), _distribution(grades, titles)),
        ("pass-rates", _("Pass rate per check, lowest first"), _pass_rates(stats)),
        ("mistakes", _("The most frequent mistakes"), _mistakes(mistakes(grades, lang), len(grades))),
        ("kit", _("Runs that hit a problem with the kit"), _kit(kit_problems(grades, lang))),
        ("time", _("Time per student"), _times(grades)),
        ("students", _("Each student"), "".join(_student(s, r, titles, lang) for s, r in grades.items())),
    ]
    body = "".join(f'<section id="{key}"><h2>{_e(name)}</h2>{content}</section>' for key, name, content in sections)
    return (f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{_e(title)}</title><style>{STYLE}</style></head>"
            f"<body><h1>{_e(title)}</h1><p>{_e(summary)}</p>{body}</body></html>")
