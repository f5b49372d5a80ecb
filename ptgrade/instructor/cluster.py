"""`ptgrade grade SUBMISSIONS --cluster tcp://HOST:PORT`: the students spread over a Dask distributed cluster.

The caller copies each student's files with the batch's limits (batch.py), then sends each parcel of students to
the cluster as one task whose arguments are the files' bytes (never a path a node must share). A node runs the
same `batch.grade_students` the local path runs (the same judge, the same sandboxed zygote), after checking that
its kit is the caller's (`fingerprint`), and returns the results as data (ItemResult.to_json). The caller writes
the CSV, the feedback and the report once, at the end, as a local run does.

A node that dies mid-run loses no grade: the scheduler gives its tasks to another node (up to its
`distributed.scheduler.allowed-failures` deaths per task, 3 by default); a task that still cannot finish is
reported as a problem of the kit, never as the student's. Dask rather than Ray: the task is one Python function
over bytes, the scheduler and the workers are a pure pip install (`.[cluster]`) started with one command each
(`dask scheduler`, `dask worker ADDRESS`), `LocalCluster` gives the tests real worker processes, and a lost
worker's tasks are retried by the scheduler with nothing to configure.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import math
import platform
import tempfile
import uuid
from pathlib import Path

from ptgrade import i18n
from ptgrade.course import manifest as manifest_module
from ptgrade.course.manifest import Manifest
from ptgrade.i18n import _
from ptgrade.instructor import batch
from ptgrade.protocol.results import ItemResult

# What decides a grade: the curriculum (timeouts, items), the graders and their measured limits (in the kit's
# folder), the engine (the ptgrade package this process runs), and the torch it runs on. Two kits whose hashes of
# these agree grade a file alike.
_KIT_PARTS = ("curriculum.toml", "graders")
_ENGINE = Path(__file__).resolve().parent.parent
_KIT_SUFFIXES = {".py", ".toml", ".json", ".po", ".ini"}


class KitMismatch(Exception):
    """Raised on a node whose kit is not the caller's: it grades nothing."""


