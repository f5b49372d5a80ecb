"""Returns the scaled loss (loss x scale) instead of the loss."""
CAUGHT_BY = "test_fp16_scaled_step_matches_an_unscaled_step"
MESSAGE_MENTIONS = "the scaled loss"
MESSAGE_MENTIONS_KO = "스케일링한 손실"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def fp16_scaled_train_step(model, optimizer, scaler, x, y):
    optimizer.zero_grad()
    with torch.autocast(device_type=x.device.type, dtype=torch.float16):
        loss = F.mse_loss(model(x), y)
    scaled = scaler.scale(loss)
    scaled.backward()
    scaler.step(optimizer)
    scaler.update()
    return scaled.item()
