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
from collections.abc import Mapping
from pathlib import Path

import lightning
import pytest
import torch
from lightning.pytorch.accelerators import CPUAccelerator
from lightning.pytorch.callbacks import ModelCheckpoint, ModelSummary
from lightning.pytorch.loggers import CSVLogger
from torch.nn import functional as F

from graders.support import errors
from graders.support.assertions import assert_tensor, check, expect_tensor, say
from graders.support.data import digits
from ptgrade.remote import WorkerProblem, observation

MAX_EPOCHS = 5
MIN_VAL_ACC = 0.88   # the reference reaches 0.94-0.96 after 5 epochs over seeds
LOG_HINT = say("Log with self.log('train_loss', loss) in training_step and self.log('val_loss', ...) and "
               "self.log('val_acc', ...) in validation_step, under exactly these names: ModelCheckpoint(monitor="
               "'val_loss') can only watch what validation_step logs.",
               "training_step에서는 self.log('train_loss', loss)로, validation_step에서는 self.log('val_loss', ...)와 "
               "self.log('val_acc', ...)로, 정확히 이 이름으로 기록하세요: ModelCheckpoint(monitor='val_loss')는 "
               "validation_step이 기록한 값만 지켜볼 수 있습니다.")


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
        if self.error is not None and errors.passes_through(self.error):  # not started, or not the student's mistake
            raise self.error
        if self.error is not None:
            raise errors.raised("make_trainer(...).fit(DigitsClassifier(), datamodule=DigitsDataModule())", self.error,
                                LOG_HINT)
        return self.facts

    def metrics(self):
        log_dir = self.require()["log_dir"]
        check(log_dir is not None, say("the Trainer has no logger, so no metrics.csv was written.",
                                       "Trainer에 로거(logger)가 없어서 metrics.csv가 기록되지 않았습니다."),
              say("Pass logger=CSVLogger(save_dir=log_dir, name='digits') to the Trainer.",
                  "Trainer에 logger=CSVLogger(save_dir=log_dir, name='digits')를 넘기세요."))
        path = Path(log_dir) / "metrics.csv"
        check(path.is_file(), say(f"no metrics.csv in the logger's folder {log_dir}.",
                                  f"로거의 폴더 {log_dir}에 metrics.csv가 없습니다."),
              say("Pass logger=CSVLogger(save_dir=log_dir, name='digits') to the Trainer.",
                  "Trainer에 logger=CSVLogger(save_dir=log_dir, name='digits')를 넘기세요."))
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
              say(f"{facts['type']} should subclass lightning.{facts['base']}; its bases are {facts['bases']}.",
                  f"{facts['type']}은(는) lightning.{facts['base']}를 상속해야 하는데 부모 클래스가 {facts['bases']}입니다."),
              say("Import it as `import lightning as L` and subclass L.LightningModule / L.LightningDataModule: the "
                  "classes of the older pytorch_lightning package are different classes, refused by lightning's Trainer.",
                  "`import lightning as L`로 가져와 L.LightningModule / L.LightningDataModule을 상속하세요: 예전 "
                  "pytorch_lightning 패키지의 클래스는 다른 클래스여서 lightning의 Trainer가 받아들이지 않습니다."))


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
          say(f"DigitsDataModule(seed=3) should split the 1797 digits into {1797 - len(y_val)} / {len(y_val)}, got "
              f"{train_size} / {val_size}.",
              f"DigitsDataModule(seed=3)은 digits 1797개를 {1797 - len(y_val)} / {len(y_val)}로 나눠야 하는데 "
              f"{train_size} / {val_size}입니다."), say("Use load_digits_tensors(self.seed) in setup.",
                                             "setup에서 load_digits_tensors(self.seed)를 쓰세요."))
    x, y = facts["first"]
    check(tuple(x.shape) == (32, 64) and x.dtype == torch.float32 and y.dtype == torch.int64,
          say(f"a training batch should be float32 (32, 64) images and int64 labels, got {x.dtype} {tuple(x.shape)} "
              f"and {y.dtype}.",
              f"학습 배치는 float32 (32, 64) 이미지와 int64 레이블이어야 하는데 {x.dtype} {tuple(x.shape)}와 "
              f"{y.dtype}입니다."), say("Pass batch_size=self.batch_size to the DataLoader.",
                                 "DataLoader에 batch_size=self.batch_size를 넘기세요."))
    firsts = facts["firsts"]
    check(any(not torch.equal(firsts[0], other) for other in firsts[1:]),
          say("the training loader gives the same first batch on every pass: it does not shuffle.",
              "학습용 로더가 매번 같은 첫 배치를 줍니다: 데이터를 섞지 않고 있습니다."),
          say("train_dataloader should return DataLoader(..., shuffle=True).",
              "train_dataloader는 DataLoader(..., shuffle=True)를 반환해야 합니다."))
    assert_tensor(facts["val_labels"], y_val, say("the validation labels in loader order",
                                                  "로더 순서대로의 검증 레이블"),
                  hint=say("val_dataloader should not shuffle (shuffle=False, the default) and use the validation split.",
                           "val_dataloader는 섞지 말고(shuffle=False, 기본값) 검증용 데이터를 써야 합니다."))


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
    returned = model.training_step((x, y), 0)
    # Lightning's documented return forms: the loss Tensor, or a dict holding it under "loss".
    loss = returned.get("loss") if isinstance(returned, Mapping) else returned
    facts["loss"] = _detached(loss)
    if isinstance(loss, torch.Tensor):
        try:
            loss.backward()
        except RuntimeError as error:
            facts["backward_error"] = errors.summary(error)
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
          say("in training mode two forward passes gave the same logits: the model has no dropout.",
              "학습 모드에서 순전파(forward)를 두 번 했는데 로짓이 같습니다: 모델에 dropout이 없습니다."),
          say("Put nn.Dropout(dropout) after the hidden layer's activation.",
              "은닉층의 활성화 함수 뒤에 nn.Dropout(dropout)을 넣으세요."))
    logits = expect_tensor(facts["logits"], "model(x)")
    check(tuple(logits.shape) == (16, 10), say(f"model(x) for 16 digits should be (16, 10) logits, got {tuple(logits.shape)}.",
                                               f"digits 16개에 대한 model(x)는 (16, 10) 로짓이어야 하는데 {tuple(logits.shape)}입니다."))
    loss = expect_tensor(facts["loss"], say("the loss training_step(batch, 0) returns (a Tensor, or a dict's \"loss\")",
                                            "training_step(batch, 0)이 반환한 손실(텐서 또는 dict의 \"loss\")"),
                         say("Return the loss tensor from training_step (or a dict {'loss': loss}): Lightning calls "
                             "backward on it.",
                             "training_step에서 손실(loss) 텐서(또는 dict {'loss': loss})를 반환하세요: Lightning이 그 "
                             "텐서로 backward를 호출합니다."))
    assert_tensor(loss, F.cross_entropy(logits, y), say("training_step's loss (model in eval mode)",
                                                        "training_step의 손실(평가 모드의 모델)"),
                  hint=say("Use F.cross_entropy(self(x), y) on the raw logits, with no softmax before it.",
                           "softmax를 거치지 않은 로짓에 F.cross_entropy(self(x), y)를 쓰세요."))
    check("backward_error" not in facts,
          say(f"training_step's loss.backward() raised {facts.get('backward_error')}.",
              f"training_step 손실의 loss.backward()에서 {facts.get('backward_error')}이(가) 발생했습니다."),
          say("Compute the loss from self(x) without detach() or torch.no_grad().",
              "detach()나 torch.no_grad() 없이 self(x)로 손실을 계산하세요."))
    missing = facts["missing"]
    check(not missing, say(f"after training_step's loss.backward(), these parameters got no gradient: {missing}.",
                           f"training_step 손실의 loss.backward() 뒤에 다음 매개변수가 변화도(gradient)를 받지 못했습니다: {missing}."),
          say("Compute the loss from self(x) without detach() or torch.no_grad().",
              "detach()나 torch.no_grad() 없이 self(x)로 손실을 계산하세요."))


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
    check(facts["count"] == 1, say(f"configure_optimizers() should return one optimizer, got {facts['returned']}.",
                                   f"configure_optimizers()는 옵티마이저 하나를 반환해야 하는데 {facts['returned']}을(를) 반환했습니다."),
          say("End configure_optimizers with `return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)`: "
              "without the return Lightning trains with no optimizer at all.",
              "configure_optimizers를 `return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)`로 끝내세요: "
              "return이 없으면 Lightning은 옵티마이저 없이 학습합니다."))
    check(facts["adam"] and facts["covers_all"],
          say(f"configure_optimizers() returned a {facts['type']} over {facts['covered']} of the model's "
              f"{facts['parameters']} parameter tensors; expected Adam over all of them.",
              f"configure_optimizers()가 모델의 매개변수 텐서 {facts['parameters']}개 중 {facts['covered']}개에 대한 "
              f"{facts['type']}을(를) 반환했습니다. 모든 매개변수에 대한 Adam이어야 합니다."),
          say("Pass self.parameters() to torch.optim.Adam.",
              "torch.optim.Adam에 self.parameters()를 넘기세요."))
    lrs = set(facts["lrs"])
    check(lrs == {0.03}, say(f"DigitsClassifier(lr=0.03).configure_optimizers() uses lr {sorted(lrs)}.",
                             f"DigitsClassifier(lr=0.03).configure_optimizers()가 lr {sorted(lrs)}을(를) 씁니다."),
          say("Keep the lr argument (self.save_hyperparameters() stores it as self.hparams.lr).",
              "lr 인자를 그대로 쓰세요(self.save_hyperparameters()가 self.hparams.lr로 저장합니다)."))


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
    check(settings["trainer"], say(f"make_trainer(log_dir, 3) should be a Trainer, got {settings['type']}.",
                                   f"make_trainer(log_dir, 3)는 Trainer여야 하는데 {settings['type']}입니다."),
          say("Build the trainer with lightning.Trainer (import lightning as L; L.Trainer(...)).",
              "lightning.Trainer로 trainer를 만드세요(import lightning as L; L.Trainer(...))."))
    save_dir = settings["save_dir"]
    check(settings["csv_logger"] and save_dir is not None and Path(save_dir).resolve() == tmp_path.resolve(),
          say(f"the Trainer's logger should be a CSVLogger saving under log_dir ({tmp_path}), got "
              f"{settings['logger']} saving under {save_dir}.",
              f"Trainer의 로거는 log_dir({tmp_path}) 아래에 저장하는 CSVLogger여야 하는데 {save_dir} 아래에 저장하는 "
              f"{settings['logger']}입니다."),
          say("logger=CSVLogger(save_dir=log_dir, name='digits'): every file of a run goes under log_dir.",
              "logger=CSVLogger(save_dir=log_dir, name='digits'): 한 번 실행한 결과 파일은 모두 log_dir 아래에 저장됩니다."))
    facts = settings["facts"]
    want = {"max_epochs": 3, "accelerator": CPUAccelerator.__name__, "devices": 1, "progress bar": False,
            "model summary": False, "sanity validation steps": 0}
    for key in want:
        check(facts[key] == want[key], say(f"make_trainer(log_dir, 3): {key} should be {want[key]!r}, got {facts[key]!r}.",
                                           f"make_trainer(log_dir, 3): {key}은(는) {want[key]!r}이어야 하는데 {facts[key]!r}입니다."),
              say("L.Trainer(accelerator='cpu', devices=1, max_epochs=max_epochs, enable_progress_bar=False, "
                  "enable_model_summary=False, num_sanity_val_steps=0, ...).",
                  "L.Trainer(accelerator='cpu', devices=1, max_epochs=max_epochs, enable_progress_bar=False, "
                  "enable_model_summary=False, num_sanity_val_steps=0, ...)로 만드세요."))


