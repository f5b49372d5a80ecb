"""`ptgrade run 5.1`: the smoke run trains the reference end to end on the kit's CIFAR-format archive, writes a
checkpoint, PNGs and summary.json, and resumes from its checkpoint; the stub and missing data are one sentence;
on CUDA a short real training runs (on CIFAR-10 where a copy is present, else on the generated archive)."""
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

KIT_ROOT = Path(__file__).resolve().parent.parent


def _cli(*args, timeout=240):
    env = {**os.environ, "COLUMNS": "120", "PTGRADE_LANG": "en"}
    return subprocess.run([sys.executable, str(KIT_ROOT / "cli.py"), *args], cwd=KIT_ROOT, capture_output=True,
                          check=False, text=True, timeout=timeout, env=env)


def test_generated_archive_is_read_by_torchvisions_cifar10_code(tmp_path):
    from ptgrade.items.s5_1_resnet_cifar10 import GeneratedCIFAR10, write_cifar_archive  # not at collection
    folder = write_cifar_archive(tmp_path, seed=3, train_per_class=4, test_per_class=2)
    assert sorted(p.name for p in folder.iterdir()) == ["batches.meta", *[f"data_batch_{i}" for i in range(1, 6)],
                                                        "test_batch"]
    with open(folder / "data_batch_1", "rb") as handle:
        batch = pickle.load(handle, encoding="latin1")
    assert batch["data"].dtype == np.uint8 and batch["data"].shape[1] == 3072
    train, test = GeneratedCIFAR10(tmp_path, train=True), GeneratedCIFAR10(tmp_path, train=False)
    assert train.data.shape == (40, 32, 32, 3) and len(test) == 20 and train.classes[0] == "airplane"
    assert sorted(set(train.targets)) == list(range(10))
    with pytest.raises(RuntimeError, match="Dataset not found"):
        torchvision_cifar = GeneratedCIFAR10.__mro__[1]
        torchvision_cifar(tmp_path, train=True)  # the real class checks the real files' MD5 sums


def test_smoke_run_writes_checkpoint_plots_and_summary_then_resumes(tmp_path):
    out = tmp_path / "run"
    first = _cli("run", "5.1", "--source", "solutions", "--smoke", "--out", str(out))
    assert first.returncode == 0, first.stderr[-2000:]
    for name in ("checkpoint.pt", "loss.png", "accuracy.png", "samples.png", "summary.json"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert (out / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["epochs"] == 2 and 0.0 <= summary["test accuracy"] <= 1.0
    saved = torch.load(out / "checkpoint.pt", weights_only=True)
    assert saved["epoch"] == 2

    again = _cli("run", "5.1", "--source", "solutions", "--smoke", "--epochs", "3", "--out", str(out))
    assert again.returncode == 0, again.stderr[-2000:]
    words = " ".join(again.stdout.split())  # rich wraps long paths at the terminal's width
    assert "Resuming from" in words and "after epoch 2" in words, again.stdout[-2000:]
    assert "search picked" not in again.stdout  # the searched config came from the checkpoint
    resumed = torch.load(out / "checkpoint.pt", weights_only=True)
    assert resumed["epoch"] == 3
    # the first two epochs are the first run's, untouched: only epoch 3 was trained
    assert resumed["history"]["test_acc"][:2] == saved["history"]["test_acc"]
    assert json.loads((out / "summary.json").read_text())["epochs"] == 3


def test_the_untouched_stub_is_one_sentence(tmp_path):
    done = _cli("run", "5.1", "--smoke", "--out", str(tmp_path / "run"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "NotImplementedError" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_folder_without_cifar10_says_what_to_pass(tmp_path):
    (tmp_path / "empty").mkdir()
    done = _cli("run", "5.1", "--source", "solutions", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "r"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--data PATH" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def _real_cifar10():
    """A local CIFAR-10 (cifar-10-batches-py) named by PTGRADE_CIFAR10 or in the run's default place, else None."""
    from ptgrade.items.s5_1_resnet_cifar10 import DEFAULT_ROOT
    for root in (os.environ.get("PTGRADE_CIFAR10"), DEFAULT_ROOT):
        if root and (Path(root) / "cifar-10-batches-py" / "test_batch").is_file():
            return Path(root)
    return None


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU; torch.cuda.is_available() is False")
@pytest.mark.timeout(1200)
def test_a_short_real_training_on_cuda(tmp_path):
    root = _real_cifar10()
    data = ["--data", str(root), "--epochs", "1"] if root else ["--smoke", "--epochs", "3"]
    done = _cli("run", "5.1", "--source", "solutions", "--device", "cuda", *data, "--out", str(tmp_path / "run"),
                timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["device"] == "cuda"
    # one epoch of CIFAR-10 puts a ResNet-18 well above chance; three on the generated data learn the colours
    assert summary["test accuracy"] > (0.4 if root else 0.5), summary
