"""Profiles the step without record_shapes=True: the profile keeps no input shapes."""
CAUGHT_BY = "test_profile_step_records_input_shapes"
MESSAGE_MENTIONS = "Pass record_shapes=True to torch.profiler.profile"
MESSAGE_MENTIONS_KO = "입력 shape가 남지 않습니다"
MESSAGE_MENTIONS_KO = "record_shapes=True"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def profile_step(model, x, y, optimizer):
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        optimizer.zero_grad()
        with record_function("forward"):
            loss = F.mse_loss(model(x), y)
        with record_function("backward"):
            loss.backward()
        with record_function("optimizer_step"):
            optimizer.step()
    return prof
