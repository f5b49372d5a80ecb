"""A loop that clears and fills the model's own .grad for each sample: right values, the caller's .grad lost."""
CAUGHT_BY = "test_per_sample_grads_leave_the_model_untouched"
MESSAGE_MENTIONS = ".grad after per_sample_grads"
MESSAGE_MENTIONS_KO = "per_sample_grads 호출 뒤 모델의"
import torch  # noqa: E402

from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def per_sample_grads(model, x, y):
    rows = {name: [] for name, _ in model.named_parameters()}
    for i in range(len(x)):
        model.zero_grad()
        torch.nn.functional.cross_entropy(model(x[i:i + 1]), y[i:i + 1]).backward()
        for name, p in model.named_parameters():
            rows[name].append(p.grad.clone())
    return {name: torch.stack(row) for name, row in rows.items()}
