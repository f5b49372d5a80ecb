"""`ptgrade run <id>`: a project's real training run, on the student's code or the reference.

Grading happens in `ptgrade check`; a run only trains. It imports the chosen file in this process (the
learner's own code on the learner's own machine), so it is never part of a score. Each project has a
driver, `ptgrade/runs/<module name>.py` (found from the item's id and slug), with

    def run(student, options: RunOptions, report: Report) -> dict[str, float | str]

that trains with the student's functions, saves `report.checkpoint` as it goes (and resumes from it),
writes PNGs to `options.out`, and returns the figures printed at the end (also in `summary.json`).
A driver raises `RunProblem` with one sentence when it lacks the data or device it needs.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ptgrade.i18n import _


class RunProblem(Exception):
    """What the run needs and does not have, in one sentence (exit code 2)."""


@dataclass(frozen=True)
class RunOptions:
    item_id: str
    source: Path           # the file whose functions are trained
    out: Path              # checkpoint, plots and summary.json go here
    data: Path | None      # a local copy of the real data set (the driver's default otherwise)
    epochs: int | None     # None: the driver's default
    smoke: bool            # a few steps on data the kit generates, to prove the pipeline end to end
    device: str            # "cpu" or "cuda" (already resolved)
    seed: int = 0


def resolve_device(name: str) -> str:
    import torch
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise RunProblem(_("--device cuda was asked for, but torch sees no CUDA device here; "
                           "leave it out to train on the CPU."))
    return name


def load_student(path: Path, root: Path):
    """Import the file to train, by path, as its item's module name; a problem is one sentence."""
    if not path.is_file():
        raise RunProblem(_("There is no {path} to train; give --source exercises, solutions or a folder "
                           "that holds it.").format(path=path))
    if str(root) not in sys.path:  # mutants and references import `solutions.` / `graders.` modules
        sys.path.insert(0, str(root))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except BaseException as error:  # noqa: BLE001 - any failure at import is the file's, said in one line
        if isinstance(error, KeyboardInterrupt):
            raise
        raise RunProblem(student_problem(error, path)) from None
    return module


def student_problem(error: BaseException, path: Path) -> str:
    """One sentence for an exception raised by the file being trained (at import or in a driver's call)."""
    from ptgrade.worker.loader import describe_error
    info = describe_error(error, path)
    if info["not_started"]:
        return _("{file}: {what}; finish it, or train the reference with --source solutions.").format(
            file=path.name, what=info["not_started"])
    return _("{file} raised {summary}{where}.").format(file=path.name, summary=info["summary"],
                                                       where=info["location"])


class Report:
    """What a driver tells the learner: rich progress bars, lines, a checkpoint and plots in `out`."""

    def __init__(self, out: Path, console=None):
        from rich.console import Console
        self.out = out
        self.console = console or Console()
        out.mkdir(parents=True, exist_ok=True)

    @property
    def checkpoint(self) -> Path:
        return self.out / "checkpoint.pt"

    def say(self, text: str) -> None:
        self.console.print(text)

    @contextmanager
    def progress(self, description: str, total: int):
        """`with report.progress("epoch 1/3", total=len(loader)) as step: ... step(loss=0.3)`."""
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[figures]}"),
                       console=self.console, transient=False, disable=not self.console.is_terminal)
        task = bar.add_task(description, total=total, figures="")

        def step(**figures):
            shown = "  ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items())
            bar.update(task, advance=1, figures=shown)

        with bar:
            yield step

    def save_checkpoint(self, state: dict) -> None:
        """Atomically: an interrupted save never leaves a half-written checkpoint to resume from."""
        import torch
        partial = self.checkpoint.with_suffix(".partial")
        torch.save(state, partial)
        os.replace(partial, self.checkpoint)

    def load_checkpoint(self) -> dict | None:
        """The last checkpoint in `out`, or None; read as data only (weights_only)."""
        import torch
        if not self.checkpoint.is_file():
            return None
        try:
            return torch.load(self.checkpoint, map_location="cpu", weights_only=True)
        except Exception as error:  # noqa: BLE001 - a damaged file: say so, do not guess
            raise RunProblem(_("{path} cannot be read ({error}); delete it to start again.").format(
                path=self.checkpoint, error=type(error).__name__)) from None

    def plot(self, name: str, curves: dict[str, list[float]], xlabel: str, ylabel: str = "") -> Path:
        """A PNG of one or more curves (each a list of y values at 1, 2, ...)."""
        import matplotlib
        matplotlib.use("Agg")
        from matplotlib import pyplot as plt
        figure, axes = plt.subplots(figsize=(6, 4), dpi=100)
        for label, values in curves.items():
            axes.plot(range(1, len(values) + 1), values, label=label)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.grid(alpha=0.3)
        if len(curves) > 1:
            axes.legend()
        figure.tight_layout()
        path = self.out / f"{name}.png"
        figure.savefig(path)
        plt.close(figure)
        return path

    def write_summary(self, figures: dict) -> Path:
        path = self.out / "summary.json"
        path.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path


def driver_for(item):
    """The driver module of a project item, or None when the item has no real run."""
    name = f"ptgrade.runs.{item.module_name}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)
