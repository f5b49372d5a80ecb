"""The grading contract without starting processes: the judge's arguments, its events, what may
cross from the student's process, and how student exceptions are rebuilt in the judge."""
import io
import os
import pickle
import time
from pathlib import Path

import pytest
import torch

from ptgrade.judge import outcomes, remote
from ptgrade.protocol import contract, wire


def test_judge_command_gives_pytest_timeout_a_real_limit_and_the_worker_its_own():
    command = contract.judge_command(Path("/kit"), Path("/kit/graders/test_s1_2_tensors.py"),
                                     Path("/home/s/s1_2_tensors.py"), timeout=45, only=["test_a", "test_b"])
    joined = " ".join(command)
    assert ["-o", f"timeout={45 + contract.JUDGE_GRACE_SECONDS}"] == command[command.index("-o"):command.index("-o") + 2]
    assert command[command.index("--ptgrade-check-seconds") + 1] == "45"
    assert command[command.index("--ptgrade-impl") + 1] == "/home/s/s1_2_tensors.py"
    assert "/kit/graders/test_s1_2_tensors.py::test_a" in command and "/kit/graders/test_s1_2_tensors.py::test_b" in command
    assert "-p no:cacheprovider" in joined and "--noconftest" in command and "ptgrade.judge.plugin" in command


def _line(nonce, **event):
    import json
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
    assert [c["name"] for c in events.collected] == ["test_a", "test_b"]
    assert events.results == {(None, "test_a"): ("failed", "no")}


def test_data_crosses_and_everything_else_becomes_a_handle():
    kept = []
    value = {"t": torch.arange(3.0), "n": 2, "s": {1, 2}, "nested": [torch.float16, torch.Size([2])],
             "module": torch.nn.Linear(2, 2)}
    data = wire.to_data(value, lambda obj: kept.append(obj) or len(kept))
    back = wire.from_data(wire.load(wire.dump(data)), lambda key, kind, callable_: (key, kind, callable_))
    assert torch.equal(back["t"], torch.arange(3.0)) and back["s"] == {1, 2} and back["n"] == 2
    assert back["nested"] == [torch.float16, torch.Size([2])]
    assert back["module"] == (1, "torch.nn.modules.linear.Linear", True) and kept[0] is value["module"]


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_an_arbitrary_pickle_from_the_worker_is_refused():
    with pytest.raises(wire.WireError):
        wire.load(pickle.dumps(_Evil()))
    buffer = io.BytesIO()
    torch.save({"x": _Evil()}, buffer)
    with pytest.raises(wire.WireError):
        wire.load(buffer.getvalue())


def _deflated(payload: bytes) -> bytes:
    import zipfile
    plain, out = zipfile.ZipFile(io.BytesIO(payload)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in plain.infolist():
            archive.writestr(info.filename, plain.read(info))
    return out.getvalue()


def test_a_message_is_read_only_if_it_costs_the_judge_about_what_it_weighs():
    honest = wire.dump({"ok": True, "value": [torch.arange(4.0), {"a": (1, 2)}, torch.zeros(3).expand(2, 3)]})
    assert wire.load(honest)["value"][1] == {"a": (1, 2)}
    nested = [1.0]
    for _ in range(60):  # 2**60 leaves in 61 lists
        nested = [nested, nested]
    bombs = {"deflated records": _deflated(wire.dump({"ok": True, "value": torch.zeros(1 << 20)})),
             "shared references": wire.dump({"ok": True, "value": nested}),
             "a zero-stride view": wire.dump({"ok": True, "value": torch.zeros(1).expand(10 ** 12)}),
             "a sparse tensor": wire.dump({"ok": True, "value": torch.eye(3).to_sparse()})}
    for name, payload in bombs.items():
        started = time.monotonic()
        with pytest.raises(wire.WireError):
            wire.load(payload)
        assert time.monotonic() - started < 5, name
    with pytest.raises(wire.WireError):  # a numpy scalar of a kind to_data never sends
        wire.from_data({wire.TAG: "npscalar", "dtype": "V1000000", "value": 1}, None)


def test_frames_are_bounded_in_size_and_time():
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, wire.HEADER.pack(wire.MAX_FRAME + 1))
        with pytest.raises(wire.WireError, match="over the limit"):
            wire.read_frame(read_fd, time.monotonic() + 1)
        started = time.monotonic()
        with pytest.raises(wire.Timeout):
            wire.read_frame(read_fd, time.monotonic() + 0.2)
        assert time.monotonic() - started < 2
    finally:
        os.close(read_fd)
        os.close(write_fd)


def _info(mro, message="boom", **extra):
    return {"type": mro[0].rsplit(".", 1)[-1], "mro": mro, "message": message, "summary": message,
            "location": " (line 3: `x`)", "not_started": "", "implementation": False, "missing_name": False,
            "memory": False, **extra}


def test_student_exceptions_are_rebuilt_as_their_class_but_never_as_the_graders_own():
    runtime = remote.rebuild_error(_info(["builtins.RuntimeError", "builtins.Exception", "builtins.BaseException"]))
    assert isinstance(runtime, RuntimeError) and str(runtime) == "boom"
    assertion = remote.rebuild_error(_info(["builtins.AssertionError", "builtins.Exception"]))
    assert not isinstance(assertion, AssertionError)
    skipped = remote.rebuild_error(_info(["_pytest.outcomes.Skipped", "_pytest.outcomes.OutcomeException",
                                          "builtins.BaseException"]))
    assert isinstance(skipped, remote.StudentError)
    stub = remote.rebuild_error(_info(["builtins.NotImplementedError"], not_started="`f` still raises NotImplementedError"))
    assert isinstance(stub, NotImplementedError)


class _Report:
    def __init__(self, passed=False, skipped=False, longrepr=None):
        self.passed, self.skipped, self.longrepr = passed, skipped, longrepr


class _ExcInfo:
    def __init__(self, value):
        self.value = value


def test_classification_from_the_judges_point_of_view():
    stub = remote.rebuild_error(_info(["builtins.NotImplementedError"], not_started="`f` still raises NotImplementedError"))
    assert outcomes.classify(_ExcInfo(stub), _Report()) == ("not_started", "`f` still raises NotImplementedError")
    crash = remote.rebuild_error(_info(["builtins.ZeroDivisionError", "builtins.ArithmeticError"], summary="ZeroDivisionError: x"))
    assert outcomes.classify(_ExcInfo(crash), _Report()) == ("error", "your code raised ZeroDivisionError: x (line 3: `x`).")
    assert outcomes.classify(_ExcInfo(AssertionError("expected 2, got 3")), _Report())[0] == "failed"
    skip = remote.rebuild_error(_info(["_pytest.outcomes.Skipped", "_pytest.outcomes.OutcomeException"]))
    assert outcomes.classify(_ExcInfo(skip), _Report())[0] == "error"
    assert outcomes.classify(_ExcInfo(remote.CheckTimeout("timed out after 3 s")), _Report()) == \
        ("error", "timed out after 3 s")
    assert outcomes.classify(_ExcInfo(TypeError("'int' object is not subscriptable")), _Report())[1].startswith(
        "the grader could not use what your code returned")
