"""Every setting of a grading run, in one object: read once from the environment (and the command line, through
`replace`), and the only place a `PTGRADE_*` knob is read. The `ptgrade` process builds it; a judge reads its own
environment, which the runner wrote from the same object (`to_env`), so the two never disagree.

| variable | default | what it sets |
|---|---|---|
| PTGRADE_LANG | locale | the language feedback is written in (`en`, `ko`) |
| PTGRADE_THREADS | 1 | torch threads in the student's process |
| PTGRADE_MEMORY_GIB | 4 | the student's process's memory limit |
| PTGRADE_JUDGE_MEMORY_GIB | 8 | the judge's own (soft) memory limit |
| PTGRADE_CPU_SECONDS | 1800 | CPU seconds the student's process may use in one run |
| PTGRADE_FILE_MB | 512 | the largest file the student's process may write |
| PTGRADE_RUN_SEED | drawn | the run's seed for data the student cannot know (set it to reproduce a run) |
| PTGRADE_NO_BWRAP | unset | run the student's process without bubblewrap's namespaces (a machine without them) |
| PTGRADE_ZYGOTE_LOG | unset | a file the zygote's own output is appended to (for the kit's developers) |
| PTGRADE_ROOT | this kit | the kit whose curriculum is graded (the `ptgrade` process only) |
| PTGRADE_STATE | .ptgrade/state.json | the progress file (the `ptgrade` process only) |

The runner's private plumbing (PTGRADE_CHANNEL_FD, PTGRADE_NONCE, PTGRADE_GO_FD) is the contract's, not a setting.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass


def _number(text: str | None, default: float, kind=float, at_least: float = 0):
    try:
        value = kind(text) if text not in (None, "") else default
    except ValueError:
        return default
    return value if value > at_least else default


@dataclass(frozen=True)
class Settings:
    threads: int = 1
    memory_gib: float = 4.0
    judge_memory_gib: float = 8.0
    cpu_seconds: int = 1800
    file_mb: int = 512
    run_seed: int | None = None
    no_bwrap: bool = False
    zygote_log: str = ""

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        env = os.environ if environ is None else environ
        seed = env.get("PTGRADE_RUN_SEED", "")
        return cls(threads=_number(env.get("PTGRADE_THREADS"), 1, int),
                   memory_gib=_number(env.get("PTGRADE_MEMORY_GIB"), 4.0),
                   judge_memory_gib=_number(env.get("PTGRADE_JUDGE_MEMORY_GIB"), 8.0),
                   cpu_seconds=_number(env.get("PTGRADE_CPU_SECONDS"), 1800, int),
                   file_mb=_number(env.get("PTGRADE_FILE_MB"), 512, int),
                   run_seed=int(seed) if seed.isdigit() else None,
                   no_bwrap=bool(env.get("PTGRADE_NO_BWRAP")),
                   zygote_log=env.get("PTGRADE_ZYGOTE_LOG", ""))

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)

    def to_env(self) -> dict[str, str]:
        """The same settings as a judge's environment variables (the judge builds its Settings from them)."""
        env = {"PTGRADE_THREADS": str(self.threads), "PTGRADE_MEMORY_GIB": f"{self.memory_gib:g}",
               "PTGRADE_JUDGE_MEMORY_GIB": f"{self.judge_memory_gib:g}", "PTGRADE_CPU_SECONDS": str(self.cpu_seconds),
               "PTGRADE_FILE_MB": str(self.file_mb)}
        if self.run_seed is not None:
            env["PTGRADE_RUN_SEED"] = str(self.run_seed)
        if self.no_bwrap:
            env["PTGRADE_NO_BWRAP"] = "1"
        if self.zygote_log:
            env["PTGRADE_ZYGOTE_LOG"] = self.zygote_log
        return env


_current: Settings | None = None


def current() -> Settings:
    """This process's settings, read from its environment once."""
    global _current
    if _current is None:
        _current = Settings.from_env()
    return _current
