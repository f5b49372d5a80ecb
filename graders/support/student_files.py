"""Reading, in the judge, what the student's code wrote: the only way a grader opens such a file.

The student's process writes into `student_path` (a folder the judge made for this check) and can plant
anything there: a link to a host file the judge's user may read, a FIFO that blocks a reader, a file of
gigabytes, a checkpoint whose records inflate. So a file is read only if it lies inside that folder
(checked component by component, never following a link), is a regular file and is within a size limit;
parsers that need a path get a private copy the student's process cannot see. Any other case is a
failed check that names the file: the judge never reports what a link pointed at.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from graders.support.assertions import check, say
from ptgrade.judge import plugin
from ptgrade.protocol import wire

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FOLDER_BYTES = 256 * 1024 * 1024
MAX_FOLDER_FILES = 1000


def _relative(path: Path, within: Path) -> list[str]:
    parts = Path(os.path.normpath(path)).relative_to(os.path.normpath(within)).parts
    check(bool(parts) and ".." not in parts, say(f"{path} is not inside {within}.", f"{path} 경로가 {within} 안에 있지 않습니다."))
    return list(parts)


def _open_beneath(path: Path, within: Path, final_flags: int) -> int:
    """A descriptor for `path`, opened component by component from `within` without following any link."""
    try:
        parts = _relative(Path(path), Path(within))
    except ValueError:
        check(False, say(f"{path} is not inside {within}.", f"{path} 경로가 {within} 안에 있지 않습니다."))
    folder = os.open(within, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(parts[-1], final_flags | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    finally:
        os.close(folder)


def _not_regular(path: Path) -> str:
    name = Path(path).name
    return say(f"{name}, which your code should have written, is missing or is not a regular file (a link, a "
               f"folder or a pipe is not read).",
               f"코드가 써야 하는 {name} 파일이 없거나 일반 파일이 아닙니다(링크, 폴더, 파이프는 읽지 않습니다).")


def read_bytes(path: Path, within: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file `path` inside `within` (the check's `student_path`), at most `limit`."""
    try:
        fd = _open_beneath(path, within, os.O_RDONLY)
    except OSError:
        check(False, _not_regular(path))
    try:
        info = os.fstat(fd)
        check(stat.S_ISREG(info.st_mode), _not_regular(path))
        check(info.st_size <= limit, say(f"{Path(path).name} is {info.st_size} bytes, more than the {limit} the grader reads.",
                                         f"{Path(path).name} 파일은 {info.st_size}바이트로, 채점기가 읽는 최대 크기인 {limit}바이트보다 큽니다."))
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            check(size <= limit, say(f"{Path(path).name} grew past {limit} bytes while being read.",
                                     f"{Path(path).name} 파일을 읽는 동안 파일 크기가 {limit}바이트를 넘었습니다."))
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path, within: Path, limit: int = MAX_FILE_BYTES) -> str:
    return read_bytes(path, within, limit).decode("utf-8", "replace")


def exists(path: Path, within: Path) -> bool:
    """`path` is a regular file inside `within` (a link or anything else is not)."""
    try:
        fd = _open_beneath(path, within, os.O_RDONLY)
    except (OSError, AssertionError):
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode)
    finally:
        os.close(fd)


def listing(folder: Path, within: Path) -> list[str]:
    """Names in `folder` (inside `within`, or `within` itself), without following links; links are listed."""
    if os.path.normpath(folder) == os.path.normpath(within):
        fd = os.open(within, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    else:
        try:
            fd = _open_beneath(folder, within, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return []
    try:
        return sorted(os.listdir(fd))[:MAX_FOLDER_FILES]
    finally:
        os.close(fd)


def load_tensors(path: Path, within: Path, limit: int = MAX_FILE_BYTES):
    """A checkpoint the student's code saved, read as `torch.load(weights_only=True)` would, and only if its
    records are stored (not inflated) and what it describes is bounded (ptgrade/protocol/wire.py)."""
    payload = read_bytes(path, within, limit)
    try:
        return wire.load(payload)
    except wire.WireError as error:
        check(False, say(f"{Path(path).name} cannot be read as a torch.save checkpoint ({error}).",
                         f"{Path(path).name} 파일을 torch.save 체크포인트로 읽을 수 없습니다({error})."))


def private_copy(path: Path, within: Path, limit: int = MAX_FOLDER_BYTES) -> Path:
    """A copy of the file or folder `path` (regular files only, links left out) in a folder of the judge's own
    that the student's process cannot see, for parsers that take a path (onnxruntime, from_pretrained)."""
    target = plugin.private_dir()
    root = Path(os.path.normpath(path))
    try:
        fd = _open_beneath(root, within, os.O_RDONLY)
    except OSError:
        check(False, _not_regular(root))
    try:
        is_folder = stat.S_ISDIR(os.fstat(fd).st_mode)
    finally:
        os.close(fd)
    if not is_folder:
        (target / root.name).write_bytes(read_bytes(root, within, limit))
        return target / root.name
    total, count, pending = 0, 0, [Path()]
    while pending:
        relative = pending.pop()
        (target / root.name / relative).mkdir(parents=True, exist_ok=True)
        for name in listing(root / relative, within):
            child = root / relative / name
            if exists(child, within):
                data = read_bytes(child, within, limit - total)
                total, count = total + len(data), count + 1
                check(count <= MAX_FOLDER_FILES, say(f"{root.name} holds more than {MAX_FOLDER_FILES} files.",
                                                     f"{root.name} 폴더에 파일이 {MAX_FOLDER_FILES}개보다 많습니다."))
                (target / root.name / relative / name).write_bytes(data)
            elif listing(child, within) or _is_folder(child, within):
                pending.append(relative / name)
    return target / root.name


def _is_folder(path: Path, within: Path) -> bool:
    try:
        fd = _open_beneath(path, within, os.O_RDONLY | os.O_DIRECTORY)
    except (OSError, AssertionError):
        return False
    os.close(fd)
    return True
