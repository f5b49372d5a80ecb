"""Grade one item: start its judge (ptgrade/protocol/contract.py), read its events, return one ItemResult.

The judge runs the grader and decides every verdict; the student's code runs only in the sandboxed
worker the judge starts. The judge enforces each check's limit on the worker; the runner holds the
judge to one deadline for the whole run (kill its process group, never wait for end-of-file), so
even a kit bug cannot hang `ptgrade`.
"""
from __future__ import annotations

import os
import secrets
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ptgrade.course import limits
from ptgrade.course.manifest import Item, Manifest
from ptgrade.host import warm_judges
from ptgrade.i18n import _
from ptgrade.protocol import contract, problems
from ptgrade.protocol.plan import JudgeStart, Mode, Plan, PlanEntry
from ptgrade.protocol.results import OUTCOMES, CheckResult, ItemResult, Outcome

STARTUP_SECONDS = 120    # starting two Python processes with torch, on a busy machine
OUTPUT_TAIL = 64 * 1024


def run_budget(item: Item, checks: int) -> float:
    """The whole run's deadline: every check may use its limit, plus start-up."""
    return STARTUP_SECONDS + (checks + 1) * (item.timeout + contract.JUDGE_GRACE_SECONDS)


class _Judge:
    """One judge process and its private event channel."""

    def __init__(self, command: list[str], root: Path, cwd: Path, lang: str | None = None, standby: bool = False,
                 forked: bool = False):
        self.nonce = secrets.token_hex(16)
        self.events = contract.Events(self.nonce)
        read_fd, write_fd = os.pipe()
        env = contract.judge_env(root, write_fd, self.nonce, lang)
        named_fds, self.go = {contract.CHANNEL_FD: write_fd}, None
        if standby:
            go_read, go_write = os.pipe()
            env[contract.GO_FD] = str(go_read)
            named_fds[contract.GO_FD] = go_read
            self.go = go_write
        self.output = tempfile.TemporaryFile()
        try:
            self.process = None
            if forked:
                try:
                    server = warm_judges.server(root, _server_env(root, lang))
                    self.process = server.spawn(command, env, cwd, self.output.fileno(), named_fds)
                except warm_judges.ServerGone:
                    pass  # started the usual way below: slower, the same judge
            if self.process is None:
                self.process = subprocess.Popen(command, env=env, pass_fds=tuple(named_fds.values()), cwd=cwd,
                                                stdin=subprocess.DEVNULL, stdout=self.output,
                                                stderr=subprocess.STDOUT,
                                                preexec_fn=warm_judges.own_session_dying_with_parent)
        finally:
            for fd in named_fds.values():
                os.close(fd)
        self.channel = os.fdopen(read_fd, "rb", buffering=0)

    def release(self, word: bytes) -> None:
        try:
            os.write(self.go, word + b"\n")
        except OSError:  # the judge is gone: its events say why
            pass
        os.close(self.go)
        self.go = None

    def finish(self, item: Item, on_event=None) -> tuple[contract.Events, int | None, str, bool]:
        """Read events until the judge ends or the run's deadline passes; then kill what is left. `on_event` is
        shown the events after each line (a progress display; it decides nothing)."""
        events, lines_of, killed = self.events, contract.Lines(), False
        deadline = time.monotonic() + run_budget(item, len(events.collected) if events.collected else 1)
        with self.channel:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    killed = True
                    break
                ready, _, _ = select.select([self.channel], [], [], min(remaining, 1.0))
                if ready:
                    chunk = self.channel.read(65536)
                    if not chunk:
                        break
                    for line in lines_of.feed(chunk):
                        was_collected = events.collected is not None
                        events.accept(line)
                        if on_event is not None:
                            on_event(events)
                        if not was_collected and events.collected is not None:
                            deadline = time.monotonic() + run_budget(item, len(events.collected))
                elif self.process.poll() is not None:
                    break
        _kill_group(self.process)
        with self.output:
            self.output.seek(max(0, self.output.seek(0, 2) - OUTPUT_TAIL))
            text = self.output.read().decode("utf-8", "replace")
        return events, self.process.returncode, text, killed

    def cancel(self) -> None:
        _kill_group(self.process)
        self.channel.close()
        self.output.close()
        if self.go is not None:
            os.close(self.go)


