"""Seed sweep of 5.3's two convergence checks on the reference (or any implementation): the Fréchet distance after
the bounded GAN run and the colour/shape rates after the bounded text-to-image run, run seed by run seed (the
grader's `run_seed`: data, weights, noise), measured as the grader measures them (the judge's own forward and
sampler on the pulled weights). Prints one line per seed and the worst at the end.
Run: python benchmarks/sweep_s5_3.py [gan|t2i] N (run seeds 1..N) or FIRST-LAST [implementation.py]"""
import importlib.util
import json
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
torch.set_num_threads(1)

from graders import test_s5_3_gan_text_to_image as grader  # noqa: E402
from graders.observations import s5_3_gan_text_to_image as observe  # noqa: E402


def load(path):
    spec = importlib.util.spec_from_file_location("impl", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gan(impl, run_seed):
    before, after = grader._gan_distances(observe._gan_run(impl, grader._derived(run_seed, 10) % 100_000), run_seed)
    return {"fd_before": before, "fd_after": after}


def t2i(impl, run_seed):
    """The grader's first training run only (the grader trains a second one when the first misses a threshold)."""
    images = grader._t2i_images(observe._t2i_run(impl, grader._derived(run_seed, 31) % 100_000), run_seed)
    colour, shape = grader._t2i_rates(images)
    return {"colour": colour, "shape_pairs": shape}


if __name__ == "__main__":
    part, chosen = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "20"
    first, _, last = chosen.partition("-")
    seeds = range(int(first), int(last) + 1) if last else range(1, int(first) + 1)
    impl = load(sys.argv[3] if len(sys.argv) > 3 else ROOT / "solutions" / "s5_3_gan_text_to_image.py")
    rows = []
    for seed in seeds:
        start = time.perf_counter()
        row = {"seed": seed, **(gan if part == "gan" else t2i)(impl, seed), "s": round(time.perf_counter() - start, 1)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    keys = [("fd_after", max)] if part == "gan" else [("colour", min), ("shape_pairs", min)]
    for key, worst in keys:
        print(json.dumps({f"worst {key}": worst(rows, key=lambda r: r[key])}), flush=True)
