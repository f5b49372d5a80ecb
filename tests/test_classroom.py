"""Student release, batch grading and Gradescope's results.json."""
import ast
import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from ptgrade.course import manifest as manifest_module
from ptgrade.course import release
from ptgrade.host import runner
from ptgrade.instructor import batch
from ptgrade.integrations import gradescope

KIT_ROOT = Path(__file__).resolve().parent.parent

# Gradescope's documented results.json (autograder specifications: "Output format").
GRADESCOPE_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "score", "max_score"],
            "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
                "number": {"type": "string"}, "output": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
            },
            "additionalProperties": False,
        }},
    },
    "anyOf": [{"required": ["score"]}, {"required": ["tests"]}],
}


def _validate(data) -> None:
    import jsonschema  # here, not at collection: its format checkers take seconds to import
    jsonschema.validate(data, GRADESCOPE_SCHEMA)


def test_gradescope_results_follow_the_documented_schema(kit, tmp_path):
    solution = runner.grade(kit.manifest, kit.item, kit.root / "solutions" / "s1_1_demo.py")
    stub = runner.grade(kit.manifest, kit.item, kit.root / "exercises" / "s1_1_demo.py")
    for result, score in ((solution, 3.0), (stub, 0.0)):
        data = gradescope.results_json([result])
        _validate(data)
        assert data["score"] == score and len(data["tests"]) == 2  # the GPU check is not counted on a CPU
    done = kit.cli("check", "1.1", "--gradescope", str(tmp_path / "results.json"))
    _validate(json.loads((tmp_path / "results.json").read_text()))
    assert done.returncode == 1


def test_gradescope_bundle_has_its_scripts_and_no_solutions(tmp_path):
    manifest = manifest_module.load(KIT_ROOT)
    bundle = gradescope.build_bundle(manifest, tmp_path / "autograder.zip")
    names = zipfile.ZipFile(bundle).namelist()
    assert {"setup.sh", "run_autograder", "kit/cli.py", "kit/curriculum.toml"} <= set(names)
    assert not [n for n in names if n.startswith(("kit/solutions", "kit/tests"))]


def _bodies(path: Path) -> dict[str, str]:
    """Each function's body, whitespace-normalised and without its docstring, by qualified name."""
    source = path.read_text(encoding="utf-8")
    bodies = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    body = [ast.get_source_segment(source, stmt) for stmt in child.body
                            if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
                    # A one-statement body is an API call that docs and graders name too.
                    if len(body) >= 2:
                        bodies[name] = " ".join(" ".join(b.split()) for b in body if b)
                visit(child, name + ".")
    visit(ast.parse(source), "")
    return bodies


def _reference_bodies(manifest):
    """Bodies the student must write: in solutions/, and not given complete in the stub."""
    for path in sorted(manifest.solutions_dir.glob("s*.py")):
        stub = manifest.exercises_dir / path.name
        given = _bodies(stub) if stub.is_file() else {}
        for name, body in _bodies(path).items():
            if body and given.get(name) != body:
                yield path.name, name, body


def test_release_holds_no_solution_and_scores_zero(tmp_path):
    manifest = manifest_module.load(KIT_ROOT)
    out = release.write(manifest, tmp_path / "student")
    files = [p for p in out.rglob("*") if p.is_file()]
    assert not (out / "solutions").exists() and not (out / "tests").exists()
    texts = {p: " ".join(p.read_text(encoding="utf-8", errors="replace").split()) for p in files}
    leaks = [(f, name) for f, name, body in _reference_bodies(manifest)
             for p, text in texts.items() if body in text]
    assert not leaks, f"reference function bodies found in the release: {leaks[:5]}"
    # It builds as a package, and `ptgrade check --all` there runs and scores 0 on the stubs.
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "wheel"), str(out)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    env = {**os.environ, "PTGRADE_ROOT": str(out), "PTGRADE_STATE": str(tmp_path / "state.json"),
           "PYTHONPATH": str(out)}
    done = subprocess.run([sys.executable, str(out / "cli.py"), "check", "1.2", "--json"], capture_output=True,
                          text=True, env=env, cwd=out, timeout=600)
    (item,) = json.loads(done.stdout)["items"]
    assert item["score"] == 0 and {c["outcome"] for c in item["checks"]} <= {"not_started", "skipped"}


def test_batch_grading_isolates_students_and_writes_csv_and_feedback(quick_kit, tmp_path):
    submissions = tmp_path / "submissions"
    good = submissions / "alice"
    good.mkdir(parents=True)
    (good / "s1_1_demo.py").write_text((quick_kit.root / "solutions" / "s1_1_demo.py").read_text())
    hang = submissions / "bob"
    hang.mkdir()
    (hang / "s1_1_demo.py").write_text("import os\nos._exit(3)\n")
    with zipfile.ZipFile(submissions / "carol.zip", "w") as archive:
        archive.writestr("carol/s1_1_demo.py", "def double(x):\n    return x * 2\n\ndef square(x):\n    return x\n")
    (submissions / "dave").mkdir()  # submitted nothing
    out = tmp_path / "grades.csv"
    batch.run(quick_kit.manifest, submissions, out, jobs=2)
    rows = {row["student"]: row for row in csv.DictReader(out.open())}
    assert {name: rows[name]["total"] for name in rows} == {"alice": "3", "bob": "0", "carol": "2", "dave": "0"}
    feedback = json.loads((tmp_path / "grades-feedback" / "carol.json").read_text())
    assert feedback["items"][0]["checks"][1]["outcome"] == "failed"
    feedback = json.loads((tmp_path / "grades-feedback" / "dave.json").read_text())
    assert "no s1_1_demo.py submitted" in feedback["items"][0]["problem"]
