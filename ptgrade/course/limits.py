"""How long a check may run the student's code: derived from measurement, not one number per item.

`ptgrade verify --record-seconds` keeps, per item, the longest check of the reference and its alternatives
(`graders/check_seconds.json`, reviewed like code). A check's limit is that time times MARGIN, never under
FLOOR_SECONDS, never over the item's `timeout` in curriculum.toml (which an item without a measurement keeps).
Importing the student's module has the item's whole `timeout` of its own: slow imports are not a hang.
The longest check, not each check's own time, because a check that runs alone (`--only`, nbgrader's cells)
may be the one that builds a module fixture the full run built in an earlier check."""
from __future__ import annotations

import json
import math
from pathlib import Path

from ptgrade.course.manifest import Item, Manifest

MEASURED = Path("graders") / "check_seconds.json"
MARGIN = 20           # an honest solution 20 times slower than the reference's longest check still finishes
FLOOR_SECONDS = 3     # and never less than this, for the lightest items (their reference checks take 0.02-0.3 s)
CUDA_SECONDS = 30     # a CUDA context starts in the worker on the first GPU call


def measured(manifest: Manifest) -> dict[str, float]:
    """{item id: the reference's longest check, seconds} as recorded; {} when there is no record."""
    try:
        data = json.loads((manifest.root / MEASURED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, (int, float))} if isinstance(data, dict) else {}


def may_use_cuda(device: str) -> bool:
    """Whether the judge may give checks a CUDA device (`auto` where an NVIDIA driver is loaded), known without
    importing torch."""
    return device == "cuda" or (device == "auto" and Path("/proc/driver/nvidia").exists())


def check_seconds(manifest: Manifest, item: Item, device: str = "auto") -> int:
    """The limit on the student's code in each check of `item`."""
    longest = measured(manifest).get(item.id)
    if longest is None:
        return item.timeout
    limit = max(FLOOR_SECONDS, math.ceil(MARGIN * longest)) + (CUDA_SECONDS if may_use_cuda(device) else 0)
    return min(item.timeout, limit)


def record(manifest: Manifest, longest: dict[str, float]) -> Path:
    """Keep `longest` ({item id: seconds}) beside the earlier record of other items."""
    path = manifest.root / MEASURED
    data = {**measured(manifest), **{k: round(v, 2) for k, v in longest.items()}}
    path.write_text(json.dumps(dict(sorted(data.items())), indent=1) + "\n", encoding="utf-8")
    return path