# -- the training run -----------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("metrics.csv logs train_loss, val_loss and val_acc each epoch",
                   ko="metrics.csv에는 에폭마다 train_loss, val_loss, val_acc가 기록됩니다")
def test_metrics_csv_has_expected_names(impl, fitted):
    rows = fitted.metrics()
    columns = sorted({key for row in rows for key, value in row.items() if value not in (None, "")})
    for name in ("train_loss", "val_loss", "val_acc"):
        check(name in columns, say(f"metrics.csv has no values in a column named {name!r}; its columns are {columns}.",
                                   f"metrics.csv에 {name!r} 열의 값이 없습니다. 열은 {columns}입니다."),
              LOG_HINT)
    for name in ("val_loss", "val_acc"):
        epochs = sorted(fitted.per_epoch(name))
        check(epochs == list(range(MAX_EPOCHS)),
              say(f"{name} should be logged once per epoch for {MAX_EPOCHS} epochs, found it for epochs {epochs}.",
                  f"{name}은(는) {MAX_EPOCHS}에폭 동안 에폭마다 한 번씩 기록되어야 하는데 에폭 {epochs}에서만 찾았습니다."),
              say("Log it in validation_step (on_epoch is the default there), and train for max_epochs epochs.",
                  "validation_step에서 기록하고(거기서는 on_epoch가 기본값입니다), max_epochs 에폭 동안 학습하세요."))
    accuracies = fitted.per_epoch("val_acc")
    outside = {epoch: value for epoch, value in accuracies.items() if not 0.0 <= value <= 1.0}
    check(not outside, say(f"val_acc should be an accuracy, between 0 and 1; epochs {sorted(outside)} logged "
                           f"{[round(v, 3) for v in outside.values()][:3]}.",
                           f"val_acc는 0과 1 사이의 정확도여야 하는데 에폭 {sorted(outside)}에서 "
                           f"{[round(v, 3) for v in outside.values()][:3]}을(를) 기록했습니다."),
          say("Log the fraction of correct predictions in the batch: (logits.argmax(-1) == y).float().mean(), not the "
              "sum of correct answers (Lightning averages what a step logs over the epoch).",
              "배치에서 맞힌 예측의 비율을 기록하세요: 맞힌 개수의 합이 아니라 (logits.argmax(-1) == y).float().mean()입니다"
              "(Lightning은 스텝이 기록한 값을 에폭에 걸쳐 평균합니다)."))


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("The best checkpoint is the one with the lowest val_loss",
                   ko="가장 좋은 체크포인트는 val_loss가 가장 낮은 체크포인트입니다")
