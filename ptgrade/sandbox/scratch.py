"""The worker's scratch folder: a read-only copy of what it may import, the file under test, the folders it
may write, and how they are emptied and removed (a link is removed, never followed)."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ptgrade.sandbox.machine import NOBODY, bwrap


@dataclass(frozen=True)
class Shared:
    """The judge's folders the student's process sees: `readable` (data graders make) and `writable` (where
    the student's code writes what the judge reads back)."""
    readable: tuple[Path, ...] = ()
    writable: tuple[Path, ...] = ()


@dataclass
class Scratch:
    """One grading run's private folder: the student's file, the kit's read-only copy, room to write."""
    root: Path

    @property
    def src(self) -> Path:       # the student's file (a copy: grading never touches the original)
        return self.root / "src"

    @property
    def kit(self) -> Path:       # ptgrade/ and graders/, read-only
        return self.root / "kit"

    @property
    def work(self) -> Path:      # the worker's current folder
        return self.root / "work"

    @property
    def tmp(self) -> Path:       # pytest's tmp_path for the judge, shared with the worker
        return self.root / "tmp"

    @property
    def home(self) -> Path:
        return self.root / "home"


# What the student's process may import of the kit: the protocol, the worker itself, the sandbox pieces it uses
# (dying with its parent), the items' data, the graders' observations and their support. Never a check, the judge,
# the host or a solution: what is not copied is not on the worker's disk.
WORKER_KIT = {"ptgrade": ("__init__.py", "i18n.py", "locale", "protocol", "worker", "sandbox", "items"),
              "graders": ("__init__.py", "observations", "support")}


def prepare(graders_dir: Path, impl_path: Path | None, reference: Path | None = None) -> Scratch:
    """A fresh scratch folder holding a copy of the file under test and a read-only copy of what the worker
    imports of the kit (WORKER_KIT: the observations and what they need, never a check). Only an
    instructor's mutant (`ptgrade verify`), which imports the rest of the reference, gets
    `reference` as `solutions/<name>.py` beside them; a student's run never does."""
    scratch = Scratch(Path(tempfile.mkdtemp(prefix="ptgrade-run-")))
    os.chmod(scratch.root, 0o755)
    for folder in (scratch.src, scratch.kit, scratch.work, scratch.tmp, scratch.home):
        folder.mkdir()
    for source, name in ((Path(__file__).resolve().parents[1], "ptgrade"), (graders_dir, "graders")):
        (scratch.kit / name).mkdir()
        for part in WORKER_KIT[name]:
            if (source / part).is_dir():
                shutil.copytree(source / part, scratch.kit / name / part,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif (source / part).is_file():
                shutil.copyfile(source / part, scratch.kit / name / part)
    if impl_path is not None and impl_path.is_file():  # a zygote's scratch gets its files one by one
        shutil.copyfile(impl_path, scratch.src / impl_path.name)
    if reference is not None:
        (scratch.kit / "solutions").mkdir()
        (scratch.kit / "solutions" / "__init__.py").write_text("")
        shutil.copyfile(reference, scratch.kit / "solutions" / reference.name)
    _read_only(scratch.kit)
    _read_only(scratch.src)
    if os.geteuid() == 0 and not bwrap():  # the worker runs as nobody: let it write where it may
        for folder in (scratch.work, scratch.tmp, scratch.home):
            os.chown(folder, NOBODY, NOBODY)
    return scratch


def refresh(scratch: Scratch, impl_path: Path) -> None:
    """Copy the file under test into the scratch again (a standby judge grades the file as saved now)."""
    os.chmod(scratch.src, 0o755)
    for old in scratch.src.iterdir():
        old.unlink()
    if impl_path.is_file():
        shutil.copyfile(impl_path, scratch.src / impl_path.name)
    _read_only(scratch.src)


def _read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    os.chmod(folder, 0o555)


def remove(scratch: Scratch) -> None:
    """Delete a scratch folder the worker may have filled with anything (read-only folders, links
    pointing at the kit: a link is removed, never followed)."""
    def writable(function, path, _info):
        parent = os.path.dirname(path)
        if not os.path.islink(parent):
            os.chmod(parent, 0o755)
        if os.path.islink(path):
            os.unlink(path)
            return
        os.chmod(path, 0o755)
        function(path)
    shutil.rmtree(scratch.root, onexc=writable) if sys.version_info >= (3, 12) else \
        shutil.rmtree(scratch.root, onerror=writable)


def empty(folder: Path) -> None:
    """Remove everything in `folder` (which the student's process could write), never following a link: an
    entry is a link or file (unlinked) or a real folder (removed by shutil.rmtree, which does not follow links
    inside it). Called once every process that could write there is dead."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            remove(Scratch(Path(entry.path)))
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


# -- what the machine allows ------------------------------------------------------------------------
