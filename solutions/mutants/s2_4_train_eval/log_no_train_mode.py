"""log_training never calls model.train(): a model handed over in eval mode (as evaluate() leaves it) trains
with BatchNorm on its running statistics, never updating them."""
CAUGHT_BY = "test_log_training_logs_each_steps_loss"
MESSAGE_MENTIONS = "log_training never calls model.train()"
MESSAGE_MENTIONS_KO = "log_training이 model.train()을 한 번도 호출하지 않습니다"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401
from torch.utils.tensorboard import SummaryWriter  # noqa: E402


def log_training(log_dir, model, loader, loss_fn, optimizer, epochs):
    writer = SummaryWriter(log_dir)
    device = _device_of(model)
    step = 0
    for epoch in range(epochs):
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
    writer.close()
