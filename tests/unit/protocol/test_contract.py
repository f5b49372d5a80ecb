"""ptgrade/protocol/contract.py: the judge's command line and environment, its channel, and `Events`, the
runner's reading of that channel."""
import json
import os
from pathlib import Path

import pytest

from ptgrade.protocol import contract

ROOT, GRADER, IMPL = Path("/kit"), Path("/kit/graders/test_s1_2_tensors.py"), Path("/home/s/s1_2_tensors.py")


def _after(command: list[str], option: str) -> str:
    return command[command.index(option) + 1]


# -- judge_command ----------------------------------------------------------------------------------
def test_judge_command_gives_pytest_timeout_a_real_limit_and_the_worker_its_own():
    command = contract.judge_command(Path("/kit"), Path("/kit/graders/test_s1_2_tensors.py"),
                                     Path("/home/s/s1_2_tensors.py"), timeout=45, only=["test_a", "test_b"])
    joined = " ".join(command)
    at = command.index("-o")
    assert ["-o", f"timeout={45 + contract.JUDGE_GRACE_SECONDS}"] == command[at:at + 2]
    assert command[command.index("--ptgrade-check-seconds") + 1] == "45"
    assert command[command.index("--ptgrade-impl") + 1] == "/home/s/s1_2_tensors.py"
    assert "/kit/graders/test_s1_2_tensors.py::test_a" in command
    assert "/kit/graders/test_s1_2_tensors.py::test_b" in command
    assert "-p no:cacheprovider" in joined and "--noconftest" in command and "ptgrade.judge.plugin" in command


def test_judge_command_for_one_file_names_the_file_and_no_plan():
    command = contract.judge_command(ROOT, GRADER, IMPL, timeout=10)
    assert _after(command, "--ptgrade-impl") == str(IMPL)
    assert "--ptgrade-plan" not in command and "--ptgrade-standby" not in command
    assert str(GRADER) in command and not [arg for arg in command if "::" in arg]  # every check, no selection
    assert _after(command, "-c") == str(contract.INI) and _after(command, "--rootdir") == str(ROOT)
    assert _after(command, "--ptgrade-device") == "auto"
    assert "--ptgrade-display" not in command and "--ptgrade-reference" not in command


def test_judge_command_for_a_plan_names_the_plan_instead_of_a_file():
    command = contract.judge_command(ROOT, GRADER, None, timeout=10, plan=Path("/tmp/plan.json"))
    assert _after(command, "--ptgrade-plan") == "/tmp/plan.json"
    assert "--ptgrade-impl" not in command


def test_judge_command_standby_display_reference_and_device_are_passed_on():
    command = contract.judge_command(ROOT, GRADER, IMPL, timeout=10, device="cuda", display="mine.py",
                                     reference=Path("/kit/solutions/s1_2_tensors.py"), standby=True)
    assert command.count("--ptgrade-standby") == 1
    assert _after(command, "--ptgrade-device") == "cuda" and _after(command, "--ptgrade-display") == "mine.py"
    assert _after(command, "--ptgrade-reference") == "/kit/solutions/s1_2_tensors.py"


def test_judge_command_selects_only_the_named_checks():
    command = contract.judge_command(ROOT, GRADER, IMPL, timeout=10, only=["test_one"])
    assert f"{GRADER}::test_one" in command and str(GRADER) not in command


def test_judge_command_runs_pytest_without_the_plugins_it_does_without():
    command = contract.judge_command(ROOT, GRADER, IMPL, timeout=10)
    disabled = {command[i + 1] for i, arg in enumerate(command) if arg == "-p" and command[i + 1].startswith("no:")}
    assert disabled == {f"no:{name}" for name in contract.NOT_NEEDED}
    assert command[1:3] == ["-m", "pytest"] and "--assert=plain" in command
    plugins = {command[i + 1] for i, arg in enumerate(command) if arg == "-p"}
    assert {"ptgrade.judge.plugin", "pytest_timeout"} <= plugins


def test_judge_env_sets_the_channel_the_language_and_the_kit_on_the_path(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = contract.judge_env(ROOT, 7, "n0nce", lang="ko")
    assert env[contract.CHANNEL_FD] == "7" and env[contract.CHANNEL_NONCE] == "n0nce" and env["PTGRADE_LANG"] == "ko"
    assert env["PYTHONPATH"].split(os.pathsep) == [str(ROOT), "/elsewhere"]
    assert env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] == "1"
    monkeypatch.delenv("PYTHONPATH")
    assert contract.judge_env(ROOT, 7, "n0nce")["PYTHONPATH"] == str(ROOT)


