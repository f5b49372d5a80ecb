"""`ptgrade run 5.1`: train the student's ResNet on CIFAR-10 with their data pipeline, schedule and tuning.

The real CIFAR-10 (from --data, `DEFAULT_ROOT` or a download) on a CUDA GPU, or with `--smoke` the kit's small
generated CIFAR-format archive (ptgrade/items/s5_1_resnet_cifar10.py), read by torchvision's own CIFAR10 code.
"""
from __future__ import annotations

import time
from pathlib import Path

from torchvision.datasets import CIFAR10

from ptgrade.i18n import _
from ptgrade.items.s5_1_resnet_cifar10 import DEFAULT_ROOT, GeneratedCIFAR10, write_cifar_archive
from ptgrade.runs import Report, RunOptions, RunProblem


class _Ticking:
    """A loader that advances a progress bar at every batch it yields (what the student's loop iterates)."""

    def __init__(self, loader, step):
        self.loader, self.step, self.dataset = loader, step, loader.dataset

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        for batch in self.loader:
            yield batch
            self.step()


# -- the real run --------------------------------------------------------------------------------------------
# The search: search_trials configurations drawn from SEARCH_SPACE with the student's sample_config, then their
# successive_halving with eta 2 from search_epochs short epochs (each on a fifth of the training split): the full
# run spends 4 x 1 + 2 x 2 = 8 short epochs (about 1.6 epochs of CIFAR-10), the smoke run 2 x 1.
SMOKE = {"num_blocks": (1, 1, 1), "widths": (8, 16, 32), "epochs": 2, "batch_size": 20, "search_epochs": 1,
         "search_trials": 2}
SMOKE_ARCHIVE = {"train_per_class": 20, "test_per_class": 10}
FULL = {"num_blocks": (2, 2, 2, 2), "widths": (64, 128, 256, 512), "epochs": 40, "batch_size": 256,
        "search_epochs": 1, "search_trials": 4}
SEARCH_SPACE = {"lr": ("log_uniform", 0.02, 0.4), "weight_decay": ("log_uniform", 1e-4, 1e-3)}
SEARCH_ETA = 2


def _datasets(student, options: RunOptions, report: Report):
    """(train, test, dataset class) from the student's cifar10_datasets, on the real data or the kit's."""
    if options.smoke:
        root = options.out / "smoke-data"
        if not (root / "cifar-10-batches-py" / "test_batch").is_file():
            write_cifar_archive(root, seed=options.seed, **SMOKE_ARCHIVE)
        return (*student.cifar10_datasets(root, dataset_class=GeneratedCIFAR10), "generated CIFAR-format data")
    root = options.data or DEFAULT_ROOT
    present = (Path(root) / CIFAR10.base_folder / "test_batch").is_file()
    if options.data is not None and not present:
        raise RunProblem(_("{root} holds no cifar-10-batches-py folder; pass --data PATH to the folder that contains "
                           "cifar-10-batches-py (the extracted cifar-10-python.tar.gz).").format(root=root))
    if options.device != "cuda" and not present:
        raise RunProblem(_("A real run needs CIFAR-10 (not in {root}) and a CUDA GPU: on a machine with a GPU pass "
                           "--data PATH to a folder with cifar-10-batches-py (or have internet to download it), or "
                           "pass --smoke to run the same pipeline on the kit's small generated data here.").format(
            root=root))
    if options.device != "cuda":
        raise RunProblem(_("Training a ResNet on CIFAR-10 needs a CUDA GPU (days on a CPU); run it on a machine with "
                           "one, or pass --smoke to run the same pipeline on the kit's small generated data here."))
    try:
        train, test = student.cifar10_datasets(root, download=not present)
    except (OSError, RuntimeError) as error:
        if present:
            raise
        raise RunProblem(_("CIFAR-10 is not in {root} and could not be downloaded ({error}); pass --data PATH to a "
                           "folder with cifar-10-batches-py, or run on a machine with internet.").format(
            root=root, error=type(error).__name__)) from None
    report.say(_("CIFAR-10 from {root}").format(root=root))
    return train, test, "CIFAR-10"


