"""4.2 PyTorch Lightning: the promises of exercises/s4_2_lightning.py.

One training run (the module-scoped `fitted` fixture: the student's Trainer fits the student's
module on the student's DataModule, in a temporary folder) feeds the checks on logs, checkpoints,
reloading and convergence. Everything that needs a live Lightning object runs beside the student's
code (the @observation functions below) and reports facts; metrics.csv and the checkpoint are read
here, the checkpoint with torch.load(weights_only=True), and expected outputs are computed here
from the checkpoint's weights.
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

from graders.support.assertions import assert_tensor, check, expect_tensor
from graders.support.data import digits
from ptgrade.remote import WorkerProblem, observation

MAX_EPOCHS = 5
MIN_VAL_ACC = 0.88   # the reference reaches 0.94-0.96 after 5 epochs over seeds
LOG_HINT = ("Log with self.log('train_loss', loss) in training_step and self.log('val_loss', ...) and "
            "self.log('val_acc', ...) in validation_step, under exactly these names: ModelCheckpoint(monitor="
            "'val_loss') can only watch what validation_step logs.")


def _detached(value):
    return value.detach() if isinstance(value, torch.Tensor) else value


@observation
def fit_digits(impl, root, max_epochs, accelerator=None):
    """make_trainer(root, max_epochs).fit(DigitsClassifier(), datamodule=DigitsDataModule(...)) after
    torch.manual_seed(0): where the trainer logged, what its checkpoint callback is and holds, the
    device it trained on and its last val_acc."""
    torch.manual_seed(0)
    if accelerator is None:
        trainer = impl.make_trainer(root, max_epochs)
        trainer.fit(impl.DigitsClassifier(), datamodule=impl.DigitsDataModule(batch_size=64, seed=0))
    else:
        trainer = impl.make_trainer(root, max_epochs, accelerator=accelerator)
        trainer.fit(impl.DigitsClassifier(), datamodule=impl.DigitsDataModule())
    callback = trainer.checkpoint_callback
    val_acc = trainer.callback_metrics.get("val_acc", float("nan"))
    logger = trainer.logger
    return {"log_dir": None if logger is None or logger.log_dir is None else str(logger.log_dir),
            "checkpoint": {"is_model_checkpoint": isinstance(callback, ModelCheckpoint),
                           "monitor": getattr(callback, "monitor", None),
                           "best_model_path": str(getattr(callback, "best_model_path", ""))},
            "root_device": str(trainer.strategy.root_device.type), "val_acc": float(val_acc)}


class _Fit:
    def __init__(self, root):
        self.root, self.facts, self.error = root, None, None

    def require(self):
        """What the fit reported; a failure to build or fit the trainer fails the check with what was raised."""
        if isinstance(self.error, NotImplementedError):
            raise self.error
        if self.error is not None:
            text = str(self.error).strip().splitlines()
            text = " ".join(text)[:400] if text else ""
            raise AssertionError(f"make_trainer(...).fit(DigitsClassifier(), datamodule=DigitsDataModule()) raised "
                                 f"{type(self.error).__name__}: {text}\nHint: {LOG_HINT}")
        return self.facts

    def metrics(self):
        log_dir = self.require()["log_dir"]
        check(log_dir is not None, "the Trainer has no logger, so no metrics.csv was written.",
              "Pass logger=CSVLogger(save_dir=log_dir, name='digits') to the Trainer.")
        path = Path(log_dir) / "metrics.csv"
        check(path.is_file(), f"no metrics.csv in the logger's folder {log_dir}.",
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
    try:
        fit.facts = fit_digits(impl, str(fit.root), MAX_EPOCHS)
    except WorkerProblem:  # a timeout or a crash: every check that needs the run reports it
        raise
    except Exception as error:  # noqa: BLE001 - reported by each check that needs the run
        fit.error = error
    return fit


@observation
def checkpoint_contents(impl, path):
    """The epoch and weights the student's Trainer saved at `path` (read where the file was written,
    for a checkpoint torch.load(weights_only=True) refuses)."""
    saved = torch.load(path, map_location="cpu", weights_only=False)
    return {"epoch": saved.get("epoch"), "state_dict": dict(saved.get("state_dict", {})),
            "hyper_parameters": dict(saved.get("hyper_parameters", {}))}


def _checkpoint(impl, path):
    """The checkpoint at `path`: read here when it holds data only, else by the student's process."""
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # noqa: BLE001 - objects weights_only refuses (custom hyper-parameters, say)
        return checkpoint_contents(impl, str(path))
    return {"epoch": saved.get("epoch"), "state_dict": dict(saved.get("state_dict", {})),
            "hyper_parameters": dict(saved.get("hyper_parameters", {}))}


