"""log_training clears the gradients after optimizer.step() instead of first: its first step trains on what an
earlier backward left in .grad."""
CAUGHT_BY = "test_log_training_logs_each_steps_loss"
MESSAGE_MENTIONS = "runs after optimizer.step() instead of first"
MESSAGE_MENTIONS_KO = "optimizer.step() 뒤에 실행되어"
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
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            writer.add_scalar("Loss/train", loss.item(), step)
            step += 1
        for name, param in model.named_parameters():
            writer.add_histogram(f"weights/{name}", param, epoch + 1)
    writer.close()