def fingerprint(root: Path) -> str:
    """The kit's version as a hash of what decides a grade (`_KIT_PARTS` of `root`, the engine) and of the torch it
    runs on. Computed afresh each time (10 ms): a node whose kit changes mid-run refuses the tasks that follow."""
    digest = hashlib.sha256()
    for base, path in [(Path(root), Path(root) / part) for part in _KIT_PARTS] + [(_ENGINE.parent, _ENGINE)]:
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.suffix in _KIT_SUFFIXES and "__pycache__" not in p.parts)
        for file in files:
            digest.update(file.relative_to(base).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    for package in ("torch", "torchvision"):
        try:
            digest.update(f"{package}=={importlib.metadata.version(package)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package} missing\0".encode())
    digest.update(platform.python_version().encode())
    return digest.hexdigest()[:16]


def grade_parcel(kit: str, item_ids: list[str], lang: str, parcel: list[tuple[str, str, dict | str]]) -> dict:
    """Runs on a node: grade a parcel of students, each `(name, entry, files)` where `files` maps a file's name
    to its bytes (or is why the student's copy could not be made); their results by name and item id, as JSON."""
    i18n.use(lang)
    manifest = manifest_module.load(manifest_module.find_root())
    _check_kit(kit, fingerprint(manifest.root))
    items = [manifest.item(item_id) for item_id in item_ids]
    with tempfile.TemporaryDirectory(prefix="ptgrade-node-") as scratch:
        students = []
        for index, (name, entry, files) in enumerate(parcel):
            if isinstance(files, str):
                students.append(batch.Student(name, entry, batch.SubmissionProblem(files)))
                continue
            folder = Path(scratch) / str(index)
            folder.mkdir()
            wanted = {item.file_name for item in items}
            for file_name, content in files.items():
                if file_name in wanted:  # a name the caller chose from the items, never a path
                    (folder / file_name).write_bytes(content)
            students.append(batch.Student(name, entry, folder))
        grades = batch.grade_students(manifest, items, students, lang=lang)
    return {name: {item_id: result.to_json() for item_id, result in by_item.items()}
            for name, by_item in grades.items()}


def node_kit() -> str:
    """Runs on a node: the fingerprint of the kit it has installed."""
    return fingerprint(manifest_module.find_root())


def _check_kit(ours: str, theirs: str) -> None:
    if theirs != ours:
        raise KitMismatch(_("The node {node} holds another version of the kit (kit {theirs}, this one {ours}): "
                            "install the same kit on every node, then grade again.").format(
                                node=platform.node(), theirs=theirs, ours=ours))


def _parcel_of(students: list[batch.Student], items) -> list[tuple[str, str, dict | str]]:
    """The students' copies as data: the bytes of each item's file they submitted."""
    parcel = []
    for student in students:
        if isinstance(student.copy, batch.SubmissionProblem):
            parcel.append((student.name, student.entry, str(student.copy)))
            continue
        files = {item.file_name: (student.copy / item.file_name).read_bytes() for item in items
                 if (student.copy / item.file_name).is_file()}
        parcel.append((student.name, student.entry, files))
    return parcel


def per_task_for(students: int, threads: int) -> int:
    """Students per task when the instructor does not say: about two tasks per worker thread, so that the work
    balances and a lost node costs little, in as few judges as that allows: a judge costs about 3 s of CPU to
    start, which a light item's student (a tenth of a second) would otherwise pay alone (benchmarks/bench_check.py:
    one student per task made 100 students of 1.2 cost 18x the local batch)."""
    return max(1, math.ceil(students / (2 * max(1, threads))))


def grade(manifest: Manifest, items, copies: list[batch.Student], address: str, per_task: int | None = None,
          progress=None) -> dict[str, dict[str, ItemResult]]:
    """Grade the students' copies on the cluster at `address`; their results by name and item id."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise batch.ClusterProblem(_("Grading on a cluster needs Dask distributed: {command}").format(
            command='python -m pip install -e ".[cluster]"')) from None
    try:
        client = Client(address, timeout=30)
    except OSError as error:
        raise batch.ClusterProblem(_("No Dask scheduler answers at {address} ({error}).").format(
            address=address, error=error)) from None
    try:
        kit, lang, item_ids = fingerprint(manifest.root), i18n.current(), [item.id for item in items]
        try:  # every node there now holds this kit (each task checks again, for nodes that join later)
            for theirs in client.run(node_kit).values():
                _check_kit(kit, theirs)
        except KitMismatch as mismatch:
            raise batch.ClusterProblem(str(mismatch)) from None
        except Exception as error:  # the node's ptgrade is missing or broken
            raise batch.ClusterProblem(_("A node of the cluster could not say which kit it holds ({error}): "
                                         "install the kit on every node, then grade again.").format(
                                             error=error)) from None
        threads = sum(client.nthreads().values())
        size = per_task or per_task_for(len(copies), threads)
        parcels = [copies[i:i + size] for i in range(0, len(copies), size)]
        batch_id = uuid.uuid4().hex[:12]
        window = max(2, 4 * threads)  # parcels in flight: the rest wait here, their bytes unread
        pending = iter(enumerate(parcels))
        futures, running = {}, as_completed()

        def submit_next() -> None:
            for index, parcel in pending:
                future = client.submit(grade_parcel, kit, item_ids, lang, _parcel_of(parcel, items), pure=False,
                                       key=f"ptgrade-{batch_id}-{index}")
                futures[future] = parcel
                running.add(future)
                return

        for _unused in range(window):
            submit_next()
        grades: dict[str, dict[str, ItemResult]] = {student.name: {} for student in copies}
        for future in running:
            parcel = futures.pop(future)
            try:
                data = future.result()
            except KitMismatch as mismatch:
                client.cancel(list(futures))
                raise batch.ClusterProblem(str(mismatch)) from None
            except Exception as error:  # lost more often than allowed (KilledWorker), or the kit failed there
                data = _kit_failed(parcel, items, error)
            future.release()  # its result is here: a node lost later has nothing of it to grade again
            for name, by_item in data.items():
                for item_id, result in by_item.items():
                    grades[name][item_id] = ItemResult.from_json(result)
                    if progress:
                        progress.finished(name, item_id)
            submit_next()
        return grades
    finally:
        client.close()


def _kit_failed(parcel: list[batch.Student], items, error: Exception) -> dict:
    """The results of a parcel the cluster could not grade: the kit's problem, never the students'."""
    problem = _("The cluster could not grade this submission ({error}). This is a problem with the kit or the "
                "cluster, not your code; grade it again.").format(error=type(error).__name__)
    return {student.name: {item.id: ItemResult(id=item.id, title=item.title, problem=problem, kit_fault=True).to_json()
                           for item in items} for student in parcel}
