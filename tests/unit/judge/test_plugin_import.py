"""The judge's plugin imports no torch when pytest loads it: the first worker starts before the judge imports torch,
so the two imports overlap on two cores (a cold `ptgrade check` costs about its floor because of it). A module-level
import of torch anywhere under the plugin would lose that silently."""
import subprocess
import sys


def test_loading_the_plugin_imports_no_torch():
    probe = "import sys, ptgrade.judge.plugin; print(sorted(m for m in ('torch', 'numpy') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
