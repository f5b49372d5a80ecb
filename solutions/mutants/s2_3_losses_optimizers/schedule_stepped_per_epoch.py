"""Steps the scheduler once per epoch instead of once per batch: the lr only changes between epochs
(and stays 0 for the whole first epoch of the warm-up)."""
CAUGHT_BY = "test_train_with_schedule_steps_per_batch"
MESSAGE_MENTIONS = "per epoch"
MESSAGE_MENTIONS_KO = "스케줄을 에폭마다 진행"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def train_with_schedule(model, batches, epochs, lr, warmup_steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = warmup_cosine_schedule(optimizer, warmup_steps, epochs * len(batches))
    used = []
    for _ in range(epochs):
        for x, y in batches:
            used.append(optimizer.param_groups[0]["lr"])
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
        scheduler.step()
    return used