def _mlp_outputs(state, x, hidden=None):
    """What the MLP 64 -> hidden -> ReLU -> 10 with these weights gives for x in eval mode (dropout
    off), computed here from the weights alone; None when they are not that MLP's weights."""
    tensors = [t for t in state.values() if isinstance(t, torch.Tensor) and t.is_floating_point()]
    if hidden is None:  # no saved hyper-parameters: the output layer says how wide the hidden layer is
        hidden = next((t.shape[1] for t in tensors if t.dim() == 2 and t.shape[0] == 10), None)

    def one(shape):
        found = [t for t in tensors if tuple(t.shape) == shape]
        return found[0] if len(found) == 1 else None

    w1, b1, w2, b2 = one((hidden, 64)), one((hidden,)), one((10, hidden)), one((10,))
    if hidden is None or any(t is None for t in (w1, b1, w2, b2)):
        return None
    return torch.relu(x @ w1.T + b1) @ w2.T + b2


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
@observation
def lightning_bases(impl):
    """For DigitsClassifier() and DigitsDataModule(): the Lightning 2 class it should subclass, whether
    it does, its class name and its first bases."""
    facts = []
    for obj, base in ((impl.DigitsClassifier(), lightning.LightningModule),
                      (impl.DigitsDataModule(), lightning.LightningDataModule)):
        facts.append({"base": base.__name__, "subclass": isinstance(obj, base), "type": type(obj).__name__,
                      "bases": [f"{b.__module__}.{b.__name__}" for b in type(obj).__mro__[1:4]]})
    return facts


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("The model and data module subclass Lightning 2 classes",
                   ko="모델과 데이터 모듈은 Lightning 2의 클래스를 상속합니다")
def test_classes_are_lightning_2_classes(impl):
    for facts in lightning_bases(impl):
        check(facts["subclass"],
              f"{facts['type']} should subclass lightning.{facts['base']}; its bases are {facts['bases']}.",
              "Import it as `import lightning as L` and subclass L.LightningModule / L.LightningDataModule: the "
              "classes of the older pytorch_lightning package are different classes, refused by lightning's Trainer.")


@observation
def datamodule_batches(impl, batch_size, seed):
    """DigitsDataModule(batch_size, seed) after setup('fit'): the split sizes, the first training
    batch, the labels of the first batch of three fresh training loaders, the validation labels in
    loader order."""
    data = impl.DigitsDataModule(batch_size=batch_size, seed=seed)
    data.setup("fit")
    train, val = data.train_dataloader(), data.val_dataloader()
    return {"train_size": len(train.dataset), "val_size": len(val.dataset), "first": next(iter(train)),
            "firsts": [next(iter(data.train_dataloader()))[1] for _ in range(3)],
            "val_labels": torch.cat([batch[1] for batch in data.val_dataloader()])}


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("DigitsDataModule shuffles training data and keeps validation order",
                   ko="DigitsDataModule은 학습 데이터를 섞고 검증 데이터의 순서는 유지합니다")
