"""`ptgrade run`: the frame every project's real run uses (each project's own run is tested in
tests/test_project_<item>.py). Bad input and broken student code are one sentence and exit 2."""
import pytest
import torch

from ptgrade import runs


def test_an_item_without_a_run_is_one_sentence(kit):
    done = kit.cli("run", "1.1", "--smoke")
    assert done.returncode == 2 and "has no training run" in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr


def test_unknown_item_is_one_sentence(kit):
    done = kit.cli("run", "9.9")
    assert done.returncode == 2 and "no item '9.9'" in done.stderr and "Traceback" not in done.stderr


def test_a_file_that_does_not_import_is_one_sentence(tmp_path):
    broken = tmp_path / "s5_1_demo.py"
    broken.write_text("def build(:\n    pass\n")
    with pytest.raises(runs.RunProblem) as problem:
        runs.load_student(broken, tmp_path)
    assert "s5_1_demo.py" in str(problem.value) and "\n" not in str(problem.value)


def test_a_stub_says_not_started_and_points_to_the_reference(tmp_path):
    stub = tmp_path / "s5_1_demo.py"
    stub.write_text('def build():\n    raise NotImplementedError("build")\n')
    student = runs.load_student(stub, tmp_path)
    with pytest.raises(NotImplementedError) as raised:
        student.build()
    sentence = runs.student_problem(raised.value, stub)
    assert "build" in sentence and "--source solutions" in sentence


def test_cuda_asked_for_without_cuda_is_a_run_problem():
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(runs.RunProblem, match="no CUDA"):
        runs.resolve_device("cuda")
    assert runs.resolve_device("auto") == "cpu"


def test_checkpoint_round_trip_is_data_only_and_atomic(tmp_path):
    report = runs.Report(tmp_path / "run")
    assert report.load_checkpoint() is None
    state = {"epoch": 3, "model": {"w": torch.arange(4.0)}, "history": {"loss": [1.0, 0.5]}}
    report.save_checkpoint(state)
    loaded = report.load_checkpoint()
    assert loaded["epoch"] == 3 and torch.equal(loaded["model"]["w"], torch.arange(4.0))
    assert not list((tmp_path / "run").glob("*.partial"))
    # A checkpoint that is not data (a pickled object) is refused by weights_only, with a sentence.
    torch.save({"epoch": 1, "thing": runs.Report}, report.checkpoint)
    with pytest.raises(runs.RunProblem, match="cannot be read"):
        report.load_checkpoint()


def test_plots_are_png_files(tmp_path):
    report = runs.Report(tmp_path)
    path = report.plot("curves", {"train loss": [1.0, 0.6, 0.4], "val loss": [1.1, 0.8, 0.7]}, "epoch")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = report.write_summary({"accuracy": 0.9, "device": "cpu"})
    assert '"accuracy": 0.9' in summary.read_text()
