"""`ptgrade grade --cluster`: a local Dask cluster of two worker processes grades a class of item 1.2 exactly as
the local batch does, also when one worker process is killed mid-run (its students are graded again elsewhere)."""
from __future__ import annotations

import importlib.util
import os
import signal
import zipfile
from pathlib import Path

import pytest

from ptgrade.course import manifest as manifest_module
from ptgrade.instructor import batch

if importlib.util.find_spec("distributed") is None:  # found, not imported: the test imports it
    pytest.skip("Dask distributed is not installed (the .[cluster] extra)", allow_module_level=True)

KIT_ROOT = Path(__file__).resolve().parent.parent
ITEM = "1.2"


def _with_mutant(reference: str, mutant: Path) -> str:
    """A whole student file: the reference with the mutant's one mistake written over it."""
    own = "\n".join(line for line in mutant.read_text(encoding="utf-8").splitlines()
                    if not line.startswith("from solutions."))
    return reference + "\n\n" + own + "\n"


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> Path:
    """Eight students: two correct, two untouched stubs, three mutants (one in a zip), one who sent nothing."""
    manifest = manifest_module.load(KIT_ROOT)
    item = manifest.item(ITEM)
    folder = tmp_path_factory.mktemp("class")
    reference = (manifest.solutions_dir / item.file_name).read_text(encoding="utf-8")
    stub = (manifest.exercises_dir / item.file_name).read_text(encoding="utf-8")
    mutants = sorted((manifest.solutions_dir / "mutants" / item.module_name).glob("*.py"))[:3]
    files = {"ana": reference, "ben": reference, "cho": stub, "dan": stub,
             **{f"mut{n}": _with_mutant(reference, mutant) for n, mutant in enumerate(mutants)}}
    for name, text in files.items():
        if name == "mut2":
            with zipfile.ZipFile(folder / f"{name}.zip", "w") as archive:
                archive.writestr(f"{name}/{item.file_name}", text)
        else:
            (folder / name).mkdir()
            (folder / name / item.file_name).write_text(text, encoding="utf-8")
    (folder / "eve").mkdir()  # submitted nothing
    return folder


def _verdicts(grades: dict) -> dict:
    """Per student, per item: the problem, and per check the outcome and score (what must not depend on where)."""
    return {name: [(r.id, r.problem, r.kit_fault, [(c.name, c.outcome, c.score) for c in r.checks])
                   for r in results] for name, results in grades.items()}


def _grade_on(address: str, submissions: Path, out: Path, progress=None) -> dict:
    """`ptgrade grade --cluster ADDRESS --per-task 2`: four tasks, two at a time."""
    manifest = manifest_module.load(KIT_ROOT)
    return batch.run(manifest, submissions, out, items=[manifest.item(ITEM)], cluster=address, per_task=2,
                     progress=progress)


def test_a_two_worker_cluster_grades_as_the_local_batch_does_also_when_a_worker_is_killed(submissions, tmp_path):
    """One test (one local batch, one cluster) for both runs: CI pays the setup once."""
    manifest = manifest_module.load(KIT_ROOT)
    grades = batch.run(manifest, submissions, tmp_path / "local.csv", jobs=2, items=[manifest.item(ITEM)])
    verdicts = _verdicts(grades)
    assert {outcome for _n, outcome, _s in verdicts["ana"][0][3]} <= {"passed", "skipped"}
    assert {outcome for _n, outcome, _s in verdicts["cho"][0][3]} <= {"not_started", "skipped"}
    assert any(outcome == "failed" for _n, outcome, _s in verdicts["mut0"][0][3])
    assert "no s1_2_tensors.py submitted" in verdicts["eve"][0][1]
    import distributed
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as dask, \
            distributed.Client(dask) as client:
        assert _verdicts(_grade_on(dask.scheduler_address, submissions, tmp_path / "cluster.csv")) == verdicts
        # the CSV is written once, by the caller, the same
        assert (tmp_path / "cluster.csv").read_text() == (tmp_path / "local.csv").read_text()

        pids = client.run(os.getpid)
        killed = []

        class KillOnFirstResult(batch.Progress):
            def finished(self, student, item_id):
                if killed:
                    return
                busy = [address for address, keys in client.processing().items() if keys and address in pids]
                if busy:  # a worker in the middle of a parcel: it dies with its judge, the parcel goes elsewhere
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    killed.append(busy[0])

        after_kill = _grade_on(dask.scheduler_address, submissions, tmp_path / "killed.csv", KillOnFirstResult())
        assert killed, "no worker was busy after the first result"
        assert _verdicts(after_kill) == verdicts
