"""Never calls scaler.update(): the scale is not lowered after an overflow (and the next scaler.step raises)."""
CAUGHT_BY = "test_fp16_scaled_step_skips_an_overflowing_step"
MESSAGE_MENTIONS = "scaler.update() was not called"
MESSAGE_MENTIONS_KO = "scaler.update()를 호출하지 않아"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def fp16_scaled_train_step(model, optimizer, scaler, x, y):
    optimizer.zero_grad()
    with torch.autocast(device_type=x.device.type, dtype=torch.float16):
        loss = F.mse_loss(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    return loss.item()
