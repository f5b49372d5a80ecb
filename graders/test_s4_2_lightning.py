"""4.2 PyTorch Lightning: the promises of exercises/s4_2_lightning.py.

One training run (the module-scoped `fitted` fixture: the student's Trainer fits the student's
module on the student's DataModule, in a temporary folder) feeds the checks on logs, checkpoints,
reloading and convergence.
"""
import csv
import math
from pathlib import Path

import lightning
import pytest
import torch
from lightning.pytorch.accelerators import CPUAccelerator
from lightning.pytorch.callbacks import ModelCheckpoint, ModelSummary
from lightning.pytorch.loggers import CSVLogger
from torch.nn import functional as F

from graders.support.assertions import assert_tensor, check, expect_tensor, expect_type
from graders.support.data import digits

MAX_EPOCHS = 5
MIN_VAL_ACC = 0.88   # the reference reaches 0.94-0.96 after 5 epochs over seeds
LOG_HINT = ("Log with self.log('train_loss', loss) in training_step and self.log('val_loss', ...) and "
            "self.log('val_acc', ...) in validation_step, under exactly these names: ModelCheckpoint(monitor="
            "'val_loss') can only watch what validation_step logs.")


class _Fit:
    def __init__(self, root):
        self.root, self.trainer, self.error = root, None, None

    def require(self):
        """The fitted trainer; a failure to build or fit it fails the check with what was raised."""
        if isinstance(self.error, NotImplementedError):
            raise self.error
        if self.error is not None:
            text = str(self.error).strip().splitlines()
            text = " ".join(text)[:400] if text else ""
            raise AssertionError(f"make_trainer(...).fit(DigitsClassifier(), datamodule=DigitsDataModule()) raised "
                                 f"{type(self.error).__name__}: {text}\nHint: {LOG_HINT}")
        return self.trainer

    def metrics(self):
        trainer = self.require()
        path = Path(trainer.logger.log_dir) / "metrics.csv"
        check(path.is_file(), f"no metrics.csv in the logger's folder {trainer.logger.log_dir}.",
              "Pass logger=CSVLogger(save_dir=log_dir, name='digits') to the Trainer.")
        with open(path, newline="") as handle:
            return list(csv.DictReader(handle))

    def per_epoch(self, name):
        """{epoch: value} of a metric logged once per epoch."""
        rows = [row for row in self.metrics() if row.get(name) not in (None, "")]
        return {int(row["epoch"]): float(row[name]) for row in rows}


@pytest.fixture(scope="module")
def fitted(impl, tmp_path_factory):
    fit = _Fit(tmp_path_factory.mktemp("lightning_run"))
    torch.manual_seed(0)
    try:
        trainer = impl.make_trainer(str(fit.root), MAX_EPOCHS)
        trainer.fit(impl.DigitsClassifier(), datamodule=impl.DigitsDataModule(batch_size=64, seed=0))
        fit.trainer = trainer
    except Exception as error:  # noqa: BLE001 - reported by each check that needs the run
        fit.error = error
    return fit


def _optimizers(returned):
    """The optimizers in anything configure_optimizers may return."""
    if isinstance(returned, torch.optim.Optimizer):
        return [returned]
    if isinstance(returned, dict):
        return _optimizers(returned.get("optimizer"))
    if isinstance(returned, (list, tuple)) and returned:
        first = returned[0]
        return [o for item in (first if isinstance(first, (list, tuple)) else returned) for o in _optimizers(item)]
    return []


# -- the pieces, without training -----------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.numerics
def test_classes_are_lightning_2_classes(impl):
    model, data = impl.DigitsClassifier(), impl.DigitsDataModule()
    for obj, base in ((model, lightning.LightningModule), (data, lightning.LightningDataModule)):
        check(isinstance(obj, base),
              f"{type(obj).__name__} should subclass lightning.{base.__name__}; its bases are "
              f"{[f'{b.__module__}.{b.__name__}' for b in type(obj).__mro__[1:4]]}.",
              "Import it as `import lightning as L` and subclass L.LightningModule / L.LightningDataModule: the "
              "classes of the older pytorch_lightning package are different classes, refused by lightning's Trainer.")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_datamodule_shuffles_train_and_keeps_val_order(impl):
    data = impl.DigitsDataModule(batch_size=32, seed=3)
    data.setup("fit")
    _, _, x_val, y_val = digits(seed=3)
    train, val = data.train_dataloader(), data.val_dataloader()
    check(len(train.dataset) + len(val.dataset) == 1797 and len(val.dataset) == len(y_val),
          f"DigitsDataModule(seed=3) should split the 1797 digits into {1797 - len(y_val)} / {len(y_val)}, got "
          f"{len(train.dataset)} / {len(val.dataset)}.", "Use load_digits_tensors(self.seed) in setup.")
    x, y = next(iter(train))
    check(tuple(x.shape) == (32, 64) and x.dtype == torch.float32 and y.dtype == torch.int64,
          f"a training batch should be float32 (32, 64) images and int64 labels, got {x.dtype} {tuple(x.shape)} "
          f"and {y.dtype}.", "Pass batch_size=self.batch_size to the DataLoader.")
    firsts = [next(iter(data.train_dataloader()))[1] for _ in range(3)]
    check(any(not torch.equal(firsts[0], other) for other in firsts[1:]),
          "the training loader gives the same first batch on every pass: it does not shuffle.",
          "train_dataloader should return DataLoader(..., shuffle=True).")
    got = torch.cat([batch[1] for batch in data.val_dataloader()])
    assert_tensor(got, y_val, "the validation labels in loader order",
                  hint="val_dataloader should not shuffle (shuffle=False, the default) and use the validation split.")


