"""Calls optimizer.zero_grad() between backward() and step(): every step finds no gradient and the model never changes."""
CAUGHT_BY = "test_train_with_schedule_steps_per_batch"
MESSAGE_MENTIONS = "between backward() and step()"
MESSAGE_MENTIONS_KO = "backward()와 step() 사이에 호출해서"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def train_with_schedule(model, batches, epochs, lr, warmup_steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = warmup_cosine_schedule(optimizer, warmup_steps, epochs * len(batches))
    used = []
    for _ in range(epochs):
        for x, y in batches:
            used.append(optimizer.param_groups[0]["lr"])
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.zero_grad()
            optimizer.step()
            scheduler.step()
    return used
