"""Forgets autocast: the step trains in float32 throughout, nothing runs in bfloat16."""
CAUGHT_BY = "test_autocast_step_runs_matmuls_in_bf16_with_fp32_weights"
MESSAGE_MENTIONS = "without autocast"
MESSAGE_MENTIONS_KO = "autocast 없이 단계를 실행했습니다"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def autocast_train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