def _server_env(root: Path, lang: str | None) -> dict:
    """A judge's environment without its channel: what the warm server imports its libraries under."""
    env = contract.judge_env(root, -1, "", lang)
    for name in (contract.CHANNEL_FD, contract.CHANNEL_NONCE):
        env.pop(name)
    return env


def _run_judge(command: list[str], root: Path, item: Item, cwd: Path, lang: str | None = None,
               forked: bool = False, on_event=None) -> tuple[contract.Events, int | None, str, bool]:
    return _Judge(command, root, cwd, lang, forked=forked).finish(item, on_event)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def grade(manifest: Manifest, item: Item, impl_path: Path, device: str = "auto",
          only: list[str] | None = None, display: str | None = None, reference: Path | None = None,
          lang: str | None = None) -> ItemResult:
    """Grade `impl_path` against the item's grader; `only` limits the run to the named checks; `lang`
    is the language of the feedback (the CLI's by default)."""
    problem = _unavailable(manifest, item)
    if problem:
        return problem
    command = contract.judge_command(manifest.root, manifest.grader_path(item), Path(impl_path).resolve(),
                                     item.timeout, device, only, display or problems.display(Path(impl_path)),
                                     reference, check_seconds=limits.check_seconds(manifest, item, device))
    return _result(item, *_run_judge(command, manifest.root, item, manifest.root, lang))


def collect(manifest: Manifest, item: Item) -> list[dict]:
    """The checks of the item's grader as its judge collects them (name, points, dimension, gpu, titles), from a
    judge that starts no worker and runs nothing: forked from the warm server, since it runs only the kit's own
    files (a course of 18 items collects in about 25 s instead of 100)."""
    command = contract.judge_command(manifest.root, manifest.grader_path(item), None, item.timeout)
    events, code, output, _ = _run_judge(command + ["--collect-only"], manifest.root, item, manifest.root,
                                         forked=True)
    if not events.collected:
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise RuntimeError(f"Collecting the checks of {item.id} found none (pytest exit code {code}):\n{tail}")
    return [spec.to_json() for spec in events.collected]


@dataclass(frozen=True)
class Planned:
    """One file of `grade_many`: `key` names it in the results, `only` limits its checks."""
    key: str
    path: Path
    display: str | None = None
    only: tuple[str, ...] | None = None


def grade_many(manifest: Manifest, item: Item, files: list[Planned], mode: Mode = Mode.STUDENTS,
               start: JudgeStart = JudgeStart.FRESH, device: str = "auto", reference: Path | None = None,
               lang: str | None = None, on_event=None) -> dict[str, ItemResult]:
    """Grade many files against one item's grader in one judge: Python, torch, pytest and the grader start
    once. Each file still runs in its own fork of one warm zygote, which is ended, with all it started and wrote,
    before the next file's is handed its file. `mode` says whose files they are (protocol/plan.py): students'
    get the judge's files and module fixtures afresh for each file; the kit's own bank keeps them. `start` says
    how the judge starts (fresh, or forked from a warm server); `on_event(events)` follows its progress. Results
    by key, each the ItemResult `grade` would give."""
    problem = _unavailable(manifest, item)
    if problem or not files:
        return {f.key: problem for f in files}
    with tempfile.TemporaryDirectory(prefix="ptgrade-plan-") as folder:
        plan = Plan(tuple(PlanEntry(f.key, Path(f.path).resolve(), f.display or problems.display(Path(f.path)),
                                    f.only) for f in files), mode).write(Path(folder) / "plan.json")
        command = contract.judge_command(manifest.root, manifest.grader_path(item), None, item.timeout, device,
                                         reference=reference, plan=plan,
                                         check_seconds=limits.check_seconds(manifest, item, device))
        outcome = _run_judge(command, manifest.root, item, manifest.root, lang, forked=start is JudgeStart.WARM,
                             on_event=on_event)
    return {f.key: _result(item, *outcome, key=f.key) for f in files}


