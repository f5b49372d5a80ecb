"""Logs the running mean of the epoch's losses at every step instead of the batch's own loss."""
CAUGHT_BY = "test_log_training_logs_each_steps_loss"
MESSAGE_MENTIONS = "running mean"
MESSAGE_MENTIONS_KO = "누적 평균"
MESSAGE_MENTIONS_KO = "누적 평균"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference


def log_training(log_dir, model, loader, loss_fn, optimizer, epochs):
    writer = SummaryWriter(log_dir)  # noqa: F405
    step = 0
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for i, (x, y) in enumerate(loader):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item()
            writer.add_scalar("Loss/train", total / (i + 1), step)
            step += 1
        for name, param in model.named_parameters():
            writer.add_histogram(f"weights/{name}", param, epoch + 1)
    writer.close()