@pytest.mark.points(2)
@pytest.mark.gradients
def test_training_step_returns_cross_entropy(impl):
    model = impl.DigitsClassifier(hidden=32, lr=0.01, dropout=0.5)
    x, y, _, _ = digits(seed=1)
    x, y = x[:16], y[:16]
    model.train()
    check(not torch.equal(model(x), model(x)),
          "in training mode two forward passes gave the same logits: the model has no dropout.",
          "Put nn.Dropout(dropout) after the hidden layer's activation.")
    model.eval()
    logits = expect_tensor(model(x), "model(x)")
    check(tuple(logits.shape) == (16, 10), f"model(x) for 16 digits should be (16, 10) logits, got {tuple(logits.shape)}.")
    loss = expect_tensor(model.training_step((x, y), 0), "training_step(batch, 0)",
                         "Return the loss tensor from training_step: Lightning calls backward on it.")
    assert_tensor(loss.detach(), F.cross_entropy(logits, y).detach(), "training_step's loss (model in eval mode)",
                  hint="Use F.cross_entropy(self(x), y) on the raw logits, with no softmax before it.")
    loss.backward()
    missing = [name for name, p in model.named_parameters() if p.grad is None]
    check(not missing, f"after training_step's loss.backward(), these parameters got no gradient: {missing}.",
          "Compute the loss from self(x) without detach() or torch.no_grad().")


@pytest.mark.points(1)
@pytest.mark.numerics
def test_configure_optimizers_returns_adam_over_all_parameters(impl):
    model = impl.DigitsClassifier(hidden=16, lr=0.03)
    returned = model.configure_optimizers()
    optimizers = _optimizers(returned)
    check(len(optimizers) == 1, f"configure_optimizers() should return one optimizer, got {returned!r}.",
          "End configure_optimizers with `return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)`: "
          "without the return Lightning trains with no optimizer at all.")
    optimizer = optimizers[0]
    covered = {id(p) for group in optimizer.param_groups for p in group["params"]}
    check(isinstance(optimizer, torch.optim.Adam) and covered == {id(p) for p in model.parameters()},
          f"configure_optimizers() returned a {type(optimizer).__name__} over {len(covered)} of the model's "
          f"{len(list(model.parameters()))} parameter tensors; expected Adam over all of them.",
          "Pass self.parameters() to torch.optim.Adam.")
    lrs = {group["lr"] for group in optimizer.param_groups}
    check(lrs == {0.03}, f"DigitsClassifier(lr=0.03).configure_optimizers() uses lr {sorted(lrs)}.",
          "Keep the lr argument (self.save_hyperparameters() stores it as self.hparams.lr).")


@pytest.mark.points(2)
@pytest.mark.device
def test_trainer_is_quiet_bounded_and_on_cpu(impl, tmp_path):
    trainer = expect_type(impl.make_trainer(str(tmp_path), 3), lightning.Trainer, "make_trainer(log_dir, 3)",
                          "Build the trainer with lightning.Trainer (import lightning as L; L.Trainer(...)).")
    logger = trainer.logger
    check(isinstance(logger, CSVLogger) and Path(logger.save_dir).resolve() == tmp_path.resolve(),
          f"the Trainer's logger should be a CSVLogger saving under log_dir ({tmp_path}), got "
          f"{type(logger).__name__} saving under {getattr(logger, 'save_dir', None)}.",
          "logger=CSVLogger(save_dir=log_dir, name='digits'): every file of a run goes under log_dir.")
    facts = {"max_epochs": trainer.max_epochs, "accelerator": type(trainer.accelerator).__name__,
             "devices": trainer.num_devices, "progress bar": trainer.progress_bar_callback is not None,
             "model summary": any(isinstance(c, ModelSummary) for c in trainer.callbacks),
             "sanity validation steps": trainer.num_sanity_val_steps}
    want = {"max_epochs": 3, "accelerator": CPUAccelerator.__name__, "devices": 1, "progress bar": False,
            "model summary": False, "sanity validation steps": 0}
    for key in want:
        check(facts[key] == want[key], f"make_trainer(log_dir, 3): {key} should be {want[key]!r}, got {facts[key]!r}.",
              "L.Trainer(accelerator='cpu', devices=1, max_epochs=max_epochs, enable_progress_bar=False, "
              "enable_model_summary=False, num_sanity_val_steps=0, ...).")