def _split_validation(train, test, fraction: float, seed: int):
    """A seeded train/validation split of the training set for the search (the test set is never searched on); the
    validation images go through the test transform (no augmentation)."""
    import copy

    import torch
    from torch.utils.data import Subset
    order = torch.randperm(len(train), generator=torch.Generator().manual_seed(seed)).tolist()
    n_val = max(1, int(len(train) * fraction))
    plain = copy.copy(train)
    plain.transform = getattr(test, "transform", None)
    return Subset(train, order[n_val:]), Subset(plain, order[:n_val])


def _loader(dataset, batch_size: int, shuffle: bool, seed: int, device: str):
    import torch
    from torch.utils.data import DataLoader
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=False,
                      generator=torch.Generator().manual_seed(seed), num_workers=4 if device == "cuda" else 0,
                      pin_memory=device == "cuda", persistent_workers=False)


def _build(student, setup: dict, config: dict, steps: int, device: str, seed: int):
    import torch
    torch.manual_seed(seed)
    model = student.ResNet(num_blocks=setup["num_blocks"], widths=setup["widths"], num_classes=10).to(device)
    if device == "cuda":
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=0.9, nesterov=True,
                                weight_decay=config["weight_decay"])
    scheduler = student.warmup_cosine_scheduler(optimizer, total_steps=steps, warmup_steps=max(1, steps // 20))
    return model, optimizer, scheduler


def _search(student, setup, train, test, options, report):
    """The student's tuning: configurations drawn from SEARCH_SPACE with their sample_config (a generator seeded with
    the run's seed), then their successive_halving, each candidate trained from scratch for its budget of short
    epochs and scored on a validation split (the test set is never searched on)."""
    import torch
    part, val = _split_validation(train, test, 0.1, options.seed)
    if not options.smoke:  # a short epoch: a fifth of the training images
        from torch.utils.data import Subset
        part = Subset(part, list(range(len(part) // 5)))
    train_loader = _loader(part, setup["batch_size"], True, options.seed, options.device)
    val_loader = _loader(val, 512, False, 0, options.device)
    spent = []

    def train_for(config, budget):
        budget = int(budget)
        spent.append(budget)
        lr, weight_decay = f"{config['lr']:.3g}", f"{config['weight_decay']:.3g}"
        model, optimizer, scheduler = _build(student, setup, config, budget * len(train_loader), options.device,
                                             options.seed)
        for epoch in range(budget):
            with report.progress(_("search lr={lr} {epoch}/{epochs}").format(lr=lr, epoch=epoch + 1, epochs=budget),
                                 total=len(train_loader)) as step:
                student.train_one_epoch(model, _Ticking(train_loader, step), optimizer, scheduler)
        val_loss, val_acc = student.evaluate(model, val_loader)
        report.say(_("  lr={lr}, weight decay {weight_decay}, {epochs} short epochs: validation accuracy "
                     "{accuracy:.3f}").format(lr=lr, weight_decay=weight_decay, epochs=budget, accuracy=val_acc))
        return {"val_loss": val_loss, "val_acc": val_acc}

    generator = torch.Generator().manual_seed(options.seed)
    configs = [student.sample_config(SEARCH_SPACE, generator) for _ in range(setup["search_trials"])]
    best, _history = student.successive_halving(configs, train_for, setup["search_epochs"], SEARCH_ETA)
    report.say(_("successive halving over {count} sampled configurations: {epochs} short epochs in all").format(
        count=len(configs), epochs=sum(spent)))
    report.say(_("search picked {best}").format(best={key: float(f"{value:.3g}") if isinstance(value, float) else value
                                                      for key, value in dict(best).items()}))
    return dict(best)


def run(student, options: RunOptions, report: Report) -> dict:
    import torch
    setup = dict(SMOKE if options.smoke else FULL)
    if options.smoke and options.device == "cpu":
        torch.set_num_threads(1)  # a model this small gains nothing from more threads, and loses much on a busy CPU
    if options.epochs:
        setup["epochs"] = options.epochs
    train, test, source = _datasets(student, options, report)
    checkpoint = report.load_checkpoint()
    if checkpoint is not None and checkpoint.get("setup") != {k: list(v) if isinstance(v, tuple) else v
                                                              for k, v in setup.items() if k != "epochs"}:
        report.say(_("{path} is from another setup; starting again.").format(path=report.checkpoint))
        checkpoint = None
    config = checkpoint["config"] if checkpoint else _search(student, setup, train, test, options, report)
    train_loader = _loader(train, setup["batch_size"], True, options.seed, options.device)
    test_loader = _loader(test, 512, False, 0, options.device)
    total_steps = setup["epochs"] * len(train_loader)
    model, optimizer, scheduler = _build(student, setup, config, total_steps, options.device, options.seed)
    history = {"train_loss": [], "test_loss": [], "test_acc": [], "seconds": []}
    start = 0
    if checkpoint is not None:
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        history, start = checkpoint["history"], checkpoint["epoch"]
        report.say(_("Resuming from {path} after epoch {epoch} of {epochs}.").format(
            path=report.checkpoint, epoch=start, epochs=setup["epochs"]))
    elapsed = history["seconds"][-1] if history["seconds"] else 0.0
    for epoch in range(start, setup["epochs"]):
        torch.manual_seed(options.seed * 1000 + epoch)  # augmentation and order depend only on the epoch
        train_loader.generator.manual_seed(options.seed * 1000 + epoch)
        began = time.perf_counter()
        with report.progress(_("epoch {epoch}/{epochs}").format(epoch=epoch + 1, epochs=setup["epochs"]),
                             total=len(train_loader)) as step:
            train_loss = student.train_one_epoch(model, _Ticking(train_loader, step), optimizer, scheduler)
        if options.device == "cuda":
            torch.cuda.synchronize()
        elapsed += time.perf_counter() - began
        test_loss, test_acc = student.evaluate(model, test_loader)
        for key, value in (("train_loss", train_loss), ("test_loss", test_loss), ("test_acc", test_acc),
                           ("seconds", elapsed)):
            history[key].append(float(value))
        report.say(_("epoch {epoch}: train loss {train_loss:.4f}, test loss {test_loss:.4f}, test accuracy "
                     "{accuracy:.4f} ({seconds:.0f} s of training)").format(
            epoch=epoch + 1, train_loss=train_loss, test_loss=test_loss, accuracy=test_acc, seconds=elapsed))
        report.save_checkpoint({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                "scheduler": scheduler.state_dict(), "epoch": epoch + 1, "config": config,
                                "history": history, "setup": {k: list(v) if isinstance(v, tuple) else v
                                                              for k, v in setup.items() if k != "epochs"}})
    report.plot("loss", {"train": history["train_loss"], "test": history["test_loss"]}, "epoch", "cross-entropy")
    report.plot("accuracy", {"test": history["test_acc"]}, "epoch", "accuracy")
    _save_samples(train, report.out / "samples.png")
    reached = next((s for s, a in zip(history["seconds"], history["test_acc"]) if a >= 0.94), None)
    return {"data": source, "device": options.device, "epochs": len(history["test_acc"]),
            "best lr": config["lr"], "test accuracy": history["test_acc"][-1],
            "best test accuracy": max(history["test_acc"]), "training seconds": history["seconds"][-1],
            "seconds to 94%": reached if reached is not None else "not reached"}


def _save_samples(dataset, path: Path, count: int = 32) -> None:
    """A grid of augmented training images, un-normalised per image to [0, 1] for viewing."""
    import torch
    from torchvision.utils import save_image
    images = torch.stack([dataset[i][0] for i in range(min(count, len(dataset)))])
    low = images.amin(dim=(1, 2, 3), keepdim=True)
    high = images.amax(dim=(1, 2, 3), keepdim=True)
    save_image((images - low) / (high - low + 1e-8), path, nrow=8)
