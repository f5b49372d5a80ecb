"""What an nbgrader test cell calls: one check of an item's grader, run in this process (the
notebook's kernel) on the notebook's own namespace.

    from ptgrade.notebook import run_check
    run_check("1.2", "test_flatten_last_two_handles_any_layout", globals())

nbgrader gives a test cell its points when it raises nothing, so `run_check` returns quietly when
the check passes and raises AssertionError with the student-facing message otherwise. The same
in-process pytest run, with `--collect-only`, lists an item's checks for `ptgrade nbgrader build`.
"""
from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

from ptgrade import loader, plugin, runner
from ptgrade import manifest as manifest_module
from ptgrade.manifest import Item, Manifest

OUTCOME_WORDS = {"failed": "failed", "not_started": "not started", "error": "error",
                 "skipped": "skipped (no points where it cannot run)"}


class _Session:
    """A pytest plugin for one in-process run: hands the kit's plugin an implementation that is
    already loaded, and keeps the collected checks and each check's (outcome, message)."""

    def __init__(self, implementation: loader.Implementation | None = None):
        self.implementation = implementation
        self.specs: list[dict] = []
        self.results: dict[str, tuple[str, str]] = {}

    def pytest_sessionstart(self, session):
        if self.implementation is not None:
            grading = session.config.pluginmanager.get_plugin("ptgrade-grading")
            grading.implementations[self.implementation._ptgrade_path] = self.implementation

    def pytest_collection_modifyitems(self, items):
        self.specs = [plugin.check_spec(item) for item in items if plugin.is_check(item)]

    def pytest_runtest_logreport(self, report):
        if hasattr(report, "ptgrade"):
            self.results[report.nodeid.rsplit("::", 1)[-1]] = report.ptgrade


@contextlib.contextmanager
def _no_plugin_autoload():
    # As in the runner's child: only the kit's plugins, none that happen to be installed.
    before = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = before


def _pytest(manifest: Manifest, item: Item, targets: list[str], impl_path: Path, session: _Session,
            *extra: str) -> tuple[int, str]:
    """Run pytest in this process with the runner's settings; (exit code, what it printed)."""
    args = [*targets, "-c", str(runner.INI), "--rootdir", str(manifest.root), "--noconftest",
            "-p", "ptgrade.plugin", "-p", "pytest_timeout", "-p", "no:cacheprovider",
            # faulthandler wants a real stderr; unraisableexception's gc.collect() costs ~0.5 s a run
            "-p", "no:faulthandler", "-p", "no:unraisableexception", "-q", "--no-header", "--capture=sys",
            "-o", f"timeout={item.timeout}", "--ptgrade-impl", str(impl_path), *extra]
    output = io.StringIO()
    with _no_plugin_autoload(), contextlib.redirect_stdout(output):
        code = pytest.main(args, plugins=[session])
    return int(code), output.getvalue()


def collect(manifest: Manifest, item: Item) -> list[dict]:
    """The item's checks (name, dimension, max_score, gpu), in grader order, found by pytest's
    collection; no solution is imported (the graded file is the stub)."""
    session = _Session()
    code, output = _pytest(manifest, item, [str(manifest.grader_path(item))],
                           manifest.exercises_dir / item.file_name, session, "--collect-only")
    if not session.specs:
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise RuntimeError(f"Collecting the checks of {item.id} found none (pytest exit code {code}):\n{tail}")
    return session.specs


def run_check(item_id: str, check: str, namespace: dict) -> None:
    """Grade `namespace` (a notebook's `globals()`) with one check of item `item_id`'s grader;
    raise AssertionError with the check's message unless it passes."""
    manifest = manifest_module.load()
    item = manifest.item(item_id)
    path = (Path.cwd() / f"{item.module_name}.ipynb").resolve()  # how messages name the notebook
    session = _Session(loader.from_namespace(namespace, path))
    code, output = _pytest(manifest, item, [f"{manifest.grader_path(item)}::{check}"], path, session)
    if check not in session.results:
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise RuntimeError(f"The check {check} of item {item.id} did not run (pytest exit code {code}); "
                           f"this is a problem with the kit, not your code. Its output ends:\n{tail}")
    outcome, message = session.results[check]
    if outcome != "passed":
        raise AssertionError(f"{check}: {OUTCOME_WORDS.get(outcome, outcome)}: {message}") from None
