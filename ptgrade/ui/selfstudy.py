"""A notebook's check, graded in a fresh process: `python -I -m ptgrade.ui.selfstudy`.

The kernel (ptgrade/ui/ipython.py) writes {"item", "lang", "history"} to this process's standard input; it
grades the history's code with the judge (integrations/selfstudy.py), records the result where the CLI records
progress, and prints one JSON object: the results table as HTML and as text, and the score. Started with `-I`
from the kit on disk: nothing of the kernel's modules, PYTHONPATH or current folder is imported here.
"""
from __future__ import annotations

import html
import io
import json
import sys

from ptgrade import i18n
from ptgrade.course import manifest as manifest_module
from ptgrade.course.manifest import Item
from ptgrade.i18n import _
from ptgrade.integrations import selfstudy
from ptgrade.integrations.notebook import Export
from ptgrade.protocol.results import ItemResult, Outcome
from ptgrade.ui import render

CELL = "padding: 2px 8px; text-align: left"   # Jupyter's own table style aligns cells right
COLOURS = {Outcome.PASSED: "#1a7f37", Outcome.FAILED: "#cf222e", Outcome.ERROR: "#cf222e",
           Outcome.NOT_STARTED: "#6e7781", Outcome.SKIPPED: "#9a6700"}


def notes(exported: Export | None, protections: str) -> list[str]:
    """What the learner should know beside the table: cells left out, a sandbox without namespaces, and where
    the graded code came from."""
    said = []
    if exported is not None and exported.left_out:
        said.append(_("Left out of grading (not valid Python): {cells}").format(cells="; ".join(exported.left_out)))
    if protections:
        said.append(protections)
    said.append(_("Graded from the cells this kernel has run, in the order they ran; after editing or deleting "
                  "cells, restart the kernel and run all cells to grade the notebook as it reads."))
    return said


def html_view(result: ItemResult, item: Item, lang: str, notes: list[str] = ()) -> str:
    """The results table of `ptgrade check`, as HTML for a notebook: each check's title, dimension, points,
    outcome and message (the diagnosed mistake), then the hints (each revealed by a click) until all pass."""
    esc = html.escape
    title = f"{esc(item.id)} {esc(item.title_in(lang))}"
    parts = [f'<div class="ptgrade-result" data-item="{esc(item.id)}" data-score="{result.score:g}" '
             f'data-max-score="{result.max_score:g}">']
    if result.problem:
        parts.append(f"<p><b>{title}</b></p><pre style=\"color: #9a6700; white-space: pre-wrap\">"
                     f"{esc(result.problem)}</pre></div>")
        return "".join(parts)
    points = _("{score} / {total} points").format(score=f"{result.score:g}", total=f"{result.max_score:g}")
    parts.append(f"<p><b>{title}</b> &nbsp; <b style=\"color: {COLOURS.get(_status(result), '#0969da')}\">"
                 f"{esc(points)}</b> ({esc(render.status_text(result))})</p>")
    parts.append('<table class="ptgrade-checks" style="border-collapse: collapse; text-align: left">')
    parts.append("<thead><tr>" + "".join(f"<th style=\"{CELL}\">{esc(h)}</th>" for h in (
        _("check"), _("dimension"), _("points"), _("outcome"))) + "</tr></thead><tbody>")
    labels = render._outcomes()
    for check in result.checks:
        label = labels.get(check.outcome, (check.outcome, ""))[0]
        colour = COLOURS.get(check.outcome, "")
        parts.append(f'<tr class="ptgrade-check" data-outcome="{esc(check.outcome)}" style="border-top: 1px solid '
                     f'#d0d7de"><td style="{CELL}">{esc(check.title(lang))}</td>'
                     f'<td style="{CELL}">{esc(render.dimension_label(check.dimension, check.gpu))}</td>'
                     f'<td style="{CELL}">{check.score:g}/{check.max_score:g}</td>'
                     f'<td style="{CELL}; color: {colour}; white-space: nowrap">{esc(label)}</td></tr>')
        if check.message and check.outcome != Outcome.NOT_STARTED:
            parts.append(f'<tr><td colspan="4" style="{CELL}; padding-left: 24px"><pre style="margin: 0; color: '
                         f'{colour}; white-space: pre-wrap">{esc(check.message)}</pre></td></tr>')
    parts.append("</tbody></table>")
    hints = item.hints_in(lang) if not result.passed else ()
    opened, closing = "", ""
    for number, hint in enumerate(hints, 1):
        label = _("{id} hint {n}/{total}").format(id=item.id, n=number, total=len(hints))
        opened += (f'<details class="ptgrade-hint" style="margin-left: 12px"><summary style="cursor: pointer">'
                   f'{esc(label)}</summary><div>{esc(hint)}</div>')
        closing += "</details>"
    if hints and item.answer_in(lang):  # the answer's code, last and on purpose: inside the last hint
        opened += (f'<details class="ptgrade-answer" style="margin-left: 12px"><summary style="cursor: pointer">'
                   f'{esc(_("{id} answer").format(id=item.id))}</summary>'
                   + "".join(f"<pre>{esc(line)}</pre>" for line in item.answer_in(lang)) + "</details>")
    parts.append(opened + closing)
    parts.extend(f'<p style="color: #6e7781; font-size: smaller">{esc(note)}</p>' for note in notes)
    parts.append("</div>")
    return "".join(parts)


def _status(result: ItemResult) -> str:
    return Outcome.PASSED if result.passed else Outcome.NOT_STARTED if result.score == 0 else ""


def text_view(result: ItemResult, item: Item, lang: str, notes: list[str] = ()) -> str:
    """The same table as plain text (what a notebook shows where HTML is not rendered)."""
    from rich.console import Console
    console = Console(record=True, width=110, file=io.StringIO(), color_system=None)
    console.print(render.item_view(result, item.title_in(lang)))
    return console.export_text() + "".join(f"{note}\n" for note in notes)


def main() -> int:
    request = json.loads(sys.stdin.read())
    lang = request.get("lang") if request.get("lang") in i18n.LANGUAGES else i18n.choose()
    i18n.use(lang)
    from ptgrade import sandbox
    manifest = manifest_module.load()
    item = manifest.item(str(request["item"]))
    history = [source if isinstance(source, str) else "" for source in request.get("history", [])]
    result, exported = selfstudy.grade_cells(manifest, item, history)
    result.title = item.title_in(lang)
    selfstudy.record(manifest, result)
    said = notes(exported, sandbox.missing_protections())
    print(json.dumps({"html": html_view(result, item, lang, said), "text": text_view(result, item, lang, said),
                      "score": result.score, "max_score": result.max_score, "passed": result.passed,
                      "result": result.to_json()}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
