"""Scales the loss but steps the optimizer itself: the gradients are never unscaled or checked for inf, and the
scaler is never updated."""
CAUGHT_BY = "test_fp16_scaled_step_skips_an_overflowing_step"
MESSAGE_MENTIONS = "scaler.step(optimizer), not optimizer.step()"
MESSAGE_MENTIONS_KO = "optimizer.step()이 아니라 scaler.step(optimizer)를"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def fp16_scaled_train_step(model, optimizer, scaler, x, y):
    optimizer.zero_grad()
    with torch.autocast(device_type=x.device.type, dtype=torch.float16):
        loss = F.mse_loss(model(x), y)
    scaler.scale(loss).backward()
    optimizer.step()
    return loss.item()