class Standby:
    """A judge started before the student saves (`ptgrade watch`): Python, torch, pytest and the grader
    loaded, its sandboxed worker booted with torch. `grade()` grades the file as it is at that moment,
    in that fresh worker, exactly as `grade` would; a standby is used once."""

    def __init__(self, manifest: Manifest, item: Item, impl_path: Path, device: str = "auto",
                 lang: str | None = None):
        self.item, self.problem = item, _unavailable(manifest, item)
        self.judge = None
        if self.problem is None:
            command = contract.judge_command(manifest.root, manifest.grader_path(item), Path(impl_path).resolve(),
                                             item.timeout, device, None, problems.display(Path(impl_path)),
                                             standby=True, check_seconds=limits.check_seconds(manifest, item, device))
            self.judge = _Judge(command, manifest.root, manifest.root, lang, standby=True)

    def grade(self) -> ItemResult:
        if self.judge is None:
            return self.problem
        self.judge.release(b"go")
        return _result(self.item, *self.judge.finish(self.item))

    def cancel(self) -> None:
        if self.judge is not None:
            self.judge.cancel()


def _unavailable(manifest: Manifest, item: Item) -> ItemResult | None:
    result = ItemResult(id=item.id, title=item.title)
    if not item.available:
        result.built = False
        result.problem = _("Item {id} is not built yet; it is listed so you can see what is coming.").format(id=item.id)
        return result
    grader = manifest.grader_path(item)
    if not grader.is_file():
        result.problem = _("The grader for {id} is missing ({name}).").format(id=item.id, name=grader.name)
        return result
    return None


def _result(item: Item, events: contract.Events, returncode: int | None, output: str, killed: bool,
            key: str | None = None) -> ItemResult:
    """The result of one file (`key`, for a judge that graded many) from what its judge reported."""
    result = ItemResult(id=item.id, title=item.title)
    if events.fatal:
        result.problem = events.fatal
        return result
    if events.collected is None:
        result.problem = _could_not_start(item, returncode, output)
        result.kit_fault = True
        return result
    for spec in (c for c in events.collected if c.impl == key):
        name = spec.name
        outcome, message = events.results.get((key, name), (Outcome.ERROR, _not_run(killed, item)))
        if outcome not in OUTCOMES:
            outcome, message = Outcome.ERROR, _("an unknown outcome")
        kit_fault = ((key, name) in events.kit_faults if (key, name) in events.results
                     else outcome == Outcome.ERROR and not killed)  # the judge ended before it: not the student's
        result.checks.append(CheckResult(name=name, dimension=spec.dimension, max_score=spec.max_score,
                                         outcome=outcome, message=message, gpu=spec.gpu, titles=dict(spec.titles),
                                         kit_fault=kit_fault, seconds=round(events.seconds.get((key, name), 0.0), 3),
                                         student_seconds=events.used.get((key, name), 0.0)))
    return result


def _not_run(killed: bool, item: Item) -> str:
    if killed:
        return _("not run: the grading of {id} ran past its deadline and was stopped.").format(id=item.id)
    return _("not run: the grader ended before this check (a problem with the kit, not your code).")


def _could_not_start(item: Item, returncode: int | None, output: str) -> str:
    if "ModuleNotFoundError" in output and item.extras:
        extras = ",".join(item.extras)
        return _("Item {id} needs optional packages that are not installed: {command}").format(
            id=item.id, command=f"python -m pip install -e \".[{extras}]\"")
    tail = "\n".join(output.strip().splitlines()[-15:])
    return _("The grader for {id} could not start (exit code {code}). This is a problem with the kit, not your "
             "code; its output ends:").format(id=item.id, code=returncode) + "\n" + tail
