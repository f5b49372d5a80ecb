"""Gradescope: results.json from ItemResults, and an autograder bundle that writes it on
Gradescope's own machines (setup.sh installs the kit, run_autograder grades /autograder/submission)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from ptgrade import i18n
from ptgrade.course import release
from ptgrade.course.manifest import Manifest
from ptgrade.protocol.results import ItemResult, Outcome

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
apt-get update && apt-get install -y python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -e "/autograder/source/kit[all]"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission: the student's files are in /autograder/submission.
set -uo pipefail
cd /autograder/source/kit
/autograder/venv/bin/ptgrade check --all --source /autograder/submission --lang {lang} \\
    --gradescope /autograder/results/results.json > /autograder/results/ptgrade.log 2>&1
exit 0
"""


def results_json(results: list[ItemResult]) -> dict:
    """Gradescope's format: one test per check, named `<item> <check title>` in the current language,
    with its points and feedback."""
    tests = []
    for result in results:
        if result.problem:
            tests.append({"name": f"{result.id} {result.title}", "number": result.id, "score": 0.0,
                          "max_score": 0.0, "status": "failed", "output": result.problem,
                          "visibility": "visible"})
        for check in result.checks:
            if check.outcome == Outcome.SKIPPED:
                continue  # e.g. a GPU check on a CPU autograder: not gradable here, not counted
            tests.append({"name": f"{result.id} {check.title(i18n.current())}",
                          "number": result.id, "score": check.score, "max_score": check.max_score,
                          "status": "passed" if check.outcome == Outcome.PASSED else "failed",
                          "output": check.message if check.outcome != Outcome.PASSED else "",
                          "tags": [check.dimension], "visibility": "visible"})
    return {"score": sum(t["score"] for t in tests), "visibility": "visible", "stdout_visibility": "hidden",
            "tests": tests}


def write(results: list[ItemResult], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results_json(results), ensure_ascii=False, indent=1), encoding="utf-8")


def build_bundle(manifest: Manifest, out_zip: Path, lang: str = "en") -> Path:
    """A zip with setup.sh, run_autograder and the student edition of the kit under kit/; titles and
    feedback in `lang`."""
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        kit = Path(scratch) / "kit"
        release.write(manifest, kit, lang=lang)
        with zipfile.ZipFile(out_zip, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER.format(lang=lang))):
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o755 << 16
                bundle.writestr(info, text)
            for path in sorted(kit.rglob("*")):
                if path.is_file():
                    bundle.write(path, Path("kit") / path.relative_to(kit))
    return out_zip
