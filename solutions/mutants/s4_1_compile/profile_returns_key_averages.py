"""Returns prof.key_averages() (a table of rows) instead of the profiler itself."""
CAUGHT_BY = "test_profile_step_labels_each_phase"
MESSAGE_MENTIONS = "should return the torch.profiler.profile it recorded with"
MESSAGE_MENTIONS_KO = "기록에 쓴 torch.profiler.profile을 반환해야"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def profile_step(model, x, y, optimizer):
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        optimizer.zero_grad()
        with record_function("forward"):
            loss = F.mse_loss(model(x), y)
        with record_function("backward"):
            loss.backward()
        with record_function("optimizer_step"):
            optimizer.step()
    return prof.key_averages()
