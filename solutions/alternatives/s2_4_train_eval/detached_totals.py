"""2.4 in another style: zero_grad after each step (set_to_none), detached tensor totals converted
once per epoch, inference_mode, an iterator loop, a history-based EarlyStopping, other checkpoint keys;
TensorBoard's writer as a context manager with the step computed from the epoch and batch index (the tutorial's
epoch * len(loader) + i); the curves read with torch's argmin in float64."""
import torch
from torch.utils.tensorboard import SummaryWriter


def accuracy(logits, targets):
    hits = torch.eq(torch.max(logits, dim=-1).indices, targets)
    return float(hits.sum()) / targets.numel()


def train_one_epoch(model, loader, loss_fn, optimizer):
    device = next(iter(model.parameters())).device
    model.train(True)
    optimizer.zero_grad(set_to_none=True)
    loss_sum = torch.zeros((), dtype=torch.float64)
    seen = 0
    batches = iter(loader)
    while True:
        try:
            inputs, labels = next(batches)
        except StopIteration:
            break
        inputs, labels = inputs.to(device, non_blocking=True), labels.to(device)
        batch_loss = loss_fn(model(inputs), labels)
        batch_loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss_sum += batch_loss.detach().double().cpu() * labels.shape[0]
        seen += labels.shape[0]
    return (loss_sum / seen).item()


@torch.inference_mode()
def evaluate(model, loader, loss_fn):
    model.train(False)
    device = next(iter(model.parameters())).device
    losses, hits, sizes = [], [], []
    for inputs, labels in loader:
        inputs, labels = inputs.to(device), labels.to(device)
        out = model(inputs)
        losses.append(loss_fn(out, labels).double() * len(labels))
        hits.append((out.argmax(-1) == labels).sum())
        sizes.append(len(labels))
    n = sum(sizes)
    return (torch.stack(losses).sum() / n).item(), torch.stack(hits).sum().item() / n


def log_training(log_dir, model, loader, loss_fn, optimizer, epochs):
    device = next(iter(model.parameters())).device
    with SummaryWriter(log_dir=str(log_dir)) as writer:
        for epoch in range(1, epochs + 1):
            model.train(True)
            for i, (inputs, labels) in enumerate(loader):
                optimizer.zero_grad(set_to_none=True)
                batch_loss = loss_fn(model(inputs.to(device)), labels.to(device))
                batch_loss.backward()
                optimizer.step()
                writer.add_scalar(tag="Loss/train", scalar_value=float(batch_loss.detach()),
                                  global_step=(epoch - 1) * len(loader) + i)
            for name, param in model.named_parameters():
                writer.add_histogram(tag="weights/" + name, values=param.detach().cpu(), global_step=epoch)


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.history = []
        self.best_epoch = None

    @property
    def best(self):
        return float("inf") if self.best_epoch is None else self.history[self.best_epoch]

    def step(self, val_loss):
        if val_loss < self.best - self.min_delta:
            self.best_epoch = len(self.history)
        self.history.append(val_loss)
        return len(self.history) - 1 - self.best_epoch >= self.patience


def overfitting_report(train_losses, val_losses):
    val = torch.tensor(val_losses, dtype=torch.float64)
    train = torch.tensor(train_losses, dtype=torch.float64)
    best = int(val.argmin())  # the first of equal minima
    went_up = bool(val[-1] > val[best])
    still_learning = bool(train[-1] < train[best])
    return best, went_up and still_learning


def save_checkpoint(path, model, optimizer, epoch):
    state = {"epochs_done": int(epoch), "weights": model.state_dict(), "optim": optimizer.state_dict()}
    with open(path, "wb") as handle:
        torch.save(state, handle)


def load_checkpoint(path, model, optimizer):
    with open(path, "rb") as handle:
        state = torch.load(handle, map_location="cpu", weights_only=True)
    model.load_state_dict(state["weights"])
    optimizer.load_state_dict(state["optim"])
    return state["epochs_done"]
