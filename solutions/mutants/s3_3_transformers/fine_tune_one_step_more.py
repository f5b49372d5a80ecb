"""Loops `for step in range(steps + 1)` (counting the steps from 1 to steps inclusive, off by one): fine_tune
takes one step more than asked."""
# range(n) stops before n: an off-by-one of the training loop, invisible to an accuracy threshold.
CAUGHT_BY = "test_fine_tune_takes_each_step_as_asked"
MESSAGE_MENTIONS = "one call per step"
MESSAGE_MENTIONS_KO = "단계마다 한 번이면"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s3_3_transformers import fine_tune as _reference  # noqa: E402


def fine_tune(model, tokenizer, texts, labels, steps=60, lr=1e-3, batch_size=16, seed=0):
    return _reference(model, tokenizer, texts, labels, steps=steps + 1, lr=lr, batch_size=batch_size, seed=seed)
