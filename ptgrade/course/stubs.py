"""The untouched stub of an item, to give a learner a fresh start (`ptgrade reset`).

A student edition (`ptgrade release`) keeps a copy of every stub it ships in .ptgrade/original/; in the
kit's own repository the stub is the committed one (`git show HEAD:<path>`). The learner's file is
copied to .ptgrade/backup/ before it is replaced, so a reset never loses work.
"""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from ptgrade.course.manifest import Item, Manifest
from ptgrade.i18n import _

ORIGINALS = Path(".ptgrade") / "original"
BACKUPS = Path(".ptgrade") / "backup"


class NoOriginal(Exception):
    """Where the untouched stub cannot be found; the message says so in one sentence."""


def original(manifest: Manifest, item: Item, stub: Path) -> bytes:
    kept = manifest.root / ORIGINALS / stub.name
    if kept.is_file():
        return kept.read_bytes()
    try:
        relative = stub.resolve().relative_to(manifest.root.resolve())
        done = subprocess.run(["git", "show", f"HEAD:{relative.as_posix()}"], cwd=manifest.root,
                              capture_output=True, timeout=30)
        if done.returncode == 0 and done.stdout:
            return done.stdout
    except (ValueError, OSError, subprocess.SubprocessError):
        pass
    raise NoOriginal(_("The untouched stub of {id} is not kept here (no {kept} and no git history); take "
                       "{file} from a fresh copy of the kit.").format(id=item.id, kept=ORIGINALS / stub.name,
                                                                       file=stub.name))


def restore(manifest: Manifest, item: Item, stub: Path) -> Path | None:
    """Put the untouched stub back in `stub`; return where the learner's file was kept (None if the file
    was already untouched or missing)."""
    fresh = original(manifest, item, stub)
    backup = None
    if stub.is_file():
        if stub.read_bytes() == fresh:
            return None
        backup = manifest.root / BACKUPS / f"{stub.stem}.{time.strftime('%Y%m%d-%H%M%S')}{stub.suffix}"
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(stub, backup)
    partial = stub.with_name(stub.name + ".partial")
    partial.write_bytes(fresh)
    partial.replace(stub)
    return backup


def keep_originals(edition: Path) -> None:
    """In a student edition: copy each stub it ships to .ptgrade/original/ (for `ptgrade reset`)."""
    folder = edition / ORIGINALS
    folder.mkdir(parents=True, exist_ok=True)
    for stub in (edition / "exercises").glob("s*.py"):
        shutil.copy2(stub, folder / stub.name)
