"""The judge's files and the student's, apart, for one judge session.

`tmp_path` and `tmp_path_factory` are the judge's: data a grader makes for the student's code, which its process
sees read-only. `student_path` and `student_path_factory` are folders the student's code writes into, which the
judge reads back only through graders/support/student_files.py (regular files, no links, bounded). Private folders
are the judge's alone. A new student gets new ones of each, and the folders the last one could write are emptied
without following a link.
"""
from __future__ import annotations

import itertools
import os
import re
import tempfile
from pathlib import Path

from ptgrade import sandbox


class JudgeFiles:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="ptgrade-tmp-"))
        os.chmod(self.root, 0o755)
        self.judge, self.student = self.root / "judge", self.root / "student"
        self.judge.mkdir(mode=0o755)
        self.student.mkdir(mode=0o777)
        os.chmod(self.student, 0o777)  # the worker may run as another user
        self._student_dirs, self._students, self._private = itertools.count(), itertools.count(1), itertools.count()

    def shared(self) -> sandbox.Shared:
        """What a worker sees of them: the judge's files read-only, the student's writable."""
        return sandbox.Shared(readable=(self.judge,), writable=(self.student,))

    def first_basetemp(self) -> Path:
        return self.judge / "0"

    def student_dir(self, name: str) -> Path:
        """A new folder the student's code may write into (a name never used before in this judge)."""
        folder = self.student / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)[:40]}-{next(self._student_dirs)}"
        folder.mkdir(mode=0o777)
        os.chmod(folder, 0o777)  # the worker may run as another user
        return folder

    def private_dir(self) -> Path:
        """A new folder of the judge's own, which no student's process sees."""
        base = self.root / "private"
        base.mkdir(mode=0o700, exist_ok=True)
        folder = base / str(next(self._private))
        folder.mkdir(mode=0o700)
        return folder

    def next_student(self, config) -> None:
        """Empty every folder the last student could write, and point pytest's temporary-path factory at a new
        folder, so nothing one student's code wrote or planted reaches another's grading or the judge's host."""
        sandbox.empty(self.student)
        factory = getattr(config, "_tmp_path_factory", None)  # pytest's private API: tests/unit/judge/
        if factory is not None:
            factory._basetemp = None
            factory._given_basetemp = self.judge / str(next(self._students))

    def remove(self) -> None:
        sandbox.remove(sandbox.Scratch(self.root))
