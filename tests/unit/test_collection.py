"""Collecting the kit's tests stays light: every xdist worker imports every test module before its first test, so a
library imported at a test module's top is paid once per worker in every run, the quick one included (nbformat
brings jsonschema, the CIFAR-10 dataset class torchvision and sympy: about 1.5 s each). Tests import them where they
run."""
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
HEAVY = ("nbformat", "jsonschema", "nbgrader", "torchvision", "transformers", "lightning", "onnxruntime", "sklearn",
         "diffusers", "matplotlib", "sympy")

PROBE = """
import importlib, pathlib, sys
sys.path[:0] = [sys.argv[1], str(pathlib.Path(sys.argv[1]).parent)]
import conftest
for path in sorted(pathlib.Path(sys.argv[1]).glob("test_*.py")):
    importlib.import_module(path.stem)
print(" ".join(name for name in sys.argv[2:] if name in sys.modules))
"""


def test_importing_every_test_module_loads_no_heavy_library():
    done = subprocess.run([sys.executable, "-c", PROBE, str(TESTS), *HEAVY], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [], f"imported at collection: {done.stdout.strip()}"