# -- open_channel -----------------------------------------------------------------------------------
def test_open_channel_without_a_channel_is_a_silent_no_op(monkeypatch):
    monkeypatch.delenv(contract.CHANNEL_FD, raising=False)
    monkeypatch.setenv(contract.CHANNEL_NONCE, "unused")
    send = contract.open_channel()
    assert send.connected is False
    assert send(contract.Finished("test_a", None, "passed")) is None
    assert contract.CHANNEL_NONCE not in os.environ  # taken out of the environment all the same


def test_open_channel_with_a_channel_sends_lines_events_accepts(monkeypatch):
    read_fd, write_fd = os.pipe()
    monkeypatch.setenv(contract.CHANNEL_FD, str(write_fd))
    monkeypatch.setenv(contract.CHANNEL_NONCE, "n1")
    send = contract.open_channel()
    assert send.connected is True
    assert contract.CHANNEL_FD not in os.environ and contract.CHANNEL_NONCE not in os.environ  # hidden from checks
    send(contract.Collected((contract.CheckSpec("test_a", None, "numerics", 1.0),)))
    send(contract.Finished("test_a", None, "passed"))
    del send  # the only reference to the channel's stream: closing it ends the pipe
    with os.fdopen(read_fd, "rb") as lines:
        events = contract.Events("n1")
        for line in lines:
            events.accept(line)
    assert events.results == {(None, "test_a"): ("passed", "")}


# -- Events.accept ----------------------------------------------------------------------------------
def _line(nonce, **event):
    return json.dumps({"nonce": nonce, **event}).encode()


def test_events_accept_one_result_per_collected_check_with_the_nonce():
    events = contract.Events("n1")
    events.accept(_line("n1", event="collected", checks=[{"name": "test_a"}, {"name": "test_b"}]))
    events.accept(_line("n1", event="collected", checks=[{"name": "test_forged"}]))  # only the first counts
    events.accept(_line("other", event="result", name="test_a", outcome="passed", message=""))
    events.accept(b"not json")
    events.accept(_line("n1", event="result", name="test_a", outcome="failed", message="no"))
    events.accept(_line("n1", event="result", name="test_a", outcome="passed", message=""))
    events.accept(_line("n1", event="result", name="test_forged", outcome="passed", message=""))
    assert [c.name for c in events.collected] == ["test_a", "test_b"]
    assert events.results == {(None, "test_a"): ("failed", "no")}


def _collected(nonce="n1", checks=({"name": "test_a", "impl": None},)) -> contract.Events:
    events = contract.Events(nonce)
    events.accept(_line(nonce, event="collected", checks=list(checks)))
    return events


def test_a_line_with_the_wrong_nonce_or_none_is_ignored():
    events = _collected()
    events.accept(_line("n2", event="result", name="test_a", impl=None, outcome="passed"))
    events.accept(json.dumps({"event": "result", "name": "test_a", "impl": None, "outcome": "passed"}).encode())
    events.accept(_line("n2", event="fatal", message="forged"))
    events.accept(_line("n2", event="start", name="test_a"))
    assert events.results == {} and events.fatal == "" and events.current is None


@pytest.mark.parametrize("line", [b"", b"not json", b'{"nonce": "n1", "event": "result"', b"\xff\xfe",
                                  b'["n1", "result"]', b'"n1"', b"null"])
def test_malformed_lines_are_ignored(line):
    events = _collected()
    events.accept(line)
    assert events.results == {} and events.fatal == "" and [c.name for c in events.collected] == ["test_a"]


def test_a_result_for_a_check_never_collected_is_ignored():
    events = contract.Events("n1")
    events.accept(_line("n1", event="result", name="test_a", impl=None, outcome="passed"))  # before collection
    assert events.results == {}
    events = _collected(checks=[{"name": "test_a", "impl": "alice"}])
    events.accept(_line("n1", event="result", name="test_a", impl="bob", outcome="passed"))  # another file's
    events.accept(_line("n1", event="result", name="test_b", impl="alice", outcome="passed"))  # another check
    assert events.results == {}
    events.accept(_line("n1", event="result", name="test_a", impl="alice", outcome="failed", message="m"))
    assert events.results == {("alice", "test_a"): ("failed", "m")}


def test_the_first_of_two_results_for_one_check_is_kept():
    events = _collected()
    events.accept(_line("n1", event="result", name="test_a", impl=None, outcome="error", message="first"))
    events.accept(_line("n1", event="result", name="test_a", impl=None, outcome="passed", message=""))
    assert events.results == {(None, "test_a"): ("error", "first")}


def test_anything_but_a_check_spec_is_dropped_from_the_collection():
    events = _collected(checks=[{"name": "test_a"}, "test_b", 3, None, {"name": 7}, {"name": "x", "max_score": "y"}])
    assert events.collected == [contract.CheckSpec(name="test_a", impl=None, dimension="", max_score=0.0)]


