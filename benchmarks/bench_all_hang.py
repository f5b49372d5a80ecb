"""What a submission whose every function hangs costs: `ptgrade check SECTION --source FOLDER` where FOLDER holds
the section's stubs with each `raise NotImplementedError(...)` replaced by `while True: pass`. Each check's limit
derives from the reference's recorded time (graders/check_seconds.json, course/limits.py), a function that timed
out is not waited for again, and restarts fork a warm zygote. Target (issue 29): a whole section under 2 minutes on
2 cores. Prints the seconds, and per item the outcomes (every check must be an error or a skip, none passed).
Run: python benchmarks/bench_all_hang.py [SECTION]"""
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def hanging(source: str) -> str:
    """The stub with every `raise NotImplementedError(...)` replaced by an infinite loop at the same indent."""
    lines = source.split("\n")
    raises = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Raise) and node.exc is not None
              and "NotImplementedError" in ast.unparse(node.exc)]
    for node in sorted(raises, key=lambda n: -n.lineno):
        indent = " " * node.col_offset
        lines[node.lineno - 1:node.end_lineno] = [f"{indent}while True:", f"{indent}    pass"]
    return "\n".join(lines)


if __name__ == "__main__":
    section = sys.argv[1] if len(sys.argv) > 1 else "1"
    with tempfile.TemporaryDirectory(prefix="ptgrade-all-hang-") as folder:
        for stub in sorted((ROOT / "exercises").glob(f"s{section}_*.py")):
            (Path(folder) / stub.name).write_text(hanging(stub.read_text(encoding="utf-8")), encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", section, "--source", folder, "--json"],
                              capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PTGRADE_LANG": "en"})
        seconds = time.perf_counter() - start
    for item in json.loads(done.stdout)["items"]:
        print(item["id"], item["score"], dict(Counter(c["outcome"] for c in item["checks"])))
    print(json.dumps({"section": section, "all_hang_s": round(seconds, 1)}))
