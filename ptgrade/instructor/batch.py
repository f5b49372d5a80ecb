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

from ptgrade.course.manifest import Manifest
from ptgrade.host import runner
from ptgrade.i18n import _
from ptgrade.protocol.plan import Mode
from ptgrade.protocol.results import ItemResult


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
                    raise SubmissionProblem(_("{file} is too large ({size} bytes).").format(
                        file=name, size=source.stat().st_size))
                shutil.copyfile(source, target / name)
        return
    try:
        with zipfile.ZipFile(entry) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise SubmissionProblem(_("the zip holds {count} entries, more than {limit}.").format(
                    count=len(members), limit=MAX_MEMBERS))
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
                            raise SubmissionProblem(_("{file} in the zip is too large (over {limit} bytes).").format(
                                file=name, limit=MAX_MEMBER_BYTES))
                        destination.write(chunk)
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise SubmissionProblem(_("the zip cannot be read ({error}).").format(error=error)) from None


def _copy_all(entries: list[Path], scratch: Path, items) -> dict[str, Path | SubmissionProblem]:
    """Each student's files, copied once into a folder of their own (or why they cannot be)."""
    copies = {}
    for index, entry in enumerate(entries):
        target = scratch / str(index)
        try:
            _copy_submission(entry, target, {item.file_name for item in items})
            copies[entry.stem] = target
        except SubmissionProblem as problem:
            copies[entry.stem] = SubmissionProblem(f"{entry.name}: {problem}")
    return copies


def _grade_item(manifest: Manifest, item, students: list[tuple[str, str, Path]],
                progress=None) -> dict[str, ItemResult]:
    """One judge for many students' copies of one item; each student in a worker of their own (a fork of a
    warm zygote, ended with everything it started and wrote before the next student's file is copied in)."""
    files = [runner.Planned(name, path, display=display) for name, display, path in students]
    follow = _Follow(item.id, [name for name, _display, _path in students], progress) if progress else None
    results = runner.grade_many(manifest, item, files, mode=Mode.STUDENTS, on_event=follow)
    if follow:
        follow.finish()
    return results


class _Follow:
    """Tells `progress` which student of a judge's plan is being graded and when each is done, from the judge's
    events as they arrive (the judge grades the plan in order). For the display only: it decides nothing."""

    def __init__(self, item_id: str, names: list[str], progress):
        self.item_id, self.names, self.progress, self.done = item_id, names, progress, set()
        self.progress.started(self.names[0], item_id)

    def __call__(self, events) -> None:
        if events.collected is None:
            return
        for name in self.names:
            if name in self.done:
                continue
            asked = sum(1 for check in events.collected if check.impl == name)
            if asked and sum(1 for key in events.results if key[0] == name) < asked:
                self.progress.started(name, self.item_id)
                return
            self.done.add(name)
            self.progress.finished(name, self.item_id)

    def finish(self) -> None:
        for name in self.names:
            if name not in self.done:
                self.done.add(name)
                self.progress.finished(name, self.item_id)


class Progress:
    """What `run` tells a progress display: a student's item started, and finished (each exactly once)."""

    def started(self, student: str, item_id: str) -> None:
        pass

    def finished(self, student: str, item_id: str) -> None:
        pass


def run(manifest: Manifest, folder: Path, out_csv: Path, jobs: int = 2, items=None,
        progress: Progress | None = None) -> dict:
    """Grade every student's copy of `items`; each student's results in the order of the items."""
    items = items or [item for item in manifest.items if item.available]
    entries = students(folder)
    feedback_dir = out_csv.parent / (out_csv.stem + "-feedback")
    feedback_dir.mkdir(parents=True, exist_ok=True)
    grades: dict[str, dict[str, ItemResult]] = {entry.stem: {} for entry in entries}
    with tempfile.TemporaryDirectory(prefix="ptgrade-batch-") as scratch:
        copies = _copy_all(entries, Path(scratch), items)
        names = {entry.stem: entry.name for entry in entries}
        work = []  # (item, a share of the students): one judge each, `jobs` at a time
        for item in items:
            present = []
            for name, copy in copies.items():
                if isinstance(copy, SubmissionProblem):
                    grades[name][item.id] = ItemResult(id=item.id, title=item.title, problem=str(copy))
                    if progress:
                        progress.finished(name, item.id)
                elif not (copy / item.file_name).is_file():
                    grades[name][item.id] = ItemResult(id=item.id, title=item.title,
                                                       problem=_("no {file} submitted").format(file=item.file_name))
                    if progress:
                        progress.finished(name, item.id)
                else:
                    present.append((name, f"{names[name]}/{item.file_name}", copy / item.file_name))
            shares = max(1, min(jobs, len(present)))
            work += [(item, present[i::shares]) for i in range(shares) if present[i::shares]]
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for (item, _share), results in zip(work, pool.map(lambda w: _grade_item(manifest, *w, progress), work)):
                for name, result in results.items():
                    grades[name][item.id] = result
    # Every grading process is dead here: results are written only now.
    ordered = {name: [grades[name][item.id] for item in items] for name in grades}
    for name, results in ordered.items():
        (feedback_dir / f"{name}.json").write_text(json.dumps(
            {"student": name, "items": [r.to_json() for r in results]}, ensure_ascii=False, indent=1),
            encoding="utf-8")
    with out_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *[item.id for item in items], "total"])
        for name, results in ordered.items():
            scores = [r.score for r in results]
            writer.writerow([name, *[f"{s:g}" for s in scores], f"{sum(scores):g}"])
    return ordered
