"""A student's progress: per source folder, each item's last result, its best score and when; how many
hints were shown; the language chosen. One JSON file, $PTGRADE_STATE or .ptgrade/state.json in the kit's
folder, written atomically. A damaged file is set aside (kept beside it), said once, and started afresh.

Results are kept per source: `exercises` (the learner's stubs, whichever language), `solutions`, or the
absolute path of a folder given with --source, so a run on another folder never overwrites the stubs'.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from ptgrade.i18n import _
from ptgrade.protocol.results import ItemResult

VERSION = 2
DEFAULT_SOURCE = "exercises"


def source_key(source: str) -> str:
    """How a --source value is recorded: the two kit folders by name, any other folder by its path."""
    return source if source in ("exercises", "solutions") else str(Path(source).resolve())


class Progress:
    def __init__(self, root: Path, repair: bool = True):
        """`repair=False` only reads (a damaged file is left where it is, for the command to report)."""
        self.path = Path(os.environ.get("PTGRADE_STATE") or root / ".ptgrade" / "state.json")
        self.problem = ""  # one sentence when a damaged file was set aside
        data = self._read(repair)
        self.sources: dict = data.get("sources") if isinstance(data.get("sources"), dict) else {}
        if isinstance(data.get("results"), dict):  # version 1: results of exercises/ only
            self.sources.setdefault(DEFAULT_SOURCE, {
                item_id: {"last": result, "best_score": result.get("score", 0), "best_at": None, "last_at": None}
                for item_id, result in data["results"].items() if isinstance(result, dict)})
        self.hints: dict = data.get("hints") if isinstance(data.get("hints"), dict) else {}
        lang = data.get("lang")
        self.lang: str | None = lang if lang in ("en", "ko") else None

    def _read(self, repair: bool) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return data
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, UnicodeDecodeError):
            if not repair:
                return {}
            kept = self.path.with_name(self.path.name + ".damaged")
            try:
                os.replace(self.path, kept)
            except OSError:
                kept = self.path
            self.problem = _("Your progress file {path} could not be read; it was kept as {kept} and progress "
                             "starts afresh.").format(path=self.path, kept=kept)
            return {}

    # -- results ------------------------------------------------------------------------------------
    def _entry(self, item_id: str, source: str) -> dict | None:
        entry = self.sources.get(source_key(source), {}).get(item_id)
        return entry if isinstance(entry, dict) else None

    def last_result(self, item_id: str, source: str = DEFAULT_SOURCE) -> ItemResult | None:
        try:
            return ItemResult.from_json(self._entry(item_id, source)["last"])
        except (KeyError, TypeError, ValueError):
            return None

    def best(self, item_id: str, source: str = DEFAULT_SOURCE) -> tuple[float, str | None] | None:
        """The best score this source reached on the item, and when (ISO time, UTC), or None."""
        entry = self._entry(item_id, source)
        if entry is None or not isinstance(entry.get("best_score"), (int, float)):
            return None
        return float(entry["best_score"]), entry.get("best_at")

    def record(self, result: ItemResult, source: str = DEFAULT_SOURCE) -> None:
        if result.problem:
            return
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        entries = self.sources.setdefault(source_key(source), {})
        entry = entries.get(result.id) if isinstance(entries.get(result.id), dict) else {}
        best = entry.get("best_score")
        if not isinstance(best, (int, float)) or result.score > best:
            entry["best_score"], entry["best_at"] = result.score, now
        entry["last"], entry["last_at"] = result.to_json(), now
        entries[result.id] = entry

    def forget(self, item_id: str, source: str = DEFAULT_SOURCE) -> None:
        self.sources.get(source_key(source), {}).pop(item_id, None)
        self.hints.pop(item_id, None)

    # -- hints --------------------------------------------------------------------------------------
    def next_hint(self, item_id: str, count: int) -> int:
        """Index of the hint to show now; advances, staying on the last one."""
        shown = int(self.hints.get(item_id, 0))
        self.hints[item_id] = min(shown + 1, count)
        return min(shown, count - 1)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"version": VERSION, "sources": self.sources, "hints": self.hints,
                                         "lang": self.lang}, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, self.path)