def test_best_checkpoint_has_lowest_val_loss(impl, fitted):
    callback = fitted.require()["checkpoint"]
    hint = say("Pass callbacks=[ModelCheckpoint(monitor='val_loss', mode='min', save_top_k=1)] to the Trainer; "
               "a loss is best when lowest (mode='min').",
               "Trainer에 callbacks=[ModelCheckpoint(monitor='val_loss', mode='min', save_top_k=1)]을 넘기세요. "
               "손실은 가장 낮을 때가 가장 좋습니다(mode='min').")
    check(callback["is_model_checkpoint"] and callback["monitor"] == "val_loss",
          say(f"the Trainer's checkpoint callback monitors {callback['monitor']!r}, not 'val_loss' (a "
              "ModelCheckpoint left out of the Trainer's callbacks is replaced by a default one that monitors nothing).",
              f"Trainer의 체크포인트 콜백이 'val_loss'가 아니라 {callback['monitor']!r}을(를) 지켜봅니다(Trainer의 "
              "callbacks에 넣지 않은 ModelCheckpoint는 아무것도 지켜보지 않는 기본 콜백으로 대체됩니다)."),
          hint)
    val_loss = fitted.per_epoch("val_loss")
    best_epoch = min(val_loss, key=val_loss.get)
    path = Path(callback["best_model_path"])
    check(path.is_file() and fitted.root.resolve() in path.resolve().parents,
          say(f"the best checkpoint should be a file under log_dir ({fitted.root}), got {str(path)!r}.",
              f"가장 좋은 체크포인트는 log_dir({fitted.root}) 아래의 파일이어야 하는데 {str(path)!r}입니다."), hint)
    saved_epoch = _checkpoint(impl, path)["epoch"]
    check(saved_epoch == best_epoch,
          say(f"the best checkpoint was saved at epoch {saved_epoch} (val_loss {val_loss.get(saved_epoch)}), but the "
              f"lowest val_loss in metrics.csv is {val_loss[best_epoch]:.4f} at epoch {best_epoch}.\n"
              f"val_loss per epoch: { {e: round(v, 4) for e, v in val_loss.items()} }",
              f"가장 좋은 체크포인트가 에폭 {saved_epoch}(val_loss {val_loss.get(saved_epoch)})에서 저장되었지만, "
              f"metrics.csv에서 가장 낮은 val_loss는 에폭 {best_epoch}의 {val_loss[best_epoch]:.4f}입니다.\n"
              f"에폭별 val_loss: { {e: round(v, 4) for e, v in val_loss.items()} }"), hint)


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
          say("the best checkpoint's state_dict does not hold the weights of an MLP 64 -> hidden -> 10 (one Linear "
              f"layer of each): its tensors have the shapes "
              f"{ {k: tuple(v.shape) for k, v in saved['state_dict'].items() if isinstance(v, torch.Tensor)} }.",
              f"가장 좋은 체크포인트의 state_dict에 MLP 64 -> hidden -> 10(각각 Linear 층 하나)의 가중치가 없습니다: "
              f"텐서의 shape는 "
              f"{ {k: tuple(v.shape) for k, v in saved['state_dict'].items() if isinstance(v, torch.Tensor)} }입니다."),
          say("DigitsClassifier is nn.Linear(64, hidden), ReLU, nn.Dropout(dropout), nn.Linear(hidden, 10).",
              "DigitsClassifier는 nn.Linear(64, hidden), ReLU, nn.Dropout(dropout), nn.Linear(hidden, 10)입니다."))
    loaded = best_reloaded(impl, path, x_val)
    check(loaded["classifier"], say(f"load_best should return a DigitsClassifier, got {loaded['type']}.",
                                    f"load_best는 DigitsClassifier를 반환해야 하는데 {loaded['type']}입니다."))
    check(not loaded["training"], say("load_best returned a model in training mode: dropout is still on, so its "
                                      "predictions are random.",
                                      "load_best가 학습 모드의 모델을 반환했습니다: dropout이 아직 켜져 있어서 예측이 무작위로 바뀝니다."),
          say("load_from_checkpoint returns the module in training mode: call .eval() on it before returning.",
              "load_from_checkpoint는 모듈을 학습 모드로 반환합니다: 반환하기 전에 .eval()을 호출하세요."))
    assert_tensor(loaded["out"], expected, say("load_best(path)(x_val) against the checkpoint's weights",
                                               "체크포인트 가중치로 계산한 값과 load_best(path)(x_val) 비교"),
                  hint=say("Use DigitsClassifier.load_from_checkpoint(path) and .eval().",
                           "DigitsClassifier.load_from_checkpoint(path)와 .eval()을 쓰세요."))


