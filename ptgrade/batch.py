"""`ptgrade grade`: a folder of student copies (one folder, or one zip, per student) graded in
parallel into a CSV and one JSON feedback file per student. Each student is graded against a fresh
copy of the graders, in child processes of their own, so one student's code can touch neither the
kit nor another student; a crash or a hang costs only that student's points."""
from __future__ import annotations

import csv
import json
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ptgrade import manifest as manifest_module
from ptgrade import runner
from ptgrade.manifest import Manifest
from ptgrade.results import ItemResult


def students(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_dir() or (p.is_file() and p.suffix == ".zip"))


def _unpack(entry: Path, scratch: Path) -> Path:
    """A student's folder of exercise files (a zip is extracted; its files may sit one folder down)."""
    if entry.is_dir():
        return entry
    target = scratch / "submission"
    with zipfile.ZipFile(entry) as archive:
        for member in archive.infolist():  # no absolute paths or `..` out of the target
            if member.is_dir() or Path(member.filename).is_absolute() or ".." in Path(member.filename).parts:
                continue
            destination = target / Path(member.filename).name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(member))
    return target


def grade_student(manifest: Manifest, entry: Path, items) -> list[ItemResult]:
    with tempfile.TemporaryDirectory(prefix="ptgrade-") as scratch:
        scratch = Path(scratch)
        # The student's own copy of the graders and manifest: nothing they do reaches the kit.
        shutil.copytree(manifest.graders_dir, scratch / "kit" / "graders",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(manifest.root / "curriculum.toml", scratch / "kit" / "curriculum.toml")
        private = manifest_module.load(scratch / "kit")
        submission = _unpack(entry, scratch)
        results = []
        for item in items:
            path = submission / item.file_name
            if not path.is_file():
                results.append(ItemResult(id=item.id, title=item.title, problem=f"no {item.file_name} submitted"))
                continue
            results.append(runner.grade(private, private.item(item.id), path))
        return results


def run(manifest: Manifest, folder: Path, out_csv: Path, jobs: int = 2, items=None, on_done=None) -> dict:
    items = items or [item for item in manifest.items if item.available]
    entries = students(folder)
    feedback_dir = out_csv.parent / (out_csv.stem + "-feedback")
    feedback_dir.mkdir(parents=True, exist_ok=True)
    grades: dict[str, list[ItemResult]] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(grade_student, manifest, entry, items): entry for entry in entries}
        for future, entry in futures.items():
            name = entry.stem
            grades[name] = future.result()
            (feedback_dir / f"{name}.json").write_text(json.dumps(
                {"student": name, "items": [r.to_json() for r in grades[name]]}, ensure_ascii=False, indent=1),
                encoding="utf-8")
            if on_done:
                on_done(name)
    with out_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *[item.id for item in items], "total"])
        for name, results in grades.items():
            scores = [r.score for r in results]
            writer.writerow([name, *[f"{s:g}" for s in scores], f"{sum(scores):g}"])
    return grades
