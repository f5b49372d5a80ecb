"""Copies the bfloat16 step: autocast to bfloat16, with the scaler around it."""
CAUGHT_BY = "test_fp16_scaled_step_matches_an_unscaled_step"
MESSAGE_MENTIONS = "the step used bfloat16"
MESSAGE_MENTIONS_KO = "단계가 bfloat16을 썼습니다"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def fp16_scaled_train_step(model, optimizer, scaler, x, y):
    optimizer.zero_grad()
    with torch.autocast(device_type=x.device.type, dtype=torch.bfloat16):
        loss = F.mse_loss(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
