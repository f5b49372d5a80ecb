"""Logs Loss/train with the batch index of the epoch as its step: every epoch starts again at step 0 and the curve
folds back on itself."""
CAUGHT_BY = "test_log_training_logs_each_steps_loss"
MESSAGE_MENTIONS = "again at 0"
MESSAGE_MENTIONS_KO = "에폭마다 0부터 다시"
MESSAGE_MENTIONS_KO = "에폭마다 0부터 다시 셉니다"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference


def log_training(log_dir, model, loader, loss_fn, optimizer, epochs):
    writer = SummaryWriter(log_dir)  # noqa: F405
    for epoch in range(epochs):
        model.train()
        for step, (x, y) in enumerate(loader):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            writer.add_scalar("Loss/train", loss.item(), step)
        for name, param in model.named_parameters():
            writer.add_histogram(f"weights/{name}", param, epoch + 1)
    writer.close()
