"""Logs the histogram of each parameter's gradient under weights/<name> instead of the weights themselves."""
CAUGHT_BY = "test_log_training_logs_weight_histograms"
MESSAGE_MENTIONS = "param.grad"
MESSAGE_MENTIONS_KO = "변화도(param.grad)"
MESSAGE_MENTIONS_KO = "변화도(param.grad)의 히스토그램"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference


def log_training(log_dir, model, loader, loss_fn, optimizer, epochs):
    writer = SummaryWriter(log_dir)  # noqa: F405
    step = 0
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            writer.add_scalar("Loss/train", loss.item(), step)
            step += 1
        for name, param in model.named_parameters():
            writer.add_histogram(f"weights/{name}", param.grad, epoch + 1)
    writer.close()
