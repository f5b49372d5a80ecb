"""The grading contract, in one place: how the judge is started (its pytest arguments) and the events
it reports on its private channel. The runner (a terminal, batch grading, Gradescope) and the
notebook path (nbgrader) both grade through `judge_command` and read results with `Events`.

The judge is a pytest process that runs the graders and never imports student code; it starts the
student's sandboxed worker itself (ptgrade/judge/plugin.py). Its events are typed records (Collected, Started,
Finished, Fatal, below), each sent as one JSON object a line tagged with a nonce:
    {"event": "collected", "checks": [CheckSpec.to_json(), ...]}
    {"event": "start", "name": check, "impl": key}
    {"event": "result", "name": check, "impl": key, "outcome": ..., "message": ..., "kit_fault": bool,
     "student_seconds": how much of its limit the check used (the judge's clock on the student's code)}
`kit_fault` is true when the error is the kit's (the judge's memory, its preparation), not the student's code.
The host times each check itself, from its "start" to its "result" as they arrive (`Events.seconds`).
`impl` is the plan's key of the file a check ran on, or null when the judge grades one file.
    {"event": "fatal", "message": ...}        (the run cannot proceed: e.g. --device cuda without CUDA)
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ptgrade import i18n
from ptgrade.protocol import settings

INI = Path(__file__).with_name("grader.ini")
# pytest plugins grading does without: the cache writes beside the kit, and unraisableexception runs
# a full garbage collection after every check (about half a second each with torch loaded).
NOT_NEEDED = ("cacheprovider", "unraisableexception", "threadexception", "doctest", "junitxml", "pastebin",
              "logging")
# pytest-timeout guards the judge's own work; the student's process has the item's limit per check
# (enforced by the judge), so pytest-timeout gets this much more.
JUDGE_GRACE_SECONDS = 30
DEFAULT_TIMEOUT = 60  # seconds a check's student code may run, unless curriculum.toml gives the item more
CHANNEL_FD, CHANNEL_NONCE = "PTGRADE_CHANNEL_FD", "PTGRADE_NONCE"
GO_FD = "PTGRADE_GO_FD"  # a standby judge reads "go" here (not stdin: pytest's capture owns fd 0)


def judge_command(root: Path, grader: Path, impl_path: Path | None, timeout: int, device: str = "auto",
                  only: list[str] | None = None, display: str | None = None,
                  reference: Path | None = None, standby: bool = False, plan: Path | None = None,
                  check_seconds: int | None = None) -> list[str]:
    """The judge's command line: one item's grader against `impl_path`, run from the kit at `root`.
    With `standby`, the judge loads everything, then waits for the word on $PTGRADE_GO_FD to grade the
    file as it is at that moment (`ptgrade watch` keeps one ready before the next save). With `plan`
    (a JSON file, see plugin.read_plan) it grades many files in turn instead of `impl_path`. `timeout` is the
    limit on importing the student's module, and on each check's code unless `check_seconds` is given."""
    targets = [f"{grader}::{name}" for name in only] if only else [str(grader)]
    command = [sys.executable, "-m", "pytest", *targets, "-c", str(INI), "--rootdir", str(root), "--noconftest",
               "-p", "ptgrade.judge.plugin", "-p", "pytest_timeout"]
    for name in NOT_NEEDED:
        command += ["-p", f"no:{name}"]
    command += ["-q", "--no-header", "--assert=plain",  # graders assert through graders/support
                "-o", f"timeout={timeout + JUDGE_GRACE_SECONDS}",
                "--ptgrade-check-seconds", str(check_seconds or timeout),
                "--ptgrade-import-seconds", str(timeout),
                "--ptgrade-device", device]
    if plan:
        command += ["--ptgrade-plan", str(plan)]
    elif impl_path:
        command += ["--ptgrade-impl", str(impl_path)]  # neither: the judge starts no worker (collecting checks)
    if display:
        command += ["--ptgrade-display", display]
    if reference:
        command += ["--ptgrade-reference", str(reference)]
    if standby:
        command += ["--ptgrade-standby"]
    return command


def judge_env(root: Path, fd: int, nonce: str, lang: str | None = None) -> dict:
    """The judge's environment; `lang` is the language its feedback is written in (the CLI's by default)."""
    env = dict(os.environ)
    env.update(settings.current().to_env())  # the judge's Settings are the runner's
    env.update(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONDONTWRITEBYTECODE="1", **{CHANNEL_FD: str(fd)},
               PTGRADE_LANG=lang or i18n.current(),
               **{CHANNEL_NONCE: nonce},
               PYTHONPATH=os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")])))
    return env


def open_channel():
    """The judge's sender, from the environment the runner set (a no-op under plain pytest)."""
    fd, nonce = os.environ.pop(CHANNEL_FD, None), os.environ.pop(CHANNEL_NONCE, "")
    if fd is None:
        def send(record) -> None:
            pass
        send.connected = False
        return send
    stream = os.fdopen(int(fd), "w", buffering=1, encoding="utf-8")

    def send(record) -> None:
        """One typed record (Collected, Started, Finished, Fatal) as one JSON line."""
        stream.write(json.dumps({"nonce": nonce, "event": record.KIND, **record.to_json()}) + "\n")
        stream.flush()
    send.connected = True  # this process is a judge the runner started and reads
    return send


