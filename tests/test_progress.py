"""The learner's loop around the checks: progress per source folder with the best score (the Progress object
itself: tests/unit/course/test_progress.py), a damaged progress file set aside (never fatal), `reset` that keeps
the learner's file, `watch` that survives editors saving by rename and re-grades on every save."""
import os
import subprocess
import sys
import time

from conftest import KIT_ROOT, SOLUTION


def test_a_damaged_progress_file_is_kept_aside_and_said_once(kit):
    state = kit.root / "state.json"
    state.write_text("{not json")
    done = kit.cli("list")
    assert done.returncode == 0 and "could not be read" in done.stderr and "Traceback" not in done.stderr
    assert (kit.root / "state.json.damaged").read_text() == "{not json"
    assert kit.cli("list").stderr == ""


def test_check_with_a_source_folder_is_recorded_against_that_folder(kit):
    folder = kit.submission(SOLUTION).parent
    assert kit.cli("check", "1.1", "--source", str(folder)).returncode == 0
    listed = kit.cli("list", "--source", str(folder))
    assert "done" in listed.stdout and "best 3 of 3" in listed.stdout
    assert "not checked" in kit.cli("list").stdout  # the stubs' own progress is untouched


def test_reset_asks_first_keeps_a_backup_and_restores_the_original(kit):
    from ptgrade.course import stubs
    stub = kit.root / "exercises" / "s1_1_demo.py"
    original = stub.read_bytes()
    (kit.root / stubs.ORIGINALS).mkdir(parents=True)
    (kit.root / stubs.ORIGINALS / stub.name).write_bytes(original)
    stub.write_text(SOLUTION)
    refused = kit.cli("reset", "1.1")  # no terminal to ask on: nothing changes
    assert refused.returncode == 2 and "--yes" in refused.stderr and stub.read_text() == SOLUTION
    done = kit.cli("reset", "1.1", "--yes")
    assert done.returncode == 0 and stub.read_bytes() == original
    (backup,) = (kit.root / stubs.BACKUPS).iterdir()
    assert backup.read_text() == SOLUTION


def test_reset_without_an_original_is_one_sentence(kit):
    done = kit.cli("reset", "1.1", "--yes")
    assert done.returncode == 2 and "not kept here" in done.stderr and "Traceback" not in done.stderr


def test_watch_regrades_after_an_editor_saves_by_rename(kit):
    env = {**os.environ, "PTGRADE_ROOT": str(kit.root), "PTGRADE_STATE": str(kit.root / "state.json")}
    watcher = subprocess.Popen([sys.executable, str(KIT_ROOT / "cli.py"), "watch", "1.1"], cwd=kit.root, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    try:
        def wait_for(text, seconds=240):
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                line = watcher.stdout.readline()
                seen.append(line)
                if text in line:
                    return
            raise AssertionError(f"{text!r} not seen in:\n{''.join(seen)}")

        wait_for("save it to grade again")  # the stub was graded once
        for _ in range(2):  # an editor's save: write a new file, rename it over the old one
            fresh = kit.root / "exercises" / ".s1_1_demo.py.swp"
            fresh.write_text(SOLUTION)
            os.replace(fresh, kit.root / "exercises" / "s1_1_demo.py")
            wait_for("3 / 3")  # graded again after each save
            wait_for("passes")
    finally:
        watcher.kill()
        watcher.wait()