def test_a_check_spec_crosses_the_channel_unchanged():
    spec = contract.CheckSpec(name="test_a", impl="alice", dimension="numerics", max_score=2.0, gpu=True,
                              titles={"en": "A", "ko": "가"})
    assert contract.CheckSpec.from_json(json.loads(json.dumps(spec.to_json()))) == spec


def test_a_malformed_checks_list_collects_nothing():
    events = contract.Events("n1")
    events.accept(_line("n1", event="collected", checks={"name": "test_a"}))
    assert events.collected == []


def test_start_names_the_running_check_and_its_result_clears_it():
    events = _collected()
    events.accept(_line("n1", event="start", name="test_a", impl=None))
    assert events.current == "test_a"
    events.accept(_line("n1", event="result", name="test_a", impl=None, outcome="passed"))
    assert events.current is None and events.results[(None, "test_a")] == ("passed", "")


def test_fatal_is_kept():
    events = contract.Events("n1")
    events.accept(_line("n1", event="fatal", message="--device cuda was asked for, but CUDA is not available"))
    assert events.fatal == "--device cuda was asked for, but CUDA is not available"
    assert events.collected is None and events.results == {}


def test_the_host_times_each_check_and_keeps_the_judges_word_that_an_error_is_the_kits(monkeypatch):
    clock = iter([10.0, 12.5, 20.0])
    monkeypatch.setattr(contract.time, "monotonic", lambda: next(clock))
    events = _collected(checks=[{"name": "test_a", "impl": None}, {"name": "test_b", "impl": None}])
    events.accept(_line("n1", event="start", name="test_a", impl=None))
    events.accept(_line("n1", event="result", name="test_a", impl=None, outcome="error", message="m", kit_fault=True))
    events.accept(_line("n1", event="result", name="test_b", impl=None, outcome="error", message="m",
                        kit_fault="yes"))  # only true is true; and no start: no time
    assert events.seconds == {(None, "test_a"): 2.5} and events.kit_faults == {(None, "test_a")}


def test_the_judges_count_of_the_limit_used_is_kept_only_as_a_plain_bounded_number():
    events = _collected(checks=[{"name": "test_a", "impl": None}, {"name": "test_b", "impl": None},
                                {"name": "test_c", "impl": None}])
    events.accept(_line("n1", event="result", name="test_a", impl=None, outcome="passed", student_seconds=0.25))
    events.accept(_line("n1", event="result", name="test_b", impl=None, outcome="passed", student_seconds=True))
    events.accept(_line("n1", event="result", name="test_c", impl=None, outcome="passed", student_seconds=-1))
    assert events.used == {(None, "test_a"): 0.25}


def test_the_judge_is_told_the_checks_limit_and_the_imports_apart():
    command = contract.judge_command(Path("/kit"), Path("/kit/graders/test_x.py"), None, 60, check_seconds=7)
    assert command[command.index("--ptgrade-check-seconds") + 1] == "7"
    assert command[command.index("--ptgrade-import-seconds") + 1] == "60"


def test_every_record_travels_as_itself():
    spec = contract.CheckSpec("test_a", "alice", "numerics", 2.0, gpu=True, titles={"en": "A", "ko": "가"})
    for record in (contract.Collected((spec,)), contract.Started("test_a", "alice"),
                   contract.Finished("test_a", None, "failed", "m", kit_fault=True, student_seconds=0.5),
                   contract.Fatal("no CUDA")):
        line = json.loads(json.dumps({"event": record.KIND, **record.to_json()}))
        assert contract.RECORDS[line["event"]].from_json(line) == record


def test_a_record_that_names_no_check_is_not_one():
    assert contract.Started.from_json({"impl": None}) is None
    assert contract.Finished.from_json({"name": 3, "outcome": "passed"}) is None
    assert contract.Collected.from_json({"checks": "all"}) == contract.Collected(())


def test_lines_are_cut_whole_however_the_bytes_arrive_and_a_long_one_is_kept():
    lines = contract.Lines()
    long = b"x" * 300_000  # a plan's "collected" line can be hundreds of KB
    assert lines.feed(b'{"a": 1}\n{"b"') == [b'{"a": 1}']
    assert lines.feed(b': 2}\n' + long[:100_000]) == [b'{"b": 2}']
    assert lines.feed(long[100_000:] + b"\nend\n") == [long, b"end"]


def test_a_line_past_the_bound_is_dropped_whole_and_the_next_ones_are_read():
    lines = contract.Lines()
    lines.MAX_LINE_BYTES = 10
    assert lines.feed(b"0123456789abcdef") == []
    assert lines.feed(b"ghi\nnext\n") == [b"next"]
