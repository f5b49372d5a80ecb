"""Profiles the step without optimizer.zero_grad(): in the middle of training .grad still holds the last step's
gradients, so this step applies their sum."""
CAUGHT_BY = "test_profile_step_labels_each_phase"
MESSAGE_MENTIONS = "the gradients were not cleared"
MESSAGE_MENTIONS_KO = "변화도를 비우지 않았습니다"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def profile_step(model, x, y, optimizer):
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        with record_function("forward"):
            loss = F.mse_loss(model(x), y)
        with record_function("backward"):
            loss.backward()
        with record_function("optimizer_step"):
            optimizer.step()
    return prof
