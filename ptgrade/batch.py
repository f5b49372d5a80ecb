"""`ptgrade grade`: a folder of student copies (one folder, or one zip, per student) graded in
parallel into a CSV and one JSON feedback file per student. Each student's files are copied first
(a zip streamed with limits), and graded in sandboxed processes of their own that see only that
copy, so one student's code can touch neither the kit, another student, nor the results; a crash or
a hang costs only that student's points. Results are written after every grading process is dead."""
from __future__ import annotations

import csv
import json
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ptgrade import runner
from ptgrade.manifest import Manifest
from ptgrade.results import ItemResult


def students(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_dir() or (p.is_file() and p.suffix == ".zip"))


MAX_MEMBER_BYTES = 16 * 1024 * 1024   # a submission file larger than this is refused
MAX_MEMBERS = 1000
MAX_TOTAL_BYTES = 64 * 1024 * 1024


class SubmissionProblem(Exception):
    """A submission that cannot be graded as it is (a zip too large, too many files, unreadable)."""


def _copy_submission(entry: Path, target: Path, wanted: set[str]) -> None:
    """The student's files the items need, copied into `target`: grading never reads the original
    again. A zip is streamed member by member with limits on size and count (its files may sit one
    folder down)."""
    target.mkdir()
    if entry.is_dir():
        for name in wanted:
            source = entry / name
            if source.is_file() and not source.is_symlink():
                if source.stat().st_size > MAX_MEMBER_BYTES:
                    raise SubmissionProblem(f"{name} is too large ({source.stat().st_size} bytes).")
                shutil.copyfile(source, target / name)
        return
    try:
        with zipfile.ZipFile(entry) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise SubmissionProblem(f"the zip holds {len(members)} entries, more than {MAX_MEMBERS}.")
            total = 0
            for member in members:
                name = Path(member.filename).name
                if member.is_dir() or name not in wanted:
                    continue
                written = 0
                with archive.open(member) as source, (target / name).open("wb") as destination:
                    # The declared size may lie: count what really comes out.
                    while chunk := source.read(1 << 16):
                        written += len(chunk)
                        total += len(chunk)
                        if written > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                            raise SubmissionProblem(f"{name} in the zip is too large (over {MAX_MEMBER_BYTES} bytes).")
                        destination.write(chunk)
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise SubmissionProblem(f"the zip cannot be read ({error}).") from None


def grade_student(manifest: Manifest, entry: Path, items) -> list[ItemResult]:
    with tempfile.TemporaryDirectory(prefix="ptgrade-student-") as scratch:
        submission = Path(scratch) / "submission"
        try:
            _copy_submission(entry, submission, {item.file_name for item in items})
        except SubmissionProblem as problem:
            return [ItemResult(id=item.id, title=item.title, problem=f"{entry.name}: {problem}") for item in items]
        results = []
        for item in items:
            path = submission / item.file_name
            if not path.is_file():
                results.append(ItemResult(id=item.id, title=item.title, problem=f"no {item.file_name} submitted"))
                continue
            # Each run's processes are dead when grade returns (its sandbox dies with its judge).
            results.append(runner.grade(manifest, item, path, display=f"{entry.name}/{item.file_name}"))
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
            grades[entry.stem] = future.result()
            if on_done:
                on_done(entry.stem)
    for name, results in grades.items():
        (feedback_dir / f"{name}.json").write_text(json.dumps(
            {"student": name, "items": [r.to_json() for r in results]}, ensure_ascii=False, indent=1),
            encoding="utf-8")
    with out_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *[item.id for item in items], "total"])
        for name, results in grades.items():
            scores = [r.score for r in results]
            writer.writerow([name, *[f"{s:g}" for s in scores], f"{sum(scores):g}"])
    return grades
