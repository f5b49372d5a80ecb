"""What does ptgrade's isolation cost, and how fast is the learner's loop? Measured in one run on one
machine, as seconds and as ratios to the floor:

- floor:        one plain Python process runs the item's checks with pytest against the reference
                imported directly (torch, pytest, the grader, the checks, their fixtures): no judge,
                no worker, no sandbox. What grading would cost if the student's code were trusted.
- check:        `ptgrade check <item> --source solutions`, cold (CLI, judge, sandboxed worker), for one
                light item and one heavy item.
- warm:         the re-grade `ptgrade watch` does after a save: a standby judge already loaded grades the
                file (runner.Standby), from release to result.
- no namespaces: the cold check with PTGRADE_NO_BWRAP=1, to show what bubblewrap itself costs.
- nbgrader:     `nbgrader autograde` of one notebook holding the reference, from the course
                `ptgrade nbgrader build` writes (the same checks as autograded test cells).
- notebook:     the check cell (`%ptgrade check <item>`) of the item's self-study notebook with the reference
                pasted in, in a kernel that has run the cells above it: the kernel's cells handed to a fresh
                process that grades them with the judge. Also shown as a ratio to the cold check (target 1.3x).
- verify_all:   `ptgrade verify` of every built item (solutions, stubs, mutants; one judge per item), once.
- batch100:     `ptgrade grade` of 100 submissions of the light item (one judge per core, each student a fresh
                fork of a warm sandboxed zygote), once.
- cluster:      the same 100 with `--cluster ADDRESS` on a local Dask cluster (`.[cluster]`) of 1 and of 2 worker
                processes ("nodes") of one thread each, started before the clock as a cluster is up before the
                instructor grades: students in parcels, about two tasks per thread (cluster1_s, cluster2_s), and
                one student per task (cluster2_per_student_s); as ratios to batch100, and each also as CPU seconds (of
                every process it started, cluster included: what N machines would share).

Each of the first six is run --repeat times and the median reported. The last line is one JSON object
of seconds (floor_s, floor_heavy_s, check_s, check_heavy_s, warm_s, no_namespaces_s, notebook_s, nbgrader_s,
verify_all_s, batch100_s, cluster1_s, cluster2_s, cluster2_per_student_s); a part left out with --quick (or
--batch) is null.

Run: python benchmarks/bench_check.py            (everything; about an hour on 2 cores)
     python benchmarks/bench_check.py --quick    (floor, cold checks and the warm re-grade)
     python benchmarks/bench_check.py --batch    (only batch100 and the cluster rows)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = """
import importlib.util, sys
sys.path.insert(0, {root!r})
import pytest, torch
spec = importlib.util.spec_from_file_location({module!r}, {solution!r})
solution = importlib.util.module_from_spec(spec); spec.loader.exec_module(solution)

import functools, types

def _as_student(function):  # what the student's code raises carries .ptgrade, as the worker's errors do
    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:
            error.ptgrade = {{"type": type(error).__name__,
                             "mro": [f"{{c.__module__}}.{{c.__qualname__}}" for c in type(error).__mro__]}}
            raise
    return call

impl = types.SimpleNamespace(**{{name: _as_student(value) if isinstance(value, types.FunctionType) else value
                                for name, value in vars(solution).items()}})

class Floor:  # the fixtures ptgrade's plugin gives, without a worker: the reference itself
    @pytest.fixture(scope="module")
    def impl(self):
        return impl

    @pytest.fixture
    def device(self):
        return torch.device("cpu")

    @pytest.fixture(scope="session")
    def run_seed(self):
        return 1

    @pytest.fixture
    def student_path(self, tmp_path):
        return tmp_path

    @pytest.fixture(scope="session")
    def student_path_factory(self, tmp_path_factory):
        return tmp_path_factory

    @pytest.fixture(scope="module")
    def clean_impl(self, impl):
        return impl

sys.exit(pytest.main([{grader!r}, "-q", "-p", "no:cacheprovider", "-c", "/dev/null", "--rootdir", {root!r},
                      "-m", "not gpu", "-W", "ignore"], plugins=[Floor()]))
