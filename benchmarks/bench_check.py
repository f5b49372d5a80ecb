"""How much does ptgrade's isolation cost? Times, in one run on one machine:

- floor:   the same checks of an item, called in one plain Python process (import torch, import the
           grader module and the solution, call each check function) — no pytest, no child process;
- ptgrade: `ptgrade check <item> --source solutions` (CLI, the judge's pytest process, the sandboxed
           worker that runs the solution and answers with data);
- ptgrade without namespaces: the same with PTGRADE_NO_BWRAP=1, to show what bubblewrap costs;
- nbgrader (with --nbgrader): `nbgrader autograde` of one notebook holding the reference code, from the
  course `ptgrade nbgrader build` writes (the same checks, as autograded test cells).

Each is run --repeat times and the median reported, with the ratio to the floor.
Run: python benchmarks/bench_check.py 1.2 --repeat 5 --nbgrader
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = """
import inspect, sys, importlib.util, random
sys.path.insert(0, {root!r})
import torch, numpy
import graders.{grader} as grader
spec = importlib.util.spec_from_file_location("impl", {solution!r})
impl = importlib.util.module_from_spec(spec); spec.loader.exec_module(impl)
for name, check in vars(grader).items():
    if name.startswith("test_") and callable(check):
        if any(m.name == "gpu" for m in getattr(check, "pytestmark", [])) and not torch.cuda.is_available():
            continue
        random.seed(0); numpy.random.seed(0); torch.manual_seed(0)
        params = inspect.signature(check).parameters
        kwargs = {{"impl": impl}}
        if "device" in params: kwargs["device"] = torch.device("cpu")
        check(**{{k: v for k, v in kwargs.items() if k in params}})
"""


def timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def nbgrader_autograde(item_id: str, module: str, scratch: Path) -> list[str]:
    """Prepare an nbgrader course with one reference submission; return the autograde command."""
    import json

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("item", nargs="?", default="1.2")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--nbgrader", action="store_true", help="also time nbgrader autograde")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from ptgrade import manifest as manifest_module
    manifest = manifest_module.load(ROOT)
    item = manifest.item(args.item)
    floor_script = FLOOR.format(root=str(ROOT), grader=item.grader_name[:-3],
                                solution=str(manifest.solutions_dir / item.file_name))
    env = {**os.environ, "PTGRADE_STATE": "/tmp/ptgrade-bench-state.json"}
    runs = {
        "floor (plain Python)": [sys.executable, "-c", floor_script],
        "ptgrade check": [sys.executable, str(ROOT / "cli.py"), "check", args.item, "--source", "solutions"],
        "ptgrade, no namespaces": [sys.executable, str(ROOT / "cli.py"), "check", args.item, "--source", "solutions"],
    }
    envs = {"ptgrade, no namespaces": {**env, "PTGRADE_NO_BWRAP": "1"}}
    if args.nbgrader:
        import tempfile
        runs["nbgrader autograde"] = nbgrader_autograde(args.item, item.module_name, Path(tempfile.mkdtemp()))
    timed(runs["floor (plain Python)"])  # warm the OS file cache for both
    medians = {}
    for name, command in runs.items():
        samples = [timed(command, envs.get(name, env)) for _ in range(args.repeat)]
        medians[name] = statistics.median(samples)
    floor = medians["floor (plain Python)"]
    print(f"item {args.item}, median of {args.repeat} runs, {os.cpu_count()} CPUs")
    for name, seconds in medians.items():
        print(f"  {name:<22} {seconds:6.2f} s   {seconds / floor:5.2f}x the floor")


if __name__ == "__main__":
    main()