def test_datamodule_shuffles_train_and_keeps_val_order(impl):
    _, _, x_val, y_val = digits(seed=3)
    facts = datamodule_batches(impl, 32, 3)
    train_size, val_size = facts["train_size"], facts["val_size"]
    check(train_size + val_size == 1797 and val_size == len(y_val),
          f"DigitsDataModule(seed=3) should split the 1797 digits into {1797 - len(y_val)} / {len(y_val)}, got "
          f"{train_size} / {val_size}.", "Use load_digits_tensors(self.seed) in setup.")
    x, y = facts["first"]
    check(tuple(x.shape) == (32, 64) and x.dtype == torch.float32 and y.dtype == torch.int64,
          f"a training batch should be float32 (32, 64) images and int64 labels, got {x.dtype} {tuple(x.shape)} "
          f"and {y.dtype}.", "Pass batch_size=self.batch_size to the DataLoader.")
    firsts = facts["firsts"]
    check(any(not torch.equal(firsts[0], other) for other in firsts[1:]),
          "the training loader gives the same first batch on every pass: it does not shuffle.",
          "train_dataloader should return DataLoader(..., shuffle=True).")
    assert_tensor(facts["val_labels"], y_val, "the validation labels in loader order",
                  hint="val_dataloader should not shuffle (shuffle=False, the default) and use the validation split.")


@observation
def training_step_facts(impl, x, y):
    """DigitsClassifier(hidden=32, lr=0.01, dropout=0.5) on x: two forward passes in training mode,
    the logits and training_step's loss in eval mode, and which parameters got no gradient from
    that loss's backward (or what backward raised)."""
    model = impl.DigitsClassifier(hidden=32, lr=0.01, dropout=0.5)
    model.train()
    facts = {"train_a": _detached(model(x)), "train_b": _detached(model(x))}
    model.eval()
    facts["logits"] = _detached(model(x))
    loss = model.training_step((x, y), 0)
    facts["loss"] = _detached(loss)
    if isinstance(loss, torch.Tensor):
        try:
            loss.backward()
        except RuntimeError as error:
            facts["backward_error"] = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:300]}"
        facts["missing"] = [name for name, p in model.named_parameters() if p.grad is None]
    return facts


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("training_step returns the cross-entropy loss of the batch",
                   ko="training_step은 배치의 교차 엔트로피 손실을 반환합니다")
def test_training_step_returns_cross_entropy(impl):
    x, y, _, _ = digits(seed=1)
    x, y = x[:16], y[:16]
    facts = training_step_facts(impl, x, y)
    check(not torch.equal(expect_tensor(facts["train_a"], "model(x)"), expect_tensor(facts["train_b"], "model(x)")),
          "in training mode two forward passes gave the same logits: the model has no dropout.",
          "Put nn.Dropout(dropout) after the hidden layer's activation.")
    logits = expect_tensor(facts["logits"], "model(x)")
    check(tuple(logits.shape) == (16, 10), f"model(x) for 16 digits should be (16, 10) logits, got {tuple(logits.shape)}.")
    loss = expect_tensor(facts["loss"], "training_step(batch, 0)",
                         "Return the loss tensor from training_step: Lightning calls backward on it.")
    assert_tensor(loss, F.cross_entropy(logits, y), "training_step's loss (model in eval mode)",
                  hint="Use F.cross_entropy(self(x), y) on the raw logits, with no softmax before it.")
    check("backward_error" not in facts,
          f"training_step's loss.backward() raised {facts.get('backward_error')}.",
          "Compute the loss from self(x) without detach() or torch.no_grad().")
    missing = facts["missing"]
    check(not missing, f"after training_step's loss.backward(), these parameters got no gradient: {missing}.",
          "Compute the loss from self(x) without detach() or torch.no_grad().")


@observation
def configured_optimizers(impl):
    """DigitsClassifier(hidden=16, lr=0.03).configure_optimizers(): what it returned, the optimizers in
    it and, for the first, its class, the parameters it covers and its learning rates."""
    model = impl.DigitsClassifier(hidden=16, lr=0.03)
    returned = model.configure_optimizers()
    optimizers = _optimizers(returned)
    facts = {"returned": repr(returned)[:500], "count": len(optimizers),
             "parameters": len(list(model.parameters()))}
    if optimizers:
        optimizer = optimizers[0]
        covered = {id(p) for group in optimizer.param_groups for p in group["params"]}
        facts.update(type=type(optimizer).__name__, adam=isinstance(optimizer, torch.optim.Adam),
                     covered=len(covered), covers_all=covered == {id(p) for p in model.parameters()},
                     lrs=list({group["lr"] for group in optimizer.param_groups}))
    return facts


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("configure_optimizers returns Adam over all parameters",
                   ko="configure_optimizers는 모든 매개변수에 대한 Adam 옵티마이저를 반환합니다")