"""


def timed(command: list[str], env: dict | None = None, cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def warm_regrade(item_id: str) -> float:
    """Start a standby judge, let it load (as it does while the learner edits), time the re-grade."""
    from ptgrade.course import manifest as manifest_module
    from ptgrade.host import runner
    manifest = manifest_module.load(ROOT)
    item = manifest.item(item_id)
    standby = runner.Standby(manifest, item, manifest.solutions_dir / item.file_name)
    time.sleep(20)  # an edit takes longer than loading Python, torch, pytest and the grader
    start = time.perf_counter()
    result = standby.grade()
    elapsed = time.perf_counter() - start
    if not result.passed:
        raise SystemExit(f"the warm re-grade of {item_id} did not pass: {result.problem or result.status}")
    return elapsed


def nbgrader_autograde(item_id: str, module: str, scratch: Path) -> list[str]:
    """Prepare an nbgrader course with one reference submission; return the autograde command."""
    import nbformat
    course = scratch / "course"
    env = {**os.environ, "HOME": str(scratch), "JUPYTER_CONFIG_DIR": str(scratch / "jupyter"),
           "JUPYTER_DATA_DIR": str(scratch / "jupyter-data"), "IPYTHONDIR": str(scratch / "ipython")}
    os.environ.update(env)
    nb = [sys.executable, "-m", "nbgrader"]
    where = f"--CourseDirectory.root={course}"
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "nbgrader", "build", str(course), "--items", item_id],
                   check=True, capture_output=True)
    subprocess.run([*nb, "generate_assignment", module, "--force", where], check=True, capture_output=True)
    source = nbformat.read(str(course / "source" / module / f"{module}.ipynb"), as_version=4)
    release = nbformat.read(str(course / "release" / module / f"{module}.ipynb"), as_version=4)
    reference = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in release.cells:
        cell.source = reference.get(cell.metadata.get("nbgrader", {}).get("grade_id"), cell.source)
    (course / "submitted" / "student" / module).mkdir(parents=True)
    nbformat.write(nbformat.from_dict(json.loads(json.dumps(release))),
                   str(course / "submitted" / "student" / module / f"{module}.ipynb"))
    subprocess.run([*nb, "db", "student", "add", "student", where], check=True, capture_output=True)
    return [*nb, "autograde", module, "--force", where]


def notebook_check(item, manifest, env: dict) -> float:
    """Seconds of the check cell of `item`'s self-study notebook (the reference in one cell instead of the task
    cells), in a kernel that has already run every cell above it."""
    import nbformat
    from nbclient import NotebookClient

    from ptgrade.integrations import selfstudy
    nb = selfstudy.item_notebook(manifest, item)
    nb.cells = [cell for cell in nb.cells if "task" not in cell.metadata.get("ptgrade", {})]
    solution = (manifest.solutions_dir / item.file_name).read_text(encoding="utf-8")
    nb.cells.insert(2, nbformat.v4.new_code_cell(solution.split('if __name__ == "__main__"')[0]))
    before = dict(os.environ)
    os.environ.update(env)  # the kernel inherits it
    try:
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                start = time.perf_counter()
                client.execute_cell(cell, index)
                if "check" in cell.metadata.get("ptgrade", {}):
                    return time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(before)
    raise RuntimeError("the notebook has no check cell")


def batch_of(count: int, item, manifest, scratch: Path) -> list[str]:
    """`count` student folders holding the reference of `item`; the `ptgrade grade` command for them."""
    folder = scratch / "submissions"
    for n in range(count):
        (folder / f"student{n:03d}").mkdir(parents=True)
        shutil.copyfile(manifest.solutions_dir / item.file_name, folder / f"student{n:03d}" / item.file_name)
    return [sys.executable, str(ROOT / "cli.py"), "grade", str(folder), "--items", item.id, "--jobs", "2",
            "--out", str(scratch / "grades.csv")]


def adopt_orphans() -> None:
    """Make this process the reaper of what its children leave behind (a judge's sandboxed processes, DDP ranks), so
    that `children_cpu` counts them too: without it a whole course's check counted 71 of its 247 CPU seconds."""
    if sys.platform == "linux":
        import ctypes
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def children_cpu() -> float:
    """CPU seconds of every finished process this one started, and of theirs (judges, workers, cluster nodes),
    once the orphans among them have ended (until none has for 3 s: the cluster's resource tracker never does)."""
    import resource
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 3:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                time.sleep(0.2)
            else:
                quiet_since = time.monotonic()
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def on_local_cluster(nodes: int, command: list[str], env: dict) -> float:
    """`command --cluster ADDRESS` on a local Dask cluster of `nodes` worker processes with one thread each."""
    from distributed import LocalCluster
    with LocalCluster(n_workers=nodes, threads_per_worker=1, processes=True, dashboard_address=None) as dask:
        return timed([*command, "--cluster", dask.scheduler_address], env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--light", default="1.2", help="the light item (floor, checks, warm, nbgrader, batch)")
    parser.add_argument("--heavy", default="2.4", help="the heavy item (a cold check)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="leave out nbgrader, verify of everything, batch100 and the cluster")
    parser.add_argument("--batch", action="store_true", help="only batch100 and the cluster rows")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from ptgrade.course import manifest as manifest_module
    manifest = manifest_module.load(ROOT)
    light, heavy = manifest.item(args.light), manifest.item(args.heavy)
    env = {**os.environ, "PTGRADE_STATE": "/tmp/ptgrade-bench-state.json", "HF_HUB_OFFLINE": "1"}
    check = [sys.executable, str(ROOT / "cli.py"), "check"]
    def floor_of(item):
        return [sys.executable, "-c", FLOOR.format(root=str(ROOT), module=item.module_name,
                                                   grader=str(manifest.grader_path(item)),
                                                   solution=str(manifest.solutions_dir / item.file_name))]
    floor = floor_of(light)
    runs = {"floor_s": lambda: timed(floor, env),
            "floor_heavy_s": lambda: timed(floor_of(heavy), env),
            "check_s": lambda: timed([*check, light.id, "--source", "solutions"], env),
            "check_heavy_s": lambda: timed([*check, heavy.id, "--source", "solutions"], env),
            "warm_s": lambda: warm_regrade(light.id),
            "no_namespaces_s": lambda: timed([*check, light.id, "--source", "solutions"],
                                             {**env, "PTGRADE_NO_BWRAP": "1"}),
            "notebook_s": lambda: notebook_check(light, manifest, env)}
    scratch = Path(tempfile.mkdtemp(prefix="ptgrade-bench-"))
    if args.batch:
        runs = {}
    elif not args.quick:
        autograde = nbgrader_autograde(light.id, light.module_name, scratch)
        runs["nbgrader_s"] = lambda: timed(autograde)
    timed(floor, env)  # warm the OS file cache
    seconds: dict[str, float | None] = {name: None for name in (*runs, "floor_s", "floor_heavy_s", "check_s",
                                                                 "check_heavy_s", "warm_s", "no_namespaces_s",
                                                                 "notebook_s", "nbgrader_s")}
    seconds.update({name: statistics.median(run() for _ in range(args.repeat)) for name, run in runs.items()})
    grade100 = batch_of(100, light, manifest, scratch)
    once = {"verify_all_s": lambda: timed([sys.executable, str(ROOT / "cli.py"), "verify"], env),
            "batch100_s": lambda: timed(grade100, env),
            "cluster1_s": lambda: on_local_cluster(1, grade100, env),
            "cluster2_s": lambda: on_local_cluster(2, grade100, env),
            "cluster2_per_student_s": lambda: on_local_cluster(2, [*grade100, "--per-task", "1"], env)}
    cpu: dict[str, float] = {}  # the CPU seconds of the batch and cluster rows: what N machines share
    adopt_orphans()
    for name, run in once.items():
        skip = args.quick or (args.batch and name == "verify_all_s")
        before = children_cpu()
        seconds[name] = None if skip else run()
        if not skip and name != "verify_all_s":
            cpu[name.removesuffix("_s") + "_cpu_s"] = children_cpu() - before
        print(f"{name}: {seconds[name]}", file=sys.stderr, flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    base = {name: seconds["floor_heavy_s"] if name.endswith("heavy_s") else seconds["floor_s"] for name in seconds}
    base.update({name: seconds["batch100_s"] for name in seconds if name.startswith("cluster")})
    print(f"light item {light.id}, heavy item {heavy.id}, median of {args.repeat} runs, {os.cpu_count()} CPUs")
    labels = {"floor_s": f"floor {light.id} (plain pytest)", "floor_heavy_s": f"floor {heavy.id} (plain pytest)",
              "check_s": f"check {light.id}, cold",
              "check_heavy_s": f"check {heavy.id}, cold", "warm_s": f"re-grade {light.id}, warm",
              "no_namespaces_s": f"check {light.id}, no namespaces", "notebook_s": f"notebook check {light.id}",
              "nbgrader_s": "nbgrader autograde",
              "verify_all_s": "verify, every item", "batch100_s": f"grade 100 x {light.id}",
              "cluster1_s": f"grade 100 x {light.id}, 1 node", "cluster2_s": f"grade 100 x {light.id}, 2 nodes",
              "cluster2_per_student_s": "the same, 1 student a task"}
    for name, label in labels.items():
        if seconds[name] is None:
            continue
        ratio = "" if not base[name] else f"   {seconds[name] / base[name]:6.2f}x " + (
            "the local batch" if name.startswith("cluster") else "its floor")
        print(f"  {label:<28} {seconds[name]:8.2f} s{ratio}"
              + (f"   {seconds[name] / seconds['check_s']:.2f}x a cold check" if name == "notebook_s" else ""))
    for name, value in cpu.items():
        print(f"  {labels[name.removesuffix('_cpu_s') + '_s']:<28} {value:8.2f} CPU s")
    print(json.dumps({name: (round(value, 3) if value is not None else None)
                      for name, value in {**seconds, **cpu}.items()}))


if __name__ == "__main__":
    main()
