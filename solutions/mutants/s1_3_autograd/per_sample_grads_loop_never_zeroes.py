"""Loops over the samples with backward() and never clears .grad between them: each row adds the earlier ones."""
CAUGHT_BY = "test_per_sample_grads_match_a_loop_over_samples"
MESSAGE_MENTIONS = "never cleared"
MESSAGE_MENTIONS_KO = ".grad를 비우지 않아"
import torch  # noqa: E402

from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def per_sample_grads(model, x, y):
    model.zero_grad()
    rows = {name: [] for name, _ in model.named_parameters()}
    for i in range(len(x)):
        torch.nn.functional.cross_entropy(model(x[i:i + 1]), y[i:i + 1]).backward()
        for name, p in model.named_parameters():
            rows[name].append(p.grad.clone())
    return {name: torch.stack(row) for name, row in rows.items()}
