"""Records each batch's lr as a tensor (torch.tensor(scheduler.get_last_lr()[0])), not the Python float the docstring
promises."""
CAUGHT_BY = "test_train_with_schedule_steps_per_batch"
MESSAGE_MENTIONS = "should return Python floats"
MESSAGE_MENTIONS_KO = "Python float 하나씩을 반환해야"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def train_with_schedule(model, batches, epochs, lr, warmup_steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)  # noqa: F405
    scheduler = warmup_cosine_schedule(optimizer, warmup_steps, epochs * len(batches))  # noqa: F405
    used = []
    for _ in range(epochs):
        for x, y in batches:
            used.append(torch.tensor(scheduler.get_last_lr()[0]))  # noqa: F405
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()  # noqa: F405
            optimizer.step()
            scheduler.step()
    return used
