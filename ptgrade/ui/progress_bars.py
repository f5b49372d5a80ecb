"""Progress for the instructor's long commands (`grade`, `verify`), drawn with rich on stderr so that stdout
stays the command's own output: what is done of the total, what is being graded now, and the time left."""
from __future__ import annotations

import threading

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ptgrade.i18n import _
from ptgrade.instructor import batch
from ptgrade.ui import render

SHOWN = 3  # names of what is being graded now, at most


def bar() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn(_("left")), TimeRemainingColumn(),
                    console=render.console(stderr=True), transient=True)


class _Current:
    """What is in flight now (several threads report), said in a few words."""

    def __init__(self, progress: Progress, task, label: str):
        self.progress, self.task, self.label = progress, task, label
        self.now: dict[str, str] = {}
        self.lock = threading.Lock()

    def set(self, key: str, words: str | None) -> None:
        with self.lock:
            if words is None:
                self.now.pop(key, None)
            else:
                self.now[key] = words
            shown = list(self.now.values())
            text = ", ".join(shown[:SHOWN]) + (" …" if len(shown) > SHOWN else "")
        self.progress.update(self.task, description=f"{self.label} [bold]{escape(text)}[/bold]")


class GradeProgress(batch.Progress):
    """`ptgrade grade`: one step per student and item; the students being graded now by name."""

    def __init__(self, progress: Progress, total: int):
        self.progress = progress
        self.task = progress.add_task(_("grading"), total=total)
        self.current = _Current(progress, self.task, _("grading"))

    def started(self, student: str, item_id: str) -> None:
        self.current.set(f"{item_id}/{student}", f"{student} ({item_id})")

    def finished(self, student: str, item_id: str) -> None:
        self.current.set(f"{item_id}/{student}", None)
        self.progress.advance(self.task)


class VerifyProgress:
    """`ptgrade verify`: one step per item; the items being verified now."""

    def __init__(self, progress: Progress, total: int):
        self.progress = progress
        self.task = progress.add_task(_("verifying"), total=total)
        self.current = _Current(progress, self.task, _("verifying"))

    def started(self, item) -> None:
        self.current.set(item.id, item.id)

    def finished(self, item) -> None:
        self.current.set(item.id, None)
        self.progress.advance(self.task)
