"""A student's progress: each item's last result and how many hints were shown. One JSON file,
$PTGRADE_STATE or .ptgrade/state.json in the kit's folder; a damaged file is started afresh."""
from __future__ import annotations

import json
import os
from pathlib import Path

from ptgrade.results import ItemResult


class Progress:
    def __init__(self, root: Path):
        self.path = Path(os.environ.get("PTGRADE_STATE") or root / ".ptgrade" / "state.json")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.results: dict = data.get("results", {}) if isinstance(data, dict) else {}
        self.hints: dict = data.get("hints", {}) if isinstance(data, dict) else {}
        lang = data.get("lang") if isinstance(data, dict) else None
        self.lang: str | None = lang if lang in ("en", "ko") else None

    def last_result(self, item_id: str) -> ItemResult | None:
        try:
            return ItemResult.from_json(self.results[item_id])
        except (KeyError, TypeError, ValueError):
            return None

    def record(self, result: ItemResult) -> None:
        if not result.problem:
            self.results[result.id] = result.to_json()

    def next_hint(self, item_id: str, count: int) -> int:
        """Index of the hint to show now; advances, staying on the last one."""
        shown = int(self.hints.get(item_id, 0))
        self.hints[item_id] = min(shown + 1, count)
        return min(shown, count - 1)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"results": self.results, "hints": self.hints, "lang": self.lang}, indent=1),
                             encoding="utf-8")
        temporary.replace(self.path)