# -- the training run -----------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.numerics
def test_metrics_csv_has_expected_names(impl, fitted):
    rows = fitted.metrics()
    columns = sorted({key for row in rows for key, value in row.items() if value not in (None, "")})
    for name in ("train_loss", "val_loss", "val_acc"):
        check(name in columns, f"metrics.csv has no values in a column named {name!r}; its columns are {columns}.",
              LOG_HINT)
    for name in ("val_loss", "val_acc"):
        epochs = sorted(fitted.per_epoch(name))
        check(epochs == list(range(MAX_EPOCHS)),
              f"{name} should be logged once per epoch for {MAX_EPOCHS} epochs, found it for epochs {epochs}.",
              "Log it in validation_step (on_epoch is the default there), and train for max_epochs epochs.")


@pytest.mark.points(3)
@pytest.mark.numerics
def test_best_checkpoint_has_lowest_val_loss(impl, fitted):
    trainer = fitted.require()
    callback = trainer.checkpoint_callback
    hint = ("Pass callbacks=[ModelCheckpoint(monitor='val_loss', mode='min', save_top_k=1)] to the Trainer; "
            "a loss is best when lowest (mode='min').")
    check(isinstance(callback, ModelCheckpoint) and callback.monitor == "val_loss",
          f"the Trainer's checkpoint callback monitors {getattr(callback, 'monitor', None)!r}, not 'val_loss' (a "
          "ModelCheckpoint left out of the Trainer's callbacks is replaced by a default one that monitors nothing).",
          hint)
    val_loss = fitted.per_epoch("val_loss")
    best_epoch = min(val_loss, key=val_loss.get)
    path = Path(callback.best_model_path)
    check(path.is_file() and fitted.root.resolve() in path.resolve().parents,
          f"the best checkpoint should be a file under log_dir ({fitted.root}), got {str(path)!r}.", hint)
    saved_epoch = torch.load(path, map_location="cpu", weights_only=False)["epoch"]
    check(saved_epoch == best_epoch,
          f"the best checkpoint was saved at epoch {saved_epoch} (val_loss {val_loss.get(saved_epoch)}), but the "
          f"lowest val_loss in metrics.csv is {val_loss[best_epoch]:.4f} at epoch {best_epoch}.\n"
          f"val_loss per epoch: { {e: round(v, 4) for e, v in val_loss.items()} }", hint)


@pytest.mark.points(2)
@pytest.mark.numerics
def test_reloaded_checkpoint_reproduces_outputs(impl, fitted):
    path = fitted.require().checkpoint_callback.best_model_path
    saved = torch.load(path, map_location="cpu", weights_only=False)
    reference = impl.DigitsClassifier(**saved.get("hyper_parameters", {}))
    reference.load_state_dict(saved["state_dict"])
    reference.eval()
    _, _, x_val, _ = digits(seed=0)
    with torch.no_grad():
        expected = reference(x_val)
    loaded = impl.load_best(path)
    check(isinstance(loaded, impl.DigitsClassifier), f"load_best should return a DigitsClassifier, got "
                                                     f"{type(loaded).__name__}.")
    check(not loaded.training, "load_best returned a model in training mode: dropout is still on, so its "
                               "predictions are random.",
          "load_from_checkpoint returns the module in training mode: call .eval() on it before returning.")
    with torch.no_grad():
        got = loaded(x_val)
    assert_tensor(got, expected, "load_best(path)(x_val) against the checkpoint's weights",
                  hint="Use DigitsClassifier.load_from_checkpoint(path) and .eval().")


@pytest.mark.points(2)
@pytest.mark.convergence
def test_training_converges(impl, fitted):
    val_loss, val_acc = fitted.per_epoch("val_loss"), fitted.per_epoch("val_acc")
    check(len(val_acc) > 0 and len(val_loss) > 0, "metrics.csv holds no val_acc / val_loss values.", LOG_HINT)
    last = max(val_acc)
    check(val_acc[last] >= MIN_VAL_ACC and math.isfinite(val_loss[last]) and val_loss[last] < 0.5 * val_loss[0],
          f"after {MAX_EPOCHS} epochs val_acc is {val_acc[last]:.3f} (expected at least {MIN_VAL_ACC}) and val_loss "
          f"went from {val_loss[0]:.3f} to {val_loss[last]:.3f} (expected below half of the first).",
          "Check that configure_optimizers returns the optimizer (returning None trains nothing), that the "
          "loss is cross-entropy on logits, and that lr is used.")


# -- with CUDA ------------------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
def test_trains_on_cuda(impl, tmp_path):
    torch.manual_seed(0)
    trainer = impl.make_trainer(str(tmp_path), 2, accelerator="gpu")
    trainer.fit(impl.DigitsClassifier(), datamodule=impl.DigitsDataModule())
    check(trainer.strategy.root_device.type == "cuda",
          f"make_trainer(..., accelerator='gpu') trained on {trainer.strategy.root_device}.",
          "Pass accelerator=accelerator to L.Trainer.")
    acc = float(trainer.callback_metrics.get("val_acc", float("nan")))
    check(acc >= 0.8, f"after 2 epochs on the GPU val_acc is {acc:.3f}, expected at least 0.8.")