@dataclass(frozen=True)
class CheckSpec:
    """A check as the judge announces it when collected: its name, the plan's key of the file it runs on (None when
    the judge grades one file), its dimension, points, whether it needs CUDA, and its titles ({"en", "ko"})."""
    name: str
    impl: str | None
    dimension: str
    max_score: float
    gpu: bool = False
    titles: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"name": self.name, "impl": self.impl, "dimension": self.dimension, "max_score": self.max_score,
                "gpu": self.gpu, "titles": dict(self.titles)}

    @classmethod
    def from_json(cls, data) -> "CheckSpec | None":
        """The spec, or None for anything that is not one (the channel is the judge's, but read it strictly)."""
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return None
        impl, titles = data.get("impl"), data.get("titles")
        try:
            max_score = float(data.get("max_score", 0))
        except (TypeError, ValueError):
            return None
        return cls(name=data["name"], impl=impl if isinstance(impl, str) else None,
                   dimension=str(data.get("dimension", "")), max_score=max_score, gpu=data.get("gpu") is True,
                   titles={k: str(v) for k, v in titles.items() if k in ("en", "ko")} if isinstance(titles, dict)
                   else {})


def _name_and_impl(data) -> tuple[str, str | None] | None:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    impl = data.get("impl")
    return data["name"], impl if isinstance(impl, str) else None


@dataclass(frozen=True)
class Collected:
    """The judge collected its checks (sent once, before any runs)."""
    checks: tuple[CheckSpec, ...]
    KIND = "collected"

    def to_json(self) -> dict:
        return {"checks": [spec.to_json() for spec in self.checks]}

    @classmethod
    def from_json(cls, data: dict) -> "Collected":
        """What could be read of the list: a malformed one collects nothing (the run then grades nothing)."""
        checks = data.get("checks")
        if not isinstance(checks, list):
            return cls(())
        return cls(tuple(spec for spec in map(CheckSpec.from_json, checks) if spec is not None))


@dataclass(frozen=True)
class Started:
    """A check starts: the host's clock for it starts when this arrives."""
    name: str
    impl: str | None
    KIND = "start"

    def to_json(self) -> dict:
        return {"name": self.name, "impl": self.impl}

    @classmethod
    def from_json(cls, data: dict) -> "Started | None":
        named = _name_and_impl(data)
        return cls(*named) if named else None


@dataclass(frozen=True)
class Finished:
    """A check's verdict: its outcome and message; `kit_fault` when the error is the kit's, not the student's;
    `student_seconds`, how much of its limit the student's code used (the judge's clock)."""
    name: str
    impl: str | None
    outcome: str
    message: str = ""
    kit_fault: bool = False
    student_seconds: float = 0.0
    KIND = "result"

    def to_json(self) -> dict:
        return {"name": self.name, "impl": self.impl, "outcome": self.outcome, "message": self.message,
                "kit_fault": self.kit_fault, "student_seconds": self.student_seconds}

    @classmethod
    def from_json(cls, data: dict) -> "Finished | None":
        named = _name_and_impl(data)
        if not named:
            return None
        used = data.get("student_seconds")
        used = float(used) if isinstance(used, (int, float)) and not isinstance(used, bool) and 0 <= used < 1e6 else 0.0
        return cls(*named, outcome=str(data.get("outcome")), message=str(data.get("message", "")),
                   kit_fault=data.get("kit_fault") is True, student_seconds=used)


