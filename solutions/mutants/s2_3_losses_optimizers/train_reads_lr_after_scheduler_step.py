"""Records optimizer.param_groups[0]['lr'] after scheduler.step(): each entry is the next batch's lr."""
CAUGHT_BY = "test_train_with_schedule_steps_per_batch"
MESSAGE_MENTIONS = "next batch's lr"
MESSAGE_MENTIONS_KO = "다음 배치의 학습률"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def train_with_schedule(model, batches, epochs, lr, warmup_steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = warmup_cosine_schedule(optimizer, warmup_steps, epochs * len(batches))
    used = []
    for _ in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            scheduler.step()
            used.append(optimizer.param_groups[0]["lr"])
    return used
