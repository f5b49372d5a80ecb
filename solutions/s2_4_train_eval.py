"""Reference solution for 2.4 (the task is in exercises/s2_4_train_eval.py)."""
from __future__ import annotations

import torch
from torch.utils.tensorboard import SummaryWriter


def _device_of(model):
    return next(model.parameters()).device


def accuracy(logits, targets):
    return (logits.argmax(dim=1) == targets).float().mean().item()


def train_one_epoch(model, loader, loss_fn, optimizer):
    model.train()
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count


def evaluate(model, loader, loss_fn):
    model.eval()
    device = _device_of(model)
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            total += loss_fn(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            count += len(y)
    return total / count, correct / count


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
    writer.close()


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.best = float("inf")
        self.bad_epochs = 0

    def step(self, val_loss):
        if val_loss < self.best - self.min_delta:
            self.best = val_loss
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
        return self.bad_epochs >= self.patience


def overfitting_report(train_losses, val_losses):
    best = min(range(len(val_losses)), key=lambda epoch: val_losses[epoch])
    overfitting = val_losses[-1] > val_losses[best] and train_losses[-1] < train_losses[best]
    return best, bool(overfitting)


def save_checkpoint(path, model, optimizer, epoch):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, map_location=_device_of(model))
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["epoch"]
