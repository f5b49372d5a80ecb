"""log_training never calls writer.close(): events still queued in the writer's thread may never reach the file."""
CAUGHT_BY = "test_log_training_logs_each_steps_loss"
MESSAGE_MENTIONS = "writer.close() was never called"
MESSAGE_MENTIONS_KO = "writer.close()를 호출하지 않아"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401
from torch.utils.tensorboard import SummaryWriter  # noqa: E402


def log_training(log_dir, model, loader, loss_fn, optimizer, epochs):
    writer = SummaryWriter(log_dir)
    device = _device_of(model)
    step = 0
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            writer.add_scalar("Loss/train", loss.item(), step)
            step += 1
        for name, param in model.named_parameters():
            writer.add_histogram(f"weights/{name}", param, epoch + 1)
