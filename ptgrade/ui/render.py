"""Rich views of results: one small function per view, each over ItemResult / Finding."""
from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from ptgrade import i18n
from ptgrade.course.manifest import Manifest
from ptgrade.i18n import _
from ptgrade.protocol.results import ItemResult, Outcome


def _outcomes() -> dict[str, tuple[str, str]]:
    return {Outcome.PASSED: ("✓ " + _(Outcome.PASSED), "green"), Outcome.FAILED: ("✗ " + _(Outcome.FAILED), "red"),
            Outcome.ERROR: ("! " + _(Outcome.ERROR), "bold red"), Outcome.NOT_STARTED: ("· " + _("not started"), "dim"),
            Outcome.SKIPPED: ("↷ " + _(Outcome.SKIPPED), "yellow")}


def dimension_label(dimension: str, gpu: bool) -> str:
    """What a check tests (plugin.DIMENSIONS), in the reader's language."""
    names = {"numerics": _("numerics"), "gradients": _("gradients"), "device": _("device"),
             "convergence": _("convergence"), "compile": _("compile"), "export": _("export"),
             "distributed": _("distributed")}
    return names.get(dimension, dimension) + (" (gpu)" if gpu else "")


STATUS_STYLE = {"done": "green", "not started": "dim", "problem": "red"}


def status_text(result: ItemResult) -> str:
    """An item's status in the reader's language."""
    if result.status == "done":
        return _("done")
    if result.status == "not started":
        return _("not started")
    if result.status == "problem":
        return _("problem")
    return _("{score} of {total}").format(score=f"{result.score:g}", total=f"{result.max_score:g}")


def item_view(result: ItemResult, title: str) -> Group:
    header = Text.assemble((f"{result.id} ", "bold"), (title, "bold"), "  ")
    if result.problem:
        return Group(header, Padding(Text(result.problem, style="yellow"), (0, 0, 1, 2)))
    header.append(_("{score} / {total} points").format(score=f"{result.score:g}", total=f"{result.max_score:g}"),
                  style=STATUS_STYLE.get(result.status, "cyan"))
    skipped = sum(1 for check in result.checks if check.outcome == Outcome.SKIPPED)
    if skipped:
        header.append("  " + _("({count} skipped)").format(count=skipped), style="yellow")
    rows: list = [header]
    styles = _outcomes()
    lang = i18n.current()
    shown: set[str] = set()  # a file that does not import fails every check the same way: say it once
    for check in result.checks:
        label, style = styles.get(check.outcome, (check.outcome, ""))
        # A grid row per check: rich measures Hangul as double width and wraps titles between words.
        line = Table.grid(padding=(0, 1), expand=True)
        line.add_column(ratio=1, overflow="fold")  # rich's "ellipsis" cuts a line that only its last space overflows
        line.add_column(width=17, no_wrap=True)  # "convergence (gpu)"; Hangul counts double
        line.add_column(width=7, no_wrap=True)
        line.add_column(width=14, no_wrap=True)
        line.add_row(Text(check.title(lang)), Text(dimension_label(check.dimension, check.gpu), style="cyan"),
                     Text(f"{check.score:>3g}/{check.max_score:<3g}"), Text(label, style=style))
        rows.append(Padding(line, (0, 0, 0, 2)))
        if check.message and check.outcome != Outcome.NOT_STARTED:
            colour = "yellow" if check.outcome == Outcome.SKIPPED else "red"
            text = (Text(_("(the same as above)"), style="dim") if check.message in shown
                    else Text(check.message, style=colour))
            shown.add(check.message)
            rows.append(Padding(text, (0, 0, 0, 6)))
    rows.append(Text(""))
    return Group(*rows)


def _when(iso: str | None) -> str:
    """An ISO time (UTC) as the learner's local date and minute."""
    from datetime import datetime
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M") if iso else ""
    except ValueError:
        return ""


def list_view(manifest: Manifest, results: dict[str, ItemResult | None], lang: str,
              bests: dict[str, tuple[float, str | None] | None] | None = None) -> Group:
    parts = []
    earned = total = 0.0
    for section in manifest.sections:
        title = Text(f"{section.id}. {section.title_in(lang)}", overflow="fold")
        table = Table(title=title, title_justify="left", box=None, show_header=False, padding=(0, 1),
                      title_style="bold")
        table.add_column("id", style="bold", width=5)
        table.add_column("title", ratio=1, overflow="fold")
        table.add_column("status", justify="right")
        table.add_column("best", justify="right", style="dim")
        for item in section.items:
            result = results.get(item.id)
            if not item.available:
                status = Text(_("not available yet"), style="dim italic")
            elif result is None:
                status = Text(_("not checked"), style="dim")
            else:
                status = Text(status_text(result), style=STATUS_STYLE.get(result.status, "cyan"))
                earned += result.score
            if item.available:
                total += result.max_score if result is not None else 0
            best = (bests or {}).get(item.id)
            best_text = ""
            if best is not None and result is not None and item.available:
                best_text = _("best {score} of {total}, {when}").format(
                    score=f"{best[0]:g}", total=f"{result.max_score:g}", when=_when(best[1]) or "-")
            table.add_row(item.id, item.title_in(lang), status, best_text)
        parts.append(table)
        parts.append(Text(""))
    available = [item for item in manifest.items if item.available]
    done = sum(1 for item in available if (r := results.get(item.id)) is not None and r.status == "done")
    # A bar of fixed width beside words that wrap: at 80 columns the longest Korean line still fits beside it.
    bar = ProgressBar(total=max(len(available), 1), completed=done, width=24)
    summary = Table.grid(padding=(0, 1))
    summary.add_column(width=24, no_wrap=True)
    summary.add_column()
    line = _("{done} of {count} items done").format(done=done, count=len(available))
    if total:
        line += _(", {earned} of {total} points checked").format(earned=f"{earned:g}", total=f"{total:g}")
    summary.add_row(bar, Text(line))
    parts.append(summary)
    return Group(*parts)


def verify_view(findings) -> Table:
    table = Table(title="ptgrade verify", title_justify="left", show_lines=False)
    table.add_column(_("item"), style="bold")
    table.add_column(_("subject"))
    table.add_column(_("result"), no_wrap=True)
    table.add_column(_("detail"), overflow="fold")
    for finding in findings:
        table.add_row(finding.item, finding.subject,
                      Text("ok", style="green") if finding.ok else Text("VIOLATION", style="bold red"),
                      finding.detail)
    return table


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)


def figures_view(figures: dict) -> Table:
    """The figures a project's run ends with (accuracy, BLEU, time ...), one per row."""
    table = Table(show_header=False, box=None, padding=(0, 2))
    for name, value in figures.items():
        table.add_row(f"[bold]{name}[/bold]", f"{value:.4g}" if isinstance(value, float) else str(value))
    return table
