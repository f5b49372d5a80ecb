"""`ptgrade run 5.3`: the smoke run trains both models end to end, writes what it promises and resumes; the untouched
stub gets one sentence; on CUDA a short real training runs."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

KIT_ROOT = Path(__file__).resolve().parent.parent
# Every run imports diffusers and transformers (about 15 s on an idle core) and the smoke run trains: `slow`.


def _run(*args, timeout=600):
    env = {**os.environ, "PTGRADE_LANG": "en", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, str(KIT_ROOT / "cli.py"), "run", "5.3", *args], capture_output=True,
                          text=True, env=env, cwd=KIT_ROOT, stdin=subprocess.DEVNULL, timeout=timeout)


def test_smoke_run_writes_checkpoint_plots_samples_and_resumes(tmp_path):
    out = tmp_path / "run"
    first = _run("--source", "solutions", "--smoke", "--out", str(out))
    assert first.returncode == 0, first.stderr[-2000:]
    for name in ("checkpoint.pt", "summary.json", "gan_samples.png", "text_to_image_samples.png", "gan_losses.png",
                 "text_to_image_loss.png"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["epochs"] == 1 and 0.0 <= summary["t2i_caption_colour_rate"] <= 1.0
    state = torch.load(out / "checkpoint.pt", weights_only=True)
    assert state["done"] == {"gan": 1, "t2i": 1}
    steps_after_one = len(state["history"]["d_loss"])

    # The second run continues from the saved epoch: it says so, keeps the first epoch's history and adds one more.
    second = _run("--source", "solutions", "--smoke", "--epochs", "2", "--out", str(out))
    assert second.returncode == 0, second.stderr[-2000:]
    assert "Resuming from" in second.stdout and "GAN epoch 1" in second.stdout
    state = torch.load(out / "checkpoint.pt", weights_only=True)
    assert state["done"] == {"gan": 2, "t2i": 2}
    assert len(state["history"]["d_loss"]) == 2 * steps_after_one
    assert json.loads((out / "summary.json").read_text())["epochs"] == 2


def test_untouched_stub_gets_one_sentence_and_exit_2(tmp_path):
    result = _run("--source", "exercises", "--smoke", "--out", str(tmp_path / "stub"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Generator" in result.stderr and "--source solutions" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_data_option_is_refused_in_one_sentence(tmp_path):
    result = _run("--source", "solutions", "--smoke", "--data", str(tmp_path), "--out", str(tmp_path / "x"))
    assert result.returncode == 2 and "leave out --data" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_short_real_training_on_cuda(tmp_path):
    result = _run("--source", "solutions", "--device", "cuda", "--epochs", "1", "--out", str(tmp_path / "cuda"))
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads((tmp_path / "cuda" / "summary.json").read_text())
    assert summary["epochs"] == 1 and summary["gan_frechet_distance"] > 0
