"""`ptgrade watch`: grade an item each time its file is saved, and lead on when it is done.

The folder is watched, not the file: editors save by writing a new file and renaming it over the old
one, and a watch on the file itself goes blind after the first save. Keys (on a terminal): `n` the next
item once every check passes, `h` the next hint, `q` quits; without a terminal only saves drive it.
"""
from __future__ import annotations

import os
import queue
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from ptgrade import i18n
from ptgrade.i18n import _

SAVED, KEY = "saved", "key"


def _watch_folder(path: Path, events: queue.Queue, stop: threading.Event) -> None:
    from watchfiles import watch

    def is_the_file(_change, changed) -> bool:
        return Path(changed).name == path.name

    for _changes in watch(path.parent, stop_event=stop, watch_filter=is_the_file,
                          debounce=300):
        events.put((SAVED, None))


@contextmanager
def _keys(events: queue.Queue):
    """Single key presses, without Enter, while the terminal is ours; nothing when stdin is no terminal."""
    if not sys.stdin.isatty():
        yield
        return
    import termios
    import tty
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)

    def read():
        while True:
            try:
                key = os.read(fd, 1).decode("utf-8", "ignore").lower()
            except OSError:
                return
            events.put((KEY, key))

    threading.Thread(target=read, daemon=True).start()
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def next_item(manifest, item):
    """The built item after `item` in curriculum order, or None at the end."""
    built = [i for i in manifest.items if i.available]
    at = built.index(item)
    return built[at + 1] if at + 1 < len(built) else None


def run(manifest, item, path_of, grade, show_hint, say) -> None:
    """The loop: grade, then wait for a save or a key. `path_of(item)` is the file to watch,
    `grade(item)` grades it and returns its ItemResult, `show_hint(item)` prints the next hint."""
    events: queue.Queue = queue.Queue()
    with _keys(events):
        while item is not None:
            path = path_of(item)
            stop = threading.Event()
            threading.Thread(target=_watch_folder, args=(path, events, stop), daemon=True).start()
            result = grade(item)
            following = next_item(manifest, item)
            while True:
                if result.passed and following is not None:
                    say(_("Every check of {id} passes. Press n for {next} {title}, q to quit.").format(
                        id=item.id, next=following.id, title=following.title_in(i18n.current())))
                elif result.passed:
                    say(_("Every check of {id} passes, and it is the last item. Press q to quit.").format(id=item.id))
                else:
                    say(_("Watching {path}: save it to grade again; h for a hint, q to quit.").format(path=path))
                kind, key = events.get()
                if kind == SAVED:
                    while not events.empty() and events.queue[0][0] == SAVED:  # one grading per burst of saves
                        events.get()
                    result = grade(item)
                elif key == "h":
                    show_hint(item)
                elif key == "q":
                    item = None
                    break
                elif key == "n" and result.passed:
                    item = following
                    break
            stop.set()
