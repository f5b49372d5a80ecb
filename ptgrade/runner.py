"""Grade one item in a child pytest process and return its structured result.

The child keeps a crash, a hang or an `os._exit` in student code from taking the CLI down. Results
arrive over a private pipe, one JSON event a line, tagged with a nonce; nothing the child prints is
read as a result. A watchdog kills a child whose check outlives its limit (code that swallows
pytest-timeout's exception, or hangs in C), records that check, and starts a new child for the rest.
"""
from __future__ import annotations

import json
import os
import secrets
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ptgrade.manifest import Item, Manifest
from ptgrade.results import CheckResult, ItemResult

INI = Path(__file__).with_name("grader.ini")
# pytest plugins grading does without: the cache writes beside the kit, and unraisableexception runs
# a full garbage collection after every check (about half a second each with torch loaded).
NOT_NEEDED = [arg for name in ("cacheprovider", "unraisableexception", "threadexception", "doctest",
                               "junitxml", "pastebin", "logging") for arg in ("-p", f"no:{name}")]
# Beyond pytest-timeout's own limit, how long the watchdog waits before killing the child.
GRACE_SECONDS = 10


@dataclass
class _Run:
    """What one child reported before it ended."""
    collected: list[dict] | None = None
    results: dict[str, tuple[str, str]] = field(default_factory=dict)
    current: str | None = None       # the check that started and has not reported
    importing: bool = False          # the child was importing the student's file
    fatal: str = ""
    killed: bool = False
    returncode: int | None = None
    output: str = ""


def child_command(manifest: Manifest, item: Item, impl_path: Path, device: str,
                  deselect: list[str], only: list[str] | None) -> list[str]:
    grader = manifest.grader_path(item)
    targets = [f"{grader}::{name}" for name in only] if only else [str(grader)]
    command = [sys.executable, "-m", "pytest", *targets, "-c", str(INI), "--rootdir", str(manifest.root),
               "--noconftest", "-p", "ptgrade.plugin", "-p", "pytest_timeout", *NOT_NEEDED,
               "-q", "--no-header", "--assert=plain",  # graders assert through support/, not bare asserts "-o", f"timeout={item.timeout}",
               "--ptgrade-impl", str(impl_path), "--ptgrade-device", device]
    for name in deselect:  # node ids are relative to --rootdir
        command += ["--deselect", f"{grader.relative_to(manifest.root).as_posix()}::{name}"]
    return command


def _child_env(manifest: Manifest, fd: int, nonce: str) -> dict:
    env = dict(os.environ)
    env.update(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONDONTWRITEBYTECODE="1",
               PTGRADE_CHANNEL_FD=str(fd), PTGRADE_NONCE=nonce,
               PYTHONPATH=os.pathsep.join(filter(None, [str(manifest.root), env.get("PYTHONPATH")])))
    return env


def _run_child(command: list[str], env_for, check_limit: float, cwd: Path) -> _Run:
    run = _Run()
    nonce = secrets.token_hex(16)
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(command, env=env_for(write_fd, nonce), pass_fds=(write_fd,), cwd=cwd,
                                 stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
        os.close(write_fd)
        buffer, deadline = b"", None
        with os.fdopen(read_fd, "rb", buffering=0) as channel:
            while True:
                ready, _, _ = select.select([channel], [], [], 0.2)
                if ready:
                    chunk = channel.read(65536)
                    if not chunk:
                        break
                    buffer += chunk
                    *lines, buffer = buffer.split(b"\n")
                    for line in lines:
                        if _accept(run, line, nonce):
                            deadline = time.monotonic() + check_limit if (run.current or run.importing) else None
                elif deadline is not None and time.monotonic() > deadline:
                    child.kill()
                    run.killed = True
                    break
        run.returncode = child.wait()
        output.seek(0)
        run.output = output.read().decode("utf-8", "replace")
    return run


def _accept(run: _Run, line: bytes, nonce: str) -> bool:
    """Apply one event from the channel; anything without the nonce is ignored."""
    try:
        event = json.loads(line)
    except ValueError:
        return False
    if not isinstance(event, dict) or event.get("nonce") != nonce:
        return False
    kind = event.get("event")
    if kind == "collected":
        run.collected = event["checks"]
    elif kind == "importing":
        run.importing = True
    elif kind == "start":
        run.importing, run.current = False, event["name"]
    elif kind == "result":
        run.results[event["name"]] = (event["outcome"], event["message"])
        run.current = None
    elif kind == "fatal":
        run.fatal = event["message"]
    return True


def grade(manifest: Manifest, item: Item, impl_path: Path, device: str = "auto",
          only: list[str] | None = None) -> ItemResult:
    """Grade `impl_path` against the item's grader; `only` limits the run to the named checks."""
    result = ItemResult(id=item.id, title=item.title)
    if not item.available:
        result.problem = f"Item {item.id} is not built yet; it is listed so you can see what is coming."
        return result
    if not manifest.grader_path(item).is_file():
        result.problem = f"The grader for {item.id} is missing ({manifest.grader_path(item).name})."
        return result
    collected: list[dict] | None = None
    outcomes: dict[str, tuple[str, str]] = {}
    check_limit = item.timeout + GRACE_SECONDS
    for _attempt in range(64):
        command = child_command(manifest, item, impl_path, device, list(outcomes), only)
        run = _run_child(command, lambda fd, nonce: _child_env(manifest, fd, nonce), check_limit, manifest.root)
        if run.fatal:
            result.problem = run.fatal
            return result
        if run.collected is None and collected is None:
            result.problem = _could_not_start(item, run)
            return result
        collected = collected or run.collected
        outcomes.update(run.results)
        missing = [c["name"] for c in collected if c["name"] not in outcomes]
        if not missing:
            break
        if run.importing:
            reason = ("timed out while importing your module (an infinite loop at module level?)"
                      if run.killed else "the grading process ended while importing your module "
                      "(os._exit, a crash, or a signal at module level?)")
            outcomes.update({name: ("error", reason) for name in missing})
            break
        if run.current is None:
            outcomes.update({name: ("error", "not run: the grading process ended before this check "
                                    "(os._exit or a crash in your code?)") for name in missing})
            break
        outcomes[run.current] = ("error", f"timed out after {item.timeout} s and had to be stopped (an "
                                 "infinite loop, or code that swallows the timeout?)" if run.killed else
                                 "your code ended the grading process during this check (os._exit, "
                                 "a crash, or a signal?)")
    for spec in collected or []:
        outcome, message = outcomes.get(spec["name"], ("error", "not run"))
        result.checks.append(CheckResult(name=spec["name"], dimension=spec["dimension"],
                                         max_score=spec["max_score"], outcome=outcome,
                                         message=message, gpu=spec.get("gpu", False)))
    return result


def _could_not_start(item: Item, run: _Run) -> str:
    if "ModuleNotFoundError" in run.output and item.extras:
        extras = ",".join(item.extras)
        return (f"Item {item.id} needs optional packages that are not installed: "
                f"python -m pip install -e \".[{extras}]\"")
    tail = "\n".join(run.output.strip().splitlines()[-15:])
    return (f"The grader for {item.id} could not start (exit code {run.returncode}). "
            f"This is a problem with the kit, not your code; its output ends:\n{tail}")
