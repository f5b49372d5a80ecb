"""A plan: many files graded by one judge (`ptgrade verify`, `ptgrade grade`, `ptgrade mutate`). The runner writes
it, the judge reads it: one record on both sides, checked as it is read."""
from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Mode(str, Enum):
    """Whose files a plan holds; every file runs in its own fork of one warm zygote either way."""
    STUDENTS = "students"  # different people's (a class): nothing one file's run leaves is seen by the next
    BANK = "bank"          # the kit's own (verify, mutate): the graders' module fixtures are kept across files


class JudgeStart(str, Enum):
    """How the judge process starts: either way it gets the arguments, environment and channel a fresh one would."""
    FRESH = "fresh"        # a new interpreter, whose torch import overlaps the worker's start (a student's check)
    WARM = "warm"          # forked from a warm server with torch imported (ptgrade/host/warm_judges.py): many runs


@dataclass(frozen=True)
class PlanEntry:
    """One file: its key in the events, the file, how messages name it, the checks it gets (None: all)."""
    key: str
    path: Path
    display: str
    only: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Plan:
    entries: tuple[PlanEntry, ...]
    mode: Mode = Mode.STUDENTS

    def to_json(self) -> str:
        return json.dumps({"mode": self.mode.value,
                           "entries": [{"key": e.key, "path": str(e.path), "display": e.display,
                                        "only": list(e.only) if e.only is not None else None} for e in self.entries]})

    @classmethod
    def from_json(cls, text: str) -> "Plan":
        data = json.loads(text)
        entries = tuple(PlanEntry(str(e["key"]), Path(e["path"]).resolve(), str(e["display"]),
                                  tuple(map(str, e["only"])) if e.get("only") is not None else None)
                        for e in data["entries"])
        if len({e.key for e in entries}) != len(entries):
            raise ValueError("a plan names one key twice")
        return cls(entries, Mode(data["mode"]))

    def write(self, path: Path) -> Path:
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: Path) -> "Plan":
        return cls.from_json(path.read_text(encoding="utf-8"))