def test_configure_optimizers_returns_adam_over_all_parameters(impl):
    facts = configured_optimizers(impl)
    check(facts["count"] == 1, f"configure_optimizers() should return one optimizer, got {facts['returned']}.",
          "End configure_optimizers with `return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)`: "
          "without the return Lightning trains with no optimizer at all.")
    check(facts["adam"] and facts["covers_all"],
          f"configure_optimizers() returned a {facts['type']} over {facts['covered']} of the model's "
          f"{facts['parameters']} parameter tensors; expected Adam over all of them.",
          "Pass self.parameters() to torch.optim.Adam.")
    lrs = set(facts["lrs"])
    check(lrs == {0.03}, f"DigitsClassifier(lr=0.03).configure_optimizers() uses lr {sorted(lrs)}.",
          "Keep the lr argument (self.save_hyperparameters() stores it as self.hparams.lr).")


@observation
def trainer_settings(impl, log_dir, max_epochs):
    """make_trainer(log_dir, max_epochs): its class, its logger and the settings the check looks at."""
    trainer = impl.make_trainer(log_dir, max_epochs)
    if not isinstance(trainer, lightning.Trainer):
        return {"trainer": False, "type": type(trainer).__name__}
    logger = trainer.logger
    save_dir = getattr(logger, "save_dir", None)
    return {"trainer": True, "type": type(trainer).__name__, "csv_logger": isinstance(logger, CSVLogger), "logger": type(logger).__name__,
            "save_dir": None if save_dir is None else str(save_dir),
            "facts": {"max_epochs": trainer.max_epochs, "accelerator": type(trainer.accelerator).__name__,
                      "devices": trainer.num_devices, "progress bar": trainer.progress_bar_callback is not None,
                      "model summary": any(isinstance(c, ModelSummary) for c in trainer.callbacks),
                      "sanity validation steps": trainer.num_sanity_val_steps}}


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("make_trainer builds a quiet CPU Trainer with a CSV logger",
                   ko="make_trainer는 CSV 로거를 쓰는 조용한 CPU Trainer를 만듭니다")
def test_trainer_is_quiet_bounded_and_on_cpu(impl, tmp_path):
    settings = trainer_settings(impl, str(tmp_path), 3)
    check(settings["trainer"], f"make_trainer(log_dir, 3) should be a Trainer, got {settings['type']}.",
          "Build the trainer with lightning.Trainer (import lightning as L; L.Trainer(...)).")
    save_dir = settings["save_dir"]
    check(settings["csv_logger"] and save_dir is not None and Path(save_dir).resolve() == tmp_path.resolve(),
          f"the Trainer's logger should be a CSVLogger saving under log_dir ({tmp_path}), got "
          f"{settings['logger']} saving under {save_dir}.",
          "logger=CSVLogger(save_dir=log_dir, name='digits'): every file of a run goes under log_dir.")
    facts = settings["facts"]
    want = {"max_epochs": 3, "accelerator": CPUAccelerator.__name__, "devices": 1, "progress bar": False,
            "model summary": False, "sanity validation steps": 0}
    for key in want:
        check(facts[key] == want[key], f"make_trainer(log_dir, 3): {key} should be {want[key]!r}, got {facts[key]!r}.",
              "L.Trainer(accelerator='cpu', devices=1, max_epochs=max_epochs, enable_progress_bar=False, "
              "enable_model_summary=False, num_sanity_val_steps=0, ...).")


# -- the training run -----------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("metrics.csv logs train_loss, val_loss and val_acc each epoch",
                   ko="metrics.csv에는 에폭마다 train_loss, val_loss, val_acc가 기록됩니다")
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
@pytest.mark.title("The best checkpoint is the one with the lowest val_loss",
                   ko="가장 좋은 체크포인트는 val_loss가 가장 낮은 체크포인트입니다")