@pytest.mark.points(2)
@pytest.mark.convergence
@pytest.mark.title("Training raises val_acc and lowers val_loss",
                   ko="학습하면 val_acc는 오르고 val_loss는 내려갑니다")
def test_training_converges(impl, fitted):
    val_loss, val_acc = fitted.per_epoch("val_loss"), fitted.per_epoch("val_acc")
    check(len(val_acc) > 0 and len(val_loss) > 0, say("metrics.csv holds no val_acc / val_loss values.",
                                                      "metrics.csv에 val_acc / val_loss 값이 없습니다."), LOG_HINT)
    last = max(val_acc)
    check(val_acc[last] >= MIN_VAL_ACC and math.isfinite(val_loss[last]) and val_loss[last] < 0.5 * val_loss[0],
          say(f"after {MAX_EPOCHS} epochs val_acc is {val_acc[last]:.3f} (expected at least {MIN_VAL_ACC}) and val_loss "
              f"went from {val_loss[0]:.3f} to {val_loss[last]:.3f} (expected below half of the first).",
              f"{MAX_EPOCHS}에폭 뒤 val_acc는 {val_acc[last]:.3f}(적어도 {MIN_VAL_ACC}여야 함)이고, val_loss는 "
              f"{val_loss[0]:.3f}에서 {val_loss[last]:.3f}로 바뀌었습니다(처음 값의 절반 아래여야 함)."),
          say("Check that configure_optimizers returns the optimizer (returning None trains nothing), that the "
              "loss is cross-entropy on logits, and that lr is used.",
              "configure_optimizers가 옵티마이저를 반환하는지(None을 반환하면 아무것도 학습하지 않습니다), 손실이 "
              "로짓에 대한 교차 엔트로피인지, lr을 쓰는지 확인하세요."))


# -- with CUDA ------------------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("make_trainer trains on CUDA when asked for the GPU",
                   ko="make_trainer는 GPU를 요청하면 CUDA에서 학습합니다")
def test_trains_on_cuda(impl, tmp_path):
    facts = fit_digits(impl, str(tmp_path), 2, "gpu")
    check(facts["root_device"] == "cuda",
          say(f"make_trainer(..., accelerator='gpu') trained on {facts['root_device']}.",
              f"make_trainer(..., accelerator='gpu')가 {facts['root_device']}에서 학습했습니다."),
          say("Pass accelerator=accelerator to L.Trainer.",
              "L.Trainer에 accelerator=accelerator를 넘기세요."))
    acc = facts["val_acc"]
    check(acc >= 0.8, say(f"after 2 epochs on the GPU val_acc is {acc:.3f}, expected at least 0.8.",
                          f"GPU에서 2에폭 학습한 뒤 val_acc가 {acc:.3f}입니다. 적어도 0.8이어야 합니다."))
