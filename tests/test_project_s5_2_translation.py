"""Project 5.2: the number corpus the kit generates, and `ptgrade run 5.2` end to end (smoke run,
resume from the checkpoint, the untouched stub, a short real run on CUDA)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from ptgrade.items.s5_2_translation import (
    english_words,
    korean_words,
    make_splits,
    read_tsv,
    write_tsv,
)

KIT_ROOT = Path(__file__).resolve().parent.parent

KNOWN = {1: ("one", "일"), 10: ("ten", "십"), 11: ("eleven", "십일"), 20: ("twenty", "이십"),
         100: ("one hundred", "백"), 101: ("one hundred one", "백일"), 110: ("one hundred ten", "백십"),
         312: ("three hundred twelve", "삼백십이"), 1000: ("one thousand", "천"), 1010: ("one thousand ten", "천십"),
         10000: ("ten thousand", "만"), 10001: ("ten thousand one", "만 일"), 11111: (
             "eleven thousand one hundred eleven", "만 천백십일"),
         12345: ("twelve thousand three hundred forty five", "만 이천삼백사십오"), 20000: ("twenty thousand", "이만"),
         40005: ("forty thousand five", "사만 오"),
         99999: ("ninety nine thousand nine hundred ninety nine", "구만 구천구백구십구")}


@pytest.mark.parametrize("number", sorted(KNOWN))
def test_corpus_writes_known_numbers(number):
    assert (english_words(number), korean_words(number)) == KNOWN[number]


def test_corpus_rejects_numbers_outside_its_range():
    for number in (0, 100_000):
        with pytest.raises(ValueError):
            english_words(number)
        with pytest.raises(ValueError):
            korean_words(number)


def test_corpus_is_one_to_one_over_the_whole_range():
    numbers = range(1, 100_000)
    assert len({english_words(n) for n in numbers}) == len({korean_words(n) for n in numbers}) == len(numbers)


def test_splits_are_fixed_by_seed_and_disjoint():
    first, again, other = make_splits(3, 500, 50, 50), make_splits(3, 500, 50, 50), make_splits(4, 500, 50, 50)
    assert first == again and first != other
    sources = [{s for s, _ in first[name]} for name in ("train", "valid", "test")]
    assert [len(s) for s in sources] == [500, 50, 50]
    assert not (sources[0] & sources[1] or sources[0] & sources[2] or sources[1] & sources[2])


def test_tsv_round_trip(tmp_path):
    pairs = make_splits(0, 20, 0, 0)["train"]
    assert read_tsv(write_tsv(tmp_path / "pairs.tsv", pairs)) == pairs


def _run(*args, timeout=240):
    return subprocess.run([sys.executable, str(KIT_ROOT / "cli.py"), "run", "5.2", *args], check=False, cwd=KIT_ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_smoke_run_writes_checkpoint_plots_and_summary_then_resumes(tmp_path):
    out = tmp_path / "run"
    first = _run("--source", "solutions", "--smoke", "--out", str(out))
    assert first.returncode == 0, first.stderr
    for name in ("checkpoint.pt", "training_curve.png", "validation_bleu.png", "summary.json"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["epochs"] == 1 and 0 <= summary["test_bleu_greedy"] <= 100
    saved = torch.load(out / "checkpoint.pt", weights_only=True)
    assert saved["epoch"] == 1 and len(saved["history"]["train_loss"]) == 1

    second = _run("--source", "solutions", "--smoke", "--epochs", "2", "--out", str(out))
    assert second.returncode == 0, second.stderr
    words = " ".join(second.stdout.split())  # rich wraps long paths at the terminal's width
    assert "Resuming" in words and "after epoch 1" in words
    resumed = torch.load(out / "checkpoint.pt", weights_only=True)
    assert resumed["epoch"] == 2
    assert resumed["history"]["train_loss"][0] == saved["history"]["train_loss"][0]  # epoch 1 kept, not redone
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["epochs"] == 2


def test_untouched_stub_says_one_sentence(tmp_path):
    done = _run("--smoke", "--out", str(tmp_path / "run"), timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "NotImplementedError" in done.stderr or "not" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_missing_data_file_says_what_to_pass(tmp_path):
    done = _run("--source", "solutions", "--data", str(tmp_path / "absent.tsv"), "--out", str(tmp_path / "run"),
                timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "--data" in done.stderr


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_short_real_run_on_cuda(tmp_path):
    out = tmp_path / "run"
    done = _run("--source", "solutions", "--device", "cuda", "--epochs", "1", "--out", str(out), timeout=600)
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["epochs"] == 1 and summary["test_bleu_greedy"] > 10
