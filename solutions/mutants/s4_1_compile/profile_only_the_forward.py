"""Profiles only the forward pass: backward and the optimizer step run after the profiler's block has closed."""
CAUGHT_BY = "test_profile_step_labels_each_phase"
MESSAGE_MENTIONS = "row(s) labelled"
MESSAGE_MENTIONS_KO = "이름표가 붙은 행이"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def profile_step(model, x, y, optimizer):
    optimizer.zero_grad()
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        with record_function("forward"):
            loss = F.mse_loss(model(x), y)
    with record_function("backward"):
        loss.backward()
    with record_function("optimizer_step"):
        optimizer.step()
    return prof
