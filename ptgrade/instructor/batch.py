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
from dataclasses import dataclass
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


class ClusterProblem(Exception):
    """`--cluster`: the cluster cannot grade this batch (no scheduler there, its nodes hold another kit, Dask is
    not installed): one sentence why (instructor/cluster.py)."""


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


@dataclass(frozen=True)
class Student:
    """One student of a batch: `name` keys their results, `entry` is their folder's or zip's name (how messages
    name their files), `copy` the folder holding the copy of their files (or why it could not be made)."""
    name: str
    entry: str
    copy: Path | SubmissionProblem


def _copy_all(entries: list[Path], scratch: Path, items) -> list[Student]:
    """Each student's files, copied once into a folder of their own (or why they cannot be)."""
    copies = []
    for index, entry in enumerate(entries):
        target = scratch / str(index)
        try:
            _copy_submission(entry, target, {item.file_name for item in items})
            copies.append(Student(entry.stem, entry.name, target))
        except SubmissionProblem as problem:
            copies.append(Student(entry.stem, entry.name, SubmissionProblem(f"{entry.name}: {problem}")))
    return copies


def grade_students(manifest: Manifest, items, students: list[Student], progress=None,
                   lang: str | None = None) -> dict[str, dict[str, ItemResult]]:
    """The one grading of students both `run` and a cluster's node (instructor/cluster.py) do: per item, one
    judge for every student who submitted its file, each student in a worker of their own (a fork of a warm
    zygote, ended with everything it started and wrote before the next student's file is copied in); a student
    whose copy could not be made, or who did not submit the item's file, gets a result that says so. `lang` is
    the feedback's language (the CLI's by default)."""
    grades: dict[str, dict[str, ItemResult]] = {student.name: {} for student in students}
    for item in items:
        present = []
        for student in students:
            if isinstance(student.copy, SubmissionProblem):
                problem = str(student.copy)
            elif not (student.copy / item.file_name).is_file():
                problem = _("no {file} submitted").format(file=item.file_name)
            else:
                present.append(student)
                continue
            grades[student.name][item.id] = ItemResult(id=item.id, title=item.title, problem=problem)
            if progress:
                progress.finished(student.name, item.id)
        if not present:
            continue
        files = [runner.Planned(s.name, s.copy / item.file_name, display=f"{s.entry}/{item.file_name}")
                 for s in present]
        follow = _Follow(item.id, [s.name for s in present], progress) if progress else None
        results = runner.grade_many(manifest, item, files, mode=Mode.STUDENTS, lang=lang, on_event=follow)
        if follow:
            follow.finish()
        for name, result in results.items():
            grades[name][item.id] = result
    return grades


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
        progress: Progress | None = None, cluster: str | None = None, per_task: int | None = None) -> dict:
    """Grade every student's copy of `items`, here in `jobs` judges at a time, or with `cluster` (a Dask
    scheduler's address) on that cluster's nodes, `per_task` students in each of its tasks (instructor/cluster.py);
    each student's results in the order of the items, written here once every grading has ended."""
    items = items or [item for item in manifest.items if item.available]
    entries = students(folder)
    with tempfile.TemporaryDirectory(prefix="ptgrade-batch-") as scratch:
        copies = _copy_all(entries, Path(scratch), items)
        if cluster:
            from ptgrade.instructor import cluster as on_cluster
            grades = on_cluster.grade(manifest, items, copies, cluster, per_task=per_task, progress=progress)
        else:
            grades = _grade_here(manifest, items, copies, jobs, progress)
    # Every grading process is dead here: results are written only now.
    ordered = {student.name: [grades[student.name][item.id] for item in items] for student in copies}
    write(ordered, items, out_csv)
    return ordered


def _grade_here(manifest: Manifest, items, copies: list[Student], jobs: int,
                progress: Progress | None) -> dict[str, dict[str, ItemResult]]:
    """This machine: each item's students in `jobs` shares, one judge per share, `jobs` judges at a time."""
    grades: dict[str, dict[str, ItemResult]] = {student.name: {} for student in copies}
    shares = max(1, jobs)
    work = [([item], copies[i::shares]) for item in items for i in range(shares) if copies[i::shares]]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for results in pool.map(lambda w: grade_students(manifest, *w, progress), work):
            for name, by_item in results.items():
                grades[name].update(by_item)
    return grades


def write(ordered: dict[str, list[ItemResult]], items, out_csv: Path) -> None:
    """The CSV, and one JSON feedback file per student in a folder beside it."""
    feedback_dir = out_csv.parent / (out_csv.stem + "-feedback")
    feedback_dir.mkdir(parents=True, exist_ok=True)
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