def test_best_checkpoint_has_lowest_val_loss(impl, fitted):
    callback = fitted.require()["checkpoint"]
    hint = ("Pass callbacks=[ModelCheckpoint(monitor='val_loss', mode='min', save_top_k=1)] to the Trainer; "
            "a loss is best when lowest (mode='min').")
    check(callback["is_model_checkpoint"] and callback["monitor"] == "val_loss",
          f"the Trainer's checkpoint callback monitors {callback['monitor']!r}, not 'val_loss' (a "
          "ModelCheckpoint left out of the Trainer's callbacks is replaced by a default one that monitors nothing).",
          hint)
    val_loss = fitted.per_epoch("val_loss")
    best_epoch = min(val_loss, key=val_loss.get)
    path = Path(callback["best_model_path"])
    check(path.is_file() and fitted.root.resolve() in path.resolve().parents,
          f"the best checkpoint should be a file under log_dir ({fitted.root}), got {str(path)!r}.", hint)
    saved_epoch = _checkpoint(impl, path)["epoch"]
    check(saved_epoch == best_epoch,
          f"the best checkpoint was saved at epoch {saved_epoch} (val_loss {val_loss.get(saved_epoch)}), but the "
          f"lowest val_loss in metrics.csv is {val_loss[best_epoch]:.4f} at epoch {best_epoch}.\n"
          f"val_loss per epoch: { {e: round(v, 4) for e, v in val_loss.items()} }", hint)


@observation
def best_reloaded(impl, path, x):
    """load_best(path): whether it is a DigitsClassifier, its training flag, its outputs on x."""
    loaded = impl.load_best(path)
    facts = {"classifier": isinstance(loaded, impl.DigitsClassifier), "type": type(loaded).__name__}
    if facts["classifier"]:
        facts["training"] = bool(loaded.training)
        with torch.no_grad():
            facts["out"] = loaded(x)
    return facts


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("A reloaded checkpoint reproduces the model's outputs",
                   ko="다시 불러온 체크포인트는 모델의 출력을 그대로 재현합니다")
def test_reloaded_checkpoint_reproduces_outputs(impl, fitted):
    path = fitted.require()["checkpoint"]["best_model_path"]
    saved = _checkpoint(impl, path)
    _, _, x_val, _ = digits(seed=0)
    with torch.no_grad():
        expected = _mlp_outputs(saved["state_dict"], x_val, saved["hyper_parameters"].get("hidden"))
    check(expected is not None,
          "the best checkpoint's state_dict does not hold the weights of an MLP 64 -> hidden -> 10 (one Linear "
          f"layer of each): its tensors have the shapes "
          f"{ {k: tuple(v.shape) for k, v in saved['state_dict'].items() if isinstance(v, torch.Tensor)} }.",
          "DigitsClassifier is nn.Linear(64, hidden), ReLU, nn.Dropout(dropout), nn.Linear(hidden, 10).")
    loaded = best_reloaded(impl, path, x_val)
    check(loaded["classifier"], f"load_best should return a DigitsClassifier, got {loaded['type']}.")
    check(not loaded["training"], "load_best returned a model in training mode: dropout is still on, so its "
                                  "predictions are random.",
          "load_from_checkpoint returns the module in training mode: call .eval() on it before returning.")
    assert_tensor(loaded["out"], expected, "load_best(path)(x_val) against the checkpoint's weights",
                  hint="Use DigitsClassifier.load_from_checkpoint(path) and .eval().")


@pytest.mark.points(2)
@pytest.mark.convergence
@pytest.mark.title("Training raises val_acc and lowers val_loss",
                   ko="학습하면 val_acc는 오르고 val_loss는 내려갑니다")
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
@pytest.mark.title("make_trainer trains on CUDA when asked for the GPU",
                   ko="make_trainer는 GPU를 요청하면 CUDA에서 학습합니다")
def test_trains_on_cuda(impl, tmp_path):
    facts = fit_digits(impl, str(tmp_path), 2, "gpu")
    check(facts["root_device"] == "cuda",
          f"make_trainer(..., accelerator='gpu') trained on {facts['root_device']}.",
          "Pass accelerator=accelerator to L.Trainer.")
    acc = facts["val_acc"]
    check(acc >= 0.8, f"after 2 epochs on the GPU val_acc is {acc:.3f}, expected at least 0.8.")
