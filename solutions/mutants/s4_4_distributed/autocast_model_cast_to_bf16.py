"""Casts the model and the data to bfloat16 instead of using autocast: the weights themselves become
16-bit, so no float32 master weights are left and small updates round away."""
CAUGHT_BY = "test_autocast_step_runs_matmuls_in_bf16_with_fp32_weights"
MESSAGE_MENTIONS = "master weights"
MESSAGE_MENTIONS_KO = "float32 마스터 가중치"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def autocast_train_step(model, optimizer, x, y):
    model.to(torch.bfloat16)
    optimizer.zero_grad()
    loss = F.mse_loss(model(x.to(torch.bfloat16)), y.to(torch.bfloat16))
    loss.backward()
    optimizer.step()
    return loss.item()