@dataclass(frozen=True)
class Fatal:
    """The run cannot proceed (e.g. --device cuda without CUDA)."""
    message: str
    KIND = "fatal"

    def to_json(self) -> dict:
        return {"message": self.message}

    @classmethod
    def from_json(cls, data: dict) -> "Fatal":
        return cls(str(data.get("message", "")))


RECORDS = {record.KIND: record for record in (Collected, Started, Finished, Fatal)}



class Lines:
    """The channel's bytes as they arrive, cut into whole lines. A line may be long (a plan of 50 students
    announces 650 checks with their titles in one "collected" line, about 200 KB), but not unbounded: a line
    longer than MAX_LINE_BYTES is dropped whole."""
    MAX_LINE_BYTES = 64 * 1024 * 1024

    def __init__(self):
        self.buffer, self.dropping = b"", False

    def feed(self, chunk: bytes) -> list[bytes]:
        *lines, self.buffer = (self.buffer + chunk).split(b"\n")
        if self.dropping and lines:  # the rest of a line too long to keep
            lines, self.dropping = lines[1:], False
        if len(self.buffer) > self.MAX_LINE_BYTES:
            self.buffer, self.dropping = b"", True
        return lines


@dataclass
class Events:
    """What one judge reported; `accept` takes one line of its channel."""
    nonce: str
    collected: list[CheckSpec] | None = None
    results: dict[tuple, tuple[str, str]] = field(default_factory=dict)  # (impl, check) -> (outcome, message)
    current: str | None = None
    fatal: str = ""
    kit_faults: set = field(default_factory=set)  # (impl, check) whose error the judge says is the kit's
    seconds: dict = field(default_factory=dict)   # (impl, check) -> seconds from its start to its result
    started: float | None = None                  # when the check now running started (the host's clock)
    used: dict = field(default_factory=dict)      # (impl, check) -> seconds of its limit used, as the judge says

    def accept(self, line: bytes) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            return
        if not isinstance(event, dict) or event.get("nonce") != self.nonce:
            return
        record = RECORDS.get(event.get("event"))
        record = record.from_json(event) if record is not None else None
        if isinstance(record, Collected) and self.collected is None:
            self.collected = list(record.checks)
        elif isinstance(record, Started):
            self.current = record.name
            self.started = time.monotonic()
        elif isinstance(record, Finished):
            key = (record.impl, record.name)
            asked = {(c.impl, c.name) for c in self.collected or []}
            # One result per check, and only for a check that was collected.
            if key in asked and key not in self.results:
                self.results[key] = (record.outcome, record.message)
                if record.kit_fault:
                    self.kit_faults.add(key)
                if self.started is not None:
                    self.seconds[key] = time.monotonic() - self.started
                if record.student_seconds:
                    self.used[key] = record.student_seconds
            self.started = None
            self.current = None
        elif isinstance(record, Fatal):
            self.fatal = record.message


# -- the worker: its command line, and what goes wrong with it ---------------------------------------
# Kept free of torch, like the rest of this module: the judge starts the worker before it imports torch.
WORKER_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); sys.dont_write_bytecode = True; "
               "from ptgrade.worker.main import main; main(sys.argv[2:])")


class WorkerProblem(Exception):
    """The worker could not answer: it ran out of time, died, or sent something unreadable."""


class CheckTimeout(WorkerProblem):
    """The student's code ran past its check's limit (`subject`: what timed out, if the judge knows it by name)."""

    def __init__(self, message: str = "", subject: str | None = None, seconds: float = 0.0):
        super().__init__(message)
        self.subject, self.seconds = subject, seconds


class StaleHandle(WorkerProblem):
    pass
