"""4.2 PyTorch Lightning: the promises of exercises/s4_2_lightning.py.

The judge believes no number the student's process reports about learning. One training run (the
module-scoped `fitted` fixture: the student's Trainer fits the student's module on the student's
DataModule, in a folder the student's code may write, on this run's task: a split of the digits with
pixels and labels permuted, all drawn from `run_seed`, so weights learned before the run score at
chance) hands the judge the model's weights before and after training; the judge scores them
itself, with its own copy of the MLP the item fixes (64 -> hidden -> ReLU -> 10), on the validation
split. metrics.csv and the best checkpoint are read here, through graders/support/student_files.py
(regular files inside that folder only, bounded; the checkpoint as data), and what they say is
compared with what the judge computes from the weights: the last epoch's logged val_loss and
val_acc with the final weights' own, the best checkpoint's logged val_loss with its weights' own.
The Trainer's settings are measured by training a module of the grader's own (`_Probe`, a linear
regression whose every step the judge computes) with the student's make_trainer. Everything that
needs a live Lightning object runs beside the student's code (the @observation functions) and
reports; what it reports is shown in messages and never decides a check alone.
"""
import csv
import io
import math
from collections.abc import Mapping
from pathlib import Path

import pytest
import torch
from lightning.pytorch.accelerators import CPUAccelerator
from torch import nn
from torch.nn import functional as F

from graders.observations.s4_2_lightning import (
    CHECKPOINT_PROBE_VAL_LOSSES,
    DROPOUT_HIDDEN,
    DROPOUT_P,
    OPTIMIZER_HIDDEN,
    OPTIMIZER_LR,
    PROBE_LR,
    PROBE_PULL,
    best_reloaded,
    configured_optimizers,
    datamodule_batches,
    fit_digits,
    lightning_bases,
    probe_checkpoint,
    probe_fit,
    training_step_facts,
)
from graders.support import errors, student_files
from graders.support.assertions import assert_tensor, check, expect_tensor, say
from graders.support.data import digits
from ptgrade.judge.remote import WorkerProblem

MAX_EPOCHS = 5
MIN_VAL_ACC = 0.88   # the reference's final validation accuracy, scored by the judge: 0.927-0.973 over 40 run seeds
MAX_VAL_LOSS = 0.6   # its final mean cross-entropy: 0.120-0.223 over the same seeds (chance is ln 10 = 2.30)
LOG_HINT = say("Log with self.log('train_loss', loss) in training_step and self.log('val_loss', ...) and "
               "self.log('val_acc', ...) in validation_step, under exactly these names: ModelCheckpoint(monitor="
               "'val_loss') can only watch what validation_step logs.",
               "training_step에서는 self.log('train_loss', loss)로, validation_step에서는 self.log('val_loss', ...)와 "
               "self.log('val_acc', ...)로, 정확히 이 이름으로 기록하세요: ModelCheckpoint(monitor='val_loss')는 "
               "validation_step이 기록한 값만 지켜볼 수 있습니다.")
ARCHITECTURE_HINT = say("DigitsClassifier is nn.Linear(64, hidden), ReLU, nn.Dropout(dropout), nn.Linear(hidden, 10).",
                        "DigitsClassifier는 nn.Linear(64, hidden), ReLU, nn.Dropout(dropout), nn.Linear(hidden, 10)입니다.")


def _generator(run_seed: int, salt: int) -> torch.Generator:
    """A generator for this run's data (the recipe is public, the draw is not)."""
    return torch.Generator().manual_seed((run_seed * 7919 + salt) % (2 ** 62))


def _split_seed(run_seed: int, salt: int) -> int:
    """A seed for load_digits_tensors: which digits are validation ones changes with the run."""
    return 1 + (run_seed * 7919 + salt) % 100_000


# -- the judge's own copy of the architecture -----------------------------------------------------
def _mlp_params(state, hidden=None):
    """{"w1", "b1", "w2", "b2": (name, tensor)} of the MLP 64 -> hidden -> 10 in a state_dict (found by their
    shapes, whatever the student named the layers), or None when the state does not hold that MLP."""
    if not isinstance(state, Mapping):
        return None
    tensors = {name: t for name, t in state.items()
               if type(t) in (torch.Tensor, nn.Parameter) and t.is_floating_point()}
    if hidden is None:  # no saved hyper-parameters: the output layer says how wide the hidden layer is
        hidden = next((t.shape[1] for t in tensors.values() if t.dim() == 2 and t.shape[0] == 10), None)
    if not isinstance(hidden, int):
        found = {}
    else:  # each shape must be found once (hidden=10 would make both biases (10,): not told apart)
        found = {key: [(n, t) for n, t in tensors.items() if tuple(t.shape) == shape]
                 for key, shape in (("w1", (hidden, 64)), ("b1", (hidden,)), ("w2", (10, hidden)), ("b2", (10,)))}
    if len(found) != 4 or any(len(v) != 1 for v in found.values()):
        return None
    return {key: (v[0][0], v[0][1].detach().float().cpu()) for key, v in found.items()}


def _mlp(params, x):
    """What the MLP with these weights gives for x in eval mode (dropout off), computed here."""
    w1, b1, w2, b2 = (params[key][1] for key in ("w1", "b1", "w2", "b2"))
    return torch.relu(x @ w1.T + b1) @ w2.T + b2


def _require_mlp(state, what, hidden=None):
    params = _mlp_params(state, hidden)
    shapes = {k: tuple(v.shape) for k, v in state.items() if isinstance(v, torch.Tensor)} if isinstance(state, Mapping) \
        else type(state).__name__
    check(params is not None,
          say(f"{what} does not hold the weights of an MLP 64 -> {hidden or 'hidden'} -> 10 (one Linear layer of each): "
              f"its tensors have the shapes {shapes}.",
              f"{what}에 MLP 64 -> {hidden or 'hidden'} -> 10(각각 Linear 계층 하나)의 가중치가 없습니다: 텐서의 shape는 "
              f"{shapes}입니다."), ARCHITECTURE_HINT)
    return params


def _scores(params, x, y):
    """(accuracy, mean cross-entropy) of the MLP with these weights on (x, y), computed here."""
    with torch.no_grad():
        logits = _mlp(params, x)
    return float((logits.argmax(-1) == y).float().mean()), float(F.cross_entropy(logits, y))


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def _per_epoch(rows, name):
    """{epoch: value} of a metric logged once per epoch (a value that is not a number is left out)."""
    found = {}
    for row in rows:
        value = row.get(name)
        if value in (None, ""):
            continue
        try:
            found[int(float(row["epoch"]))] = float(value)
        except (KeyError, TypeError, ValueError, OverflowError):
            continue
    return found


# -- the training run -----------------------------------------------------------------------------
def _task(run_seed: int, salt: int):
    """This run's task: a split of the digits (drawn from run_seed) with their 64 pixels and 10 labels
    permuted (also drawn), so that weights learned before the run, from the public digits, score at chance;
    an MLP learns it as well as the digits themselves. (x_train, y_train, x_val, y_val)."""
    generator = _generator(run_seed, salt)
    pixels, labels = torch.randperm(64, generator=generator), torch.randperm(10, generator=generator)
    x_train, y_train, x_val, y_val = digits(seed=_split_seed(run_seed, salt))
    return x_train[:, pixels], labels[y_train], x_val[:, pixels], labels[y_val]


class _Fit:
    def __init__(self, root, seed, task):
        self.root, self.seed, self.task, self.facts, self.error = root, seed, task, None, None
        _, _, self.x_val, self.y_val = task  # the judge's own copy of the run's validation split

    def require(self):
        """What the fit reported; a failure to build or fit the trainer fails the check with what was raised."""
        if self.error is not None and errors.passes_through(self.error):  # not started, or not the student's mistake
            raise self.error
        if self.error is not None:
            raise errors.raised("make_trainer(...).fit(DigitsClassifier(), datamodule=DigitsDataModule())", self.error,
                                LOG_HINT)
        check(isinstance(self.facts, dict) and isinstance(self.facts.get("checkpoint"), dict),
              say("the training run reported nothing the grader can read.",
                  "학습 실행에서 채점기가 읽을 수 있는 결과가 하나도 나오지 않았습니다."))
        # Only a message: the numbers below are what count.
        check(self.facts.get("task_used") is not False,
              say("the run never called load_digits_tensors: the grader hands each run its split of the digits through "
                  "it, and scores the model on that split's validation part.",
                  "실행 중에 load_digits_tensors가 한 번도 호출되지 않았습니다: 채점기는 실행마다 digits의 분할을 이 "
                  "함수로 넘기고, 그 분할의 검증 데이터로 모델을 평가합니다."),
              say("In DigitsDataModule.setup, build the datasets from load_digits_tensors(self.seed).",
                  "DigitsDataModule.setup에서 load_digits_tensors(self.seed)로 데이터셋을 만드세요."))
        return self.facts

    def metrics(self):
        """metrics.csv's rows, read here from the run's folder."""
        log_dir = self.require()["log_dir"]
        check(log_dir is not None, say("the Trainer has no logger, so no metrics.csv was written.",
                                       "Trainer에 로거가 없어서 metrics.csv가 기록되지 않았습니다."),
              say("Pass logger=CSVLogger(save_dir=log_dir, name='digits') to the Trainer.",
                  "Trainer에 logger=CSVLogger(save_dir=log_dir, name='digits')를 넘기세요."))
        path = Path(str(log_dir)) / "metrics.csv"
        check(student_files.exists(path, self.root),
              say(f"no metrics.csv in the logger's folder {log_dir}, under log_dir ({self.root}).",
                  f"log_dir({self.root}) 아래, 로거의 폴더 {log_dir}에 metrics.csv가 없습니다."),
              say("Pass logger=CSVLogger(save_dir=log_dir, name='digits') to the Trainer.",
                  "Trainer에 logger=CSVLogger(save_dir=log_dir, name='digits')를 넘기세요."))
        return _rows(student_files.read_text(path, self.root))

    def per_epoch(self, name):
        """{epoch: value} of a metric logged once per epoch."""
        return _per_epoch(self.metrics(), name)

    def weights(self, key):
        """The MLP in the weights the run reported ("initial" or "final"), for the judge's own copy."""
        return _require_mlp(self.require().get(key), say(f"the model's {key} state_dict", f"모델의 {key} state_dict"))

    def checkpoint(self):
        """(path, epoch, MLP weights) of the best checkpoint, read here from the run's folder."""
        path = Path(str(self.require()["checkpoint"]["best_model_path"]))
        check(student_files.exists(path, self.root),
              say(f"the best checkpoint should be a file under log_dir ({self.root}), got {str(path)!r}.",
                  f"가장 좋은 체크포인트는 log_dir({self.root}) 아래의 파일이어야 하는데 {str(path)!r}입니다."),
              CHECKPOINT_HINT)
        saved = student_files.load_tensors(path, self.root)
        check(isinstance(saved, dict) and isinstance(saved.get("state_dict"), dict),
              say(f"{path.name} is not a Lightning checkpoint (no state_dict in it).",
                  f"{path.name} 파일은 Lightning 체크포인트가 아닙니다(state_dict가 없습니다)."), CHECKPOINT_HINT)
        hidden = saved.get("hyper_parameters", {}).get("hidden") if isinstance(saved.get("hyper_parameters"), dict) else None
        params = _require_mlp(saved["state_dict"], say("the best checkpoint's state_dict",
                                                       "가장 좋은 체크포인트의 state_dict"),
                              hidden if isinstance(hidden, int) else None)
        return path, saved.get("epoch"), params


CHECKPOINT_HINT = say("Pass callbacks=[ModelCheckpoint(monitor='val_loss', mode='min', save_top_k=1)] to the Trainer; "
                      "a loss is best when lowest (mode='min').",
                      "Trainer에 callbacks=[ModelCheckpoint(monitor='val_loss', mode='min', save_top_k=1)]을 넘기세요. "
                      "손실은 가장 낮을 때가 가장 좋습니다(mode='min').")


@pytest.fixture(scope="module")
def fitted(impl, student_path_factory, run_seed):
    fit = _Fit(student_path_factory.mktemp("lightning_run"), _split_seed(run_seed, 1), _task(run_seed, 1))
    try:
        fit.facts = fit_digits(impl, str(fit.root), MAX_EPOCHS, fit.seed, fit.task)
    except WorkerProblem:  # a timeout or a crash: every check that needs the run reports it
        raise
    except Exception as error:  # noqa: BLE001 - reported by each check that needs the run
        fit.error = error
    return fit


# -- the pieces, without training -----------------------------------------------------------------


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("The model and data module subclass Lightning 2 classes",
                   ko="모델과 데이터 모듈은 Lightning 2의 클래스를 상속합니다")
def test_classes_are_lightning_2_classes(impl, run_seed):
    x = torch.rand(8, 64, generator=_generator(run_seed, 11))
    seen = lightning_bases(impl, x)
    for facts in seen["classes"]:
        check(facts["subclass"],
              say(f"{facts['type']} should subclass lightning.{facts['base']}; its bases are {facts['bases']}.",
                  f"{facts['type']} 클래스는 lightning.{facts['base']} 클래스를 상속해야 하는데 부모 클래스가 {facts['bases']}입니다."),
              say("Import it as `import lightning as L` and subclass L.LightningModule / L.LightningDataModule: the "
                  "classes of the older pytorch_lightning package are different classes, refused by lightning's Trainer.",
                  "`import lightning as L`로 가져와 L.LightningModule / L.LightningDataModule을 상속하세요: 예전 "
                  "pytorch_lightning 패키지의 클래스는 다른 클래스여서 lightning의 Trainer가 받아들이지 않습니다."))
    # What the class says it is comes from the student's process; that it is the MLP the item fixes is measured here.
    params = _require_mlp(seen["state"], say("DigitsClassifier(hidden=12)'s state_dict",
                                             "DigitsClassifier(hidden=12)의 state_dict"), 12)
    assert_tensor(seen["out"], _mlp(params, x), say("DigitsClassifier(hidden=12) in eval mode, against its own weights",
                                                    "평가 모드의 DigitsClassifier(hidden=12)를 자기 가중치로 계산한 값과 비교"),
                  hint=ARCHITECTURE_HINT)


def _row_multiset(x, y):
    return sorted(tuple(row) for row in torch.cat([x.double(), y.double()[:, None]], 1).tolist())


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("DigitsDataModule shuffles training data and keeps validation order",
                   ko="DigitsDataModule은 학습 데이터를 섞고 검증 데이터의 순서는 유지합니다")
def test_datamodule_shuffles_train_and_keeps_val_order(impl, run_seed):
    seed = _split_seed(run_seed, 3)
    x_train, y_train, x_val, y_val = digits(seed=seed)
    facts = datamodule_batches(impl, 32, seed)
    train_size, val_size = facts["train_size"], facts["val_size"]
    check(train_size + val_size == 1797 and val_size == len(y_val),
          say(f"DigitsDataModule(seed={seed}) should split the 1797 digits into {1797 - len(y_val)} / {len(y_val)}, got "
              f"{train_size} / {val_size}.",
              f"DigitsDataModule(seed={seed})은 digits 1797개를 학습 {1797 - len(y_val)}개, 검증 {len(y_val)}개로 나눠야 하는데 "
              f"학습 {train_size}개, 검증 {val_size}개입니다."), say("Use load_digits_tensors(self.seed) in setup.",
                                             "setup에서 load_digits_tensors(self.seed)를 쓰세요."))
    batch_hint = say("Pass batch_size=self.batch_size to the DataLoader.", "DataLoader에 batch_size=self.batch_size를 넘기세요.")
    shuffle_hint = say("train_dataloader should return DataLoader(..., shuffle=True).",
                       "train_dataloader는 DataLoader(..., shuffle=True)를 반환해야 합니다.")
    passes = facts["passes"]
    for one in passes:
        x = expect_tensor(one["x"], say("a training batch's images", "학습 배치의 이미지"))
        y = expect_tensor(one["y"], say("a training batch's labels", "학습 배치의 레이블"))
        check(x.dtype == torch.float32 and y.dtype == torch.int64 and x.dim() == 2 and x.shape[1:] == (64,),
              say(f"training batches should be float32 (batch, 64) images and int64 labels, got {x.dtype} "
                  f"{tuple(x.shape)} and {y.dtype}.",
                  f"학습 배치는 float32 (batch, 64) 이미지와 int64 레이블이어야 하는데 이미지는 {x.dtype} {tuple(x.shape)}, "
                  f"레이블은 {y.dtype}입니다."), batch_hint)
        sizes = list(one["sizes"])
        check(len(sizes) > 0 and all(s == 32 for s in sizes[:-1]) and 0 < sizes[-1] <= 32,
              say(f"DigitsDataModule(batch_size=32) gave training batches of {sorted(set(sizes))} digits.",
                  f"DigitsDataModule(batch_size=32)의 학습 배치 크기가 {sorted(set(sizes))}입니다."), batch_hint)
        check(_row_multiset(x, y) == _row_multiset(x_train, y_train),
              say(f"one pass over the training loader should give every training digit once, with its label "
                  f"({len(y_train)} of them); it gave {len(y)} that are not the training split.",
                  f"학습용 로더를 한 번 돌면 학습용 숫자 이미지 하나하나({len(y_train)}개)를 레이블과 함께 한 번씩 주어야 하는데 "
                  f"학습용 데이터와 다른 {len(y)}개를 주었습니다."),
              say("setup should build self.train_set = TensorDataset(x_train, y_train) from load_digits_tensors(self.seed).",
                  "setup은 load_digits_tensors(self.seed)로 self.train_set = TensorDataset(x_train, y_train)을 만들어야 합니다."))
    check(not torch.equal(passes[0]["y"], passes[1]["y"]) and not torch.equal(passes[0]["x"], x_train),
          say("the training loader gives the same order on every pass: it does not shuffle.",
              "학습용 로더가 매번 같은 순서로 데이터를 줍니다: 데이터를 섞지 않습니다."), shuffle_hint)
    val_hint = say("val_dataloader should not shuffle (shuffle=False, the default) and use the validation split.",
                   "val_dataloader는 섞지 말고(shuffle=False, 기본값) 검증용 데이터를 써야 합니다.")
    assert_tensor(facts["val"]["y"], y_val, say("the validation labels in loader order", "로더 순서대로의 검증 레이블"),
                  hint=val_hint)
    assert_tensor(facts["val"]["x"], x_val, say("the validation images in loader order", "로더 순서대로의 검증 이미지"),
                  hint=val_hint)
    sizes = list(facts["val"]["sizes"])
    check(len(sizes) > 0 and all(s == 32 for s in sizes[:-1]) and 0 < sizes[-1] <= 32,
          say(f"DigitsDataModule(batch_size=32) gave validation batches of {sorted(set(sizes))} digits: "
              "val_dataloader does not use batch_size.",
              f"DigitsDataModule(batch_size=32)의 검증 배치 크기가 {sorted(set(sizes))}입니다: val_dataloader가 "
              "batch_size를 쓰지 않습니다."),
          say("val_dataloader should return DataLoader(self.val_set, batch_size=self.batch_size).",
              "val_dataloader는 DataLoader(self.val_set, batch_size=self.batch_size)를 반환해야 합니다."))


def _dropout_pattern(out, params, x, p):
    """Whether `out` (training mode) is the MLP with each hidden unit either dropped or scaled by 1 / (1 - p),
    solved here from the output layer's weights (hidden < 10, so they determine the hidden activations), and
    how many active units were dropped and kept."""
    w1, b1, w2, b2 = (params[key][1].double() for key in ("w1", "b1", "w2", "b2"))
    active = torch.relu(x.double() @ w1.T + b1)
    solved = torch.linalg.lstsq(w2, (out.double() - b2).T).solution.T
    scaled = active / (1 - p)
    tolerance = 1e-3 * (1 + scaled.abs())
    kept, dropped = (solved - scaled).abs() <= tolerance, solved.abs() <= tolerance
    live = active > 1e-3
    return bool((kept | dropped).all()), int((dropped & live & ~kept).sum()), int((kept & live & ~dropped).sum())


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("training_step returns the cross-entropy loss of the batch",
                   ko="training_step은 배치의 교차 엔트로피 손실을 반환합니다")
def test_training_step_returns_cross_entropy(impl, run_seed):
    generator = _generator(run_seed, 21)
    x, y = torch.rand(16, 64, generator=generator), torch.randint(0, 10, (16,), generator=generator)
    facts = training_step_facts(impl, x, y)
    params = _require_mlp(facts["state"], say(f"DigitsClassifier(hidden={DROPOUT_HIDDEN})'s state_dict",
                                              f"DigitsClassifier(hidden={DROPOUT_HIDDEN})의 state_dict"), DROPOUT_HIDDEN)
    assert_tensor(facts["logits"], _mlp(params, x),
                  say("model(x) in eval mode, against the model's own weights",
                      "평가 모드의 model(x)를 모델 자신의 가중치로 계산한 값과 비교"), hint=ARCHITECTURE_HINT)
    dropout_hint = say("Put nn.Dropout(dropout) after the hidden layer's activation (and nowhere else).",
                       "은닉 계층의 활성화 함수 뒤에(그리고 그곳에만) nn.Dropout(dropout)을 넣으세요.")
    train_a = expect_tensor(facts["train_a"], "model(x)")
    train_b = expect_tensor(facts["train_b"], "model(x)")
    check(tuple(train_a.shape) == tuple(train_b.shape) == (16, 10) and not torch.equal(train_a, train_b),
          say("in training mode two forward passes gave the same logits: the model has no dropout.",
              "학습 모드에서 순전파를 두 번 했는데 로짓이 같습니다: 모델에 드롭아웃이 없습니다."), dropout_hint)
    dropped = kept = 0
    for out in (train_a, train_b):
        pattern, n_dropped, n_kept = _dropout_pattern(out, params, x, DROPOUT_P)
        dropped, kept = dropped + n_dropped, kept + n_kept
        check(pattern, say(f"in training mode, DigitsClassifier(dropout={DROPOUT_P})'s logits are not its hidden units "
                           f"each either dropped or scaled by 1 / (1 - {DROPOUT_P}) = {1 / (1 - DROPOUT_P):g}, as "
                           f"nn.Dropout({DROPOUT_P}) after the hidden ReLU gives.",
                           f"학습 모드에서 DigitsClassifier(dropout={DROPOUT_P})의 로짓이, 은닉 ReLU 뒤의 "
                           f"nn.Dropout({DROPOUT_P})처럼 은닉 유닛마다 버려지거나 1 / (1 - {DROPOUT_P}) = "
                           f"{1 / (1 - DROPOUT_P):g}배가 된 결과가 아닙니다."), dropout_hint)
    check(dropped > 0 and kept > 0,
          say(f"in training mode {dropped} active hidden units were dropped and {kept} kept: dropout(p={DROPOUT_P}) "
              "drops about half of them.",
              f"학습 모드에서 활성 은닉 유닛 중 {dropped}개가 버려지고 {kept}개가 남았습니다: dropout(p={DROPOUT_P})은 "
              "그중 절반쯤을 버립니다."), dropout_hint)
    loss = expect_tensor(facts["loss"], say("the loss training_step(batch, 0) returns (a Tensor, or a dict's \"loss\")",
                                            "training_step(batch, 0)이 반환한 손실(텐서 또는 dict의 \"loss\")"),
                         say("Return the loss tensor from training_step (or a dict {'loss': loss}): Lightning calls "
                             "backward on it.",
                             "training_step에서 손실 텐서(또는 dict {'loss': loss})를 반환하세요: Lightning이 그 "
                             "텐서로 backward를 호출합니다."))
    leaves = {key: tensor.clone().requires_grad_() for key, (_, tensor) in params.items()}
    expected_loss = F.cross_entropy(_mlp({key: (None, leaf) for key, leaf in leaves.items()}, x), y)
    with torch.no_grad():
        logits = _mlp(params, x)
    mistakes = {
        (say("softmax is applied before F.cross_entropy, which applies log-softmax itself (a softmax twice).",
             "F.cross_entropy 앞에서 softmax를 적용했습니다. F.cross_entropy가 log-softmax를 직접 적용하므로 softmax가 "
             "두 번 적용됩니다."),
         say("Pass the raw logits to F.cross_entropy.", "F.cross_entropy에는 softmax를 거치지 않은 로짓을 넘기세요.")):
            F.cross_entropy(F.softmax(logits, dim=-1), y),
        (say("F.nll_loss is given raw logits: it expects log-probabilities.",
             "F.nll_loss에 로짓을 그대로 넘겼습니다: F.nll_loss는 로그 확률을 받습니다."),
         say("Use F.cross_entropy(logits, y), or F.nll_loss(F.log_softmax(logits, -1), y).",
             "F.cross_entropy(logits, y)를 쓰거나 F.nll_loss(F.log_softmax(logits, -1), y)를 쓰세요.")):
            F.nll_loss(logits, y),
        (say("the loss is summed over the batch instead of averaged.", "손실을 배치에 대해 평균하지 않고 합했습니다."),
         say("Keep F.cross_entropy's default reduction='mean'.", "F.cross_entropy의 기본값 reduction='mean'을 유지하세요.")):
            F.cross_entropy(logits, y, reduction="sum"),
    }
    assert_tensor(loss, expected_loss.detach(), say("training_step's loss (model in eval mode)",
                                                    "training_step의 손실(평가 모드의 모델)"), mistakes=mistakes,
                  hint=say("Use F.cross_entropy(self(x), y) on the raw logits, with no softmax before it.",
                           "softmax를 거치지 않은 로짓에 F.cross_entropy(self(x), y)를 쓰세요."))
    check("backward_error" not in facts,
          say(f"training_step's loss.backward() raised {facts.get('backward_error')}.",
              f"training_step 손실의 loss.backward()에서 예외가 발생했습니다: {facts.get('backward_error')}."),
          say("Compute the loss from self(x) without detach() or torch.no_grad().",
              "detach()나 torch.no_grad() 없이 self(x)로 손실을 계산하세요."))
    expected_loss.backward()
    grads = facts.get("grads") if isinstance(facts.get("grads"), dict) else {}
    missing = [name for key, (name, _) in params.items() if grads.get(name) is None]
    check(not missing, say(f"after training_step's loss.backward(), these parameters got no gradient: {missing}.",
                           f"training_step 손실의 loss.backward() 뒤에 다음 매개변수가 변화도를 받지 못했습니다: {missing}."),
          say("Compute the loss from self(x) without detach() or torch.no_grad().",
              "detach()나 torch.no_grad() 없이 self(x)로 손실을 계산하세요."))
    for key, (name, _) in params.items():
        assert_tensor(grads[name], leaves[key].grad, say(f"the gradient of training_step's loss for {name}",
                                                         f"training_step 손실의 {name}에 대한 변화도"),
                      hint=say("Return F.cross_entropy(self(x), y) itself: Lightning calls backward on what "
                               "training_step returns.",
                               "F.cross_entropy(self(x), y)를 그대로 반환하세요: Lightning은 training_step이 반환한 "
                               "값으로 backward를 호출합니다."))


OPTIMIZER_STEPS = 2


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("configure_optimizers returns Adam over all parameters",
                   ko="configure_optimizers는 모든 매개변수에 대한 Adam 옵티마이저를 반환합니다")
def test_configure_optimizers_returns_adam_over_all_parameters(impl, run_seed):
    generator = _generator(run_seed, 31)
    shapes = ((OPTIMIZER_HIDDEN, 64), (OPTIMIZER_HIDDEN,), (10, OPTIMIZER_HIDDEN), (10,))
    grads = [[torch.randn(shape, generator=generator) for shape in shapes] for _ in range(OPTIMIZER_STEPS)]
    facts = configured_optimizers(impl, grads)
    check(facts["count"] == 1, say(f"configure_optimizers() should return one optimizer, got {facts['returned']}.",
                                   f"configure_optimizers()는 옵티마이저 하나를 반환해야 하는데 반환값이 {facts['returned']}입니다."),
          say("End configure_optimizers with `return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)`: "
              "without the return Lightning trains with no optimizer at all.",
              "configure_optimizers를 `return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)`로 끝내세요: "
              "return이 없으면 Lightning은 옵티마이저 없이 학습합니다."))
    hint = say("Return torch.optim.Adam(self.parameters(), lr=self.hparams.lr) (self.save_hyperparameters() stores "
               "the lr argument as self.hparams.lr).",
               "torch.optim.Adam(self.parameters(), lr=self.hparams.lr)을 반환하세요(self.save_hyperparameters()가 "
               "lr 인자를 self.hparams.lr로 저장합니다).")
    params = _require_mlp(facts["before"], say(f"DigitsClassifier(hidden={OPTIMIZER_HIDDEN})'s parameters",
                                               f"DigitsClassifier(hidden={OPTIMIZER_HIDDEN})의 매개변수"), OPTIMIZER_HIDDEN)
    # What that optimizer does to the weights is measured here: the same steps with torch's own Adam.
    mine = {key: tensor.clone().requires_grad_() for key, (_, tensor) in params.items()}
    adam = torch.optim.Adam(mine.values(), lr=OPTIMIZER_LR)
    check(len(facts["after"]) == OPTIMIZER_STEPS,
          say("the optimizer's steps could not be observed.", "옵티마이저의 단계를 관찰할 수 없었습니다."), hint)
    for step, after in enumerate(facts["after"]):
        adam.zero_grad()
        for leaf in mine.values():
            leaf.grad = next(g.clone() for g in grads[step] if tuple(g.shape) == tuple(leaf.shape))
        adam.step()
        for key, (name, _) in params.items():
            assert_tensor(after.get(name), mine[key].detach(),
                          say(f"{name} after step {step + 1} of DigitsClassifier(lr={OPTIMIZER_LR})'s optimizer "
                              f"(a {facts['type']} over {facts['covered']} of {facts['parameters']} parameter tensors, "
                              f"lr {sorted(facts['lrs'])}), against Adam(lr={OPTIMIZER_LR}) over all parameters",
                              f"DigitsClassifier(lr={OPTIMIZER_LR})의 옵티마이저({facts['parameters']}개 중 "
                              f"{facts['covered']}개의 매개변수 텐서에 대한 {facts['type']}, lr {sorted(facts['lrs'])})로 "
                              f"{step + 1}단계 뒤의 {name} 값을 모든 매개변수에 대한 Adam(lr={OPTIMIZER_LR})과 비교"),
                          hint=hint)


# -- the Trainer, measured on a module of the grader's own ----------------------------------------
PROBE_EPOCHS = 3


def _probe_expected(x, t, epochs, per_epoch=False, pull=PROBE_PULL):
    """The judge's own run of what _Probe does over `epochs` epochs, each one training step then one validation:
    the weights at the end (or after each epoch), and the logged probe_loss and val_loss per epoch."""
    w = torch.zeros(x.shape[1])
    losses, val_losses, weights = [], [], []
    for epoch in range(epochs):
        w = w.detach().requires_grad_()
        loss = ((x @ w - t) ** 2).mean() + pull * epoch * w.sum()
        (grad,) = torch.autograd.grad(loss, w)
        losses.append(float(loss))
        w = (w - PROBE_LR * grad).detach()
        val_losses.append(float(((x @ w - t) ** 2).mean()))
        weights.append(w)
    return weights if per_epoch else w, losses, val_losses


# the epoch of the lowest of CHECKPOINT_PROBE_VAL_LOSSES, in the middle: mode="max" saves the first epoch, a
# train_loss monitor or none at all the last
CHECKPOINT_PROBE_BEST = 1


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("make_trainer builds a quiet CPU Trainer with a CSV logger",
                   ko="make_trainer는 CSV 로거를 쓰는 조용한 CPU Trainer를 만듭니다")
def test_trainer_is_quiet_bounded_and_on_cpu(impl, student_path, run_seed):
    generator = _generator(run_seed, 41)
    x = torch.randn(16, 4, generator=generator)
    t = x @ torch.randn(4, generator=generator) + 0.1 * torch.randn(16, generator=generator)
    facts = probe_fit(impl, str(student_path), PROBE_EPOCHS, x, t)
    settings_hint = say("L.Trainer(accelerator='cpu', devices=1, max_epochs=max_epochs, enable_progress_bar=False, "
                        "enable_model_summary=False, num_sanity_val_steps=0, ...).",
                        "L.Trainer(accelerator='cpu', devices=1, max_epochs=max_epochs, enable_progress_bar=False, "
                        "enable_model_summary=False, num_sanity_val_steps=0, ...)로 만드세요.")
    check(facts["trainer"], say(f"make_trainer(log_dir, {PROBE_EPOCHS}) should be a Trainer, got {facts['type']}.",
                                f"make_trainer(log_dir, {PROBE_EPOCHS})는 Trainer여야 하는데 {facts['type']}입니다."),
          say("Build the trainer with lightning.Trainer (import lightning as L; L.Trainer(...)).",
              "lightning.Trainer로 trainer를 만드세요(import lightning as L로 가져온 뒤 L.Trainer(...))."))
    # What the Trainer says about itself (shown, and required), then what it did, measured here.
    settings = facts["settings"]
    want = {"max_epochs": PROBE_EPOCHS, "accelerator": CPUAccelerator.__name__, "devices": 1, "progress bar": False,
            "model summary": False, "sanity validation steps": 0}
    for key in want:
        check(settings.get(key) == want[key],
              say(f"make_trainer(log_dir, {PROBE_EPOCHS}): {key} should be {want[key]!r}, got {settings.get(key)!r}.",
                  f"make_trainer(log_dir, {PROBE_EPOCHS})의 {key} 값은 {settings.get(key)!r}입니다. 기댓값은 {want[key]!r}입니다."),
              settings_hint)
    check(facts["device"] == "cpu", say(f"make_trainer(log_dir, {PROBE_EPOCHS}) trained on {facts['device']}, not the CPU.",
                                        f"make_trainer(log_dir, {PROBE_EPOCHS})가 CPU가 아니라 {facts['device']}에서 학습했습니다."),
          settings_hint)
    w, losses, val_losses = _probe_expected(x, t, PROBE_EPOCHS)
    assert_tensor(facts["w"], w, say(f"the weights of a grader's model after make_trainer(log_dir, {PROBE_EPOCHS}).fit: "
                                     f"{PROBE_EPOCHS} epochs of one SGD step each, no validation before the first",
                                     f"make_trainer(log_dir, {PROBE_EPOCHS}).fit 뒤 채점기 모델의 가중치: 에폭마다 SGD 한 "
                                     f"단계씩 {PROBE_EPOCHS}에폭, 첫 에폭 전 검증 없음"),
                  hint=say("Train exactly max_epochs epochs (max_epochs=max_epochs) with no sanity validation before "
                           "the first (num_sanity_val_steps=0). " + settings_hint,
                           "정확히 max_epochs 에폭을 학습하고(max_epochs=max_epochs) 첫 에폭 전에 검증 사전 점검을 하지 "
                           "마세요(num_sanity_val_steps=0). " + settings_hint))
    logger_hint = say("logger=CSVLogger(save_dir=log_dir, name='digits'): every file of a run goes under log_dir.",
                      "logger=CSVLogger(save_dir=log_dir, name='digits'): 한 번 실행한 결과 파일은 모두 log_dir 아래에 저장됩니다.")
    check(facts["csv_logger"] and facts["log_dir"] is not None,
          say(f"the Trainer's logger should be a CSVLogger saving under log_dir, got {facts['logger']}.",
              f"Trainer의 로거는 log_dir 아래에 저장하는 CSVLogger여야 하는데 {facts['logger']}입니다."), logger_hint)
    path = Path(facts["log_dir"]) / "metrics.csv"
    check(student_files.exists(path, student_path),
          say(f"the Trainer's logger wrote no metrics.csv under log_dir ({student_path}); it says its folder is "
              f"{facts['log_dir']}.",
              f"Trainer의 로거가 log_dir({student_path}) 아래에 metrics.csv를 쓰지 않았습니다. 로거가 알려 준 폴더는 "
              f"{facts['log_dir']}입니다."), logger_hint)
    rows = _rows(student_files.read_text(path, student_path))
    for name, expected in (("probe_loss", losses), ("val_loss", val_losses)):
        logged = _per_epoch(rows, name)
        check(sorted(logged) == list(range(PROBE_EPOCHS)) and all(
            abs(logged[epoch] - value) <= 1e-4 * (1 + abs(value)) for epoch, value in enumerate(expected)),
            say(f"metrics.csv should hold what the grader's model logged, {name} per epoch "
                f"{[round(v, 5) for v in expected]}; it holds { {e: round(v, 5) for e, v in sorted(logged.items())} }.",
                f"metrics.csv에는 채점기 모델이 기록한 값이 있어야 합니다. 에폭별 {name}의 기댓값은 {[round(v, 5) for v in expected]}인데 "
                f"들어 있는 값은 { {e: round(v, 5) for e, v in sorted(logged.items())} }입니다."), logger_hint)


# -- the training run's checks --------------------------------------------------------------------
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
                  f"{name} 값은 {MAX_EPOCHS}에폭 동안 에폭마다 한 번씩 기록되어야 하는데 기록된 에폭은 {epochs}뿐입니다."),
              say("Log it in validation_step (on_epoch is the default there), and train for max_epochs epochs.",
                  "validation_step에서 기록하고(거기서는 on_epoch가 기본값입니다), max_epochs 에폭 동안 학습하세요."))
    accuracies = fitted.per_epoch("val_acc")
    outside = {epoch: value for epoch, value in accuracies.items() if not 0.0 <= value <= 1.0}
    acc_hint = say("Log the fraction of correct predictions in the batch: (logits.argmax(-1) == y).float().mean(), not the "
                   "sum of correct answers (Lightning averages what a step logs over the epoch).",
                   "배치에서 맞힌 예측의 비율을 기록하세요: 맞힌 개수의 합이 아니라 (logits.argmax(-1) == y).float().mean()입니다"
                   "(Lightning은 단계가 기록한 값을 에폭에 걸쳐 평균합니다).")
    check(not outside, say(f"val_acc should be an accuracy, between 0 and 1; epochs {sorted(outside)} logged "
                           f"{[round(v, 3) for v in outside.values()][:3]}.",
                           f"val_acc는 0과 1 사이의 정확도여야 하는데 에폭 {sorted(outside)}에서 기록한 값이 "
                           f"{[round(v, 3) for v in outside.values()][:3]}입니다."), acc_hint)
    # The last validation ran on the final weights: what it logged is measured here from those weights.
    accuracy, loss = _scores(fitted.weights("final"), fitted.x_val, fitted.y_val)
    last = MAX_EPOCHS - 1
    logged_acc, logged_loss = accuracies[last], fitted.per_epoch("val_loss")[last]
    check(abs(logged_acc - accuracy) <= 1e-4 and abs(logged_loss - loss) <= 1e-4 * (1 + loss),
          say(f"the last epoch logged val_acc {logged_acc:.5f} and val_loss {logged_loss:.5f}, but the final weights "
              f"score accuracy {accuracy:.5f} and mean cross-entropy {loss:.5f} on the validation split (computed by the "
              "grader).",
              f"마지막 에폭에 기록된 값은 val_acc {logged_acc:.5f}, val_loss {logged_loss:.5f}입니다. 그런데 최종 가중치로 검증 데이터에서 "
              f"채점기가 계산한 정확도는 {accuracy:.5f}, 평균 교차 엔트로피는 {loss:.5f}입니다."),
          say("In validation_step log F.cross_entropy(logits, y) as 'val_loss' and (logits.argmax(-1) == y).float().mean() "
              "as 'val_acc', from the model in the mode Lightning sets (eval, dropout off).",
              "validation_step에서 Lightning이 정한 모드(평가 모드, 드롭아웃 꺼짐)의 모델로 F.cross_entropy(logits, y)를 "
              "'val_loss'로, (logits.argmax(-1) == y).float().mean()을 'val_acc'로 기록하세요."))


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("The best checkpoint is the one with the lowest val_loss",
                   ko="가장 좋은 체크포인트는 val_loss가 가장 낮은 체크포인트입니다")
def test_best_checkpoint_has_lowest_val_loss(impl, fitted, student_path, run_seed):
    callback = fitted.require()["checkpoint"]
    check(callback["is_model_checkpoint"] and callback["monitor"] == "val_loss",
          say(f"the Trainer's checkpoint callback monitors {callback['monitor']!r}, not 'val_loss' (a "
              "ModelCheckpoint left out of the Trainer's callbacks is replaced by a default one that monitors nothing).",
              f"Trainer의 체크포인트 콜백이 지켜보는 값이 'val_loss'가 아니라 {callback['monitor']!r}입니다(Trainer의 "
              "callbacks에 넣지 않은 ModelCheckpoint는 아무것도 지켜보지 않는 기본 콜백으로 대체됩니다)."),
          CHECKPOINT_HINT)
    # What the callback monitors, measured: the grader's own module logs a val_loss lowest in its middle epoch, and
    # the checkpoint make_trainer's callback keeps must hold that epoch's weights (computed here).
    generator = _generator(run_seed, 45)
    x = torch.randn(16, 4, generator=generator)
    t = x @ torch.randn(4, generator=generator) + 0.1 * torch.randn(16, generator=generator)
    path = Path(probe_checkpoint(impl, str(student_path), x, t))
    weights, _, _ = _probe_expected(x, t, len(CHECKPOINT_PROBE_VAL_LOSSES), per_epoch=True, pull=0.0)
    kept = student_files.load_tensors(path, student_path) if student_files.exists(path, student_path) else None
    kept_state = kept.get("state_dict") if isinstance(kept, dict) else None
    kept_w = kept_state.get("w") if isinstance(kept_state, dict) else None
    matches = [epoch for epoch, w in enumerate(weights)
               if type(kept_w) in (torch.Tensor, nn.Parameter) and kept_w.shape == w.shape
               and torch.allclose(kept_w.float(), w, rtol=1e-4, atol=1e-5)]
    kept_files = sorted(name for name in student_files.listing(path.parent, student_path) if name.endswith(".ckpt")) \
        if path.name and student_files.exists(path, student_path) else []
    check(len(kept_files) <= 1,
          say(f"after {len(CHECKPOINT_PROBE_VAL_LOSSES)} epochs of a grader's model, make_trainer's checkpoint callback "
              f"kept {len(kept_files)} checkpoints ({kept_files[:4]}); save_top_k=1 keeps only the best one.",
              f"채점기의 모델을 {len(CHECKPOINT_PROBE_VAL_LOSSES)}에폭 학습한 뒤 make_trainer의 체크포인트 콜백이 "
              f"체크포인트 {len(kept_files)}개({kept_files[:4]})를 남겼습니다. save_top_k=1이면 가장 좋은 것 하나만 "
              "남깁니다."),
          CHECKPOINT_HINT)
    check(matches == [CHECKPOINT_PROBE_BEST],
          say(f"on a grader's model that logged val_loss {list(CHECKPOINT_PROBE_VAL_LOSSES)} over "
              f"{len(CHECKPOINT_PROBE_VAL_LOSSES)} epochs, the best checkpoint make_trainer's callback kept holds "
              + (f"the weights of epoch {matches[0]}" if matches else "no epoch's weights")
              + f", not those of epoch {CHECKPOINT_PROBE_BEST}, the lowest.",
              f"채점기 모델이 {len(CHECKPOINT_PROBE_VAL_LOSSES)}에폭 동안 기록한 val_loss가 "
              f"{list(CHECKPOINT_PROBE_VAL_LOSSES)}일 때, make_trainer의 콜백이 남긴 가장 좋은 체크포인트에는 "
              + (f"에폭 {matches[0]}의 가중치가" if matches else "어느 에폭의 가중치도 아닌 값이")
              + f" 들어 있습니다. 가장 낮은 에폭 {CHECKPOINT_PROBE_BEST}의 가중치여야 합니다."),
          CHECKPOINT_HINT)
    val_loss = fitted.per_epoch("val_loss")
    check(len(val_loss) > 0, say("metrics.csv holds no val_loss values.", "metrics.csv에 val_loss 값이 없습니다."), LOG_HINT)
    best_epoch = min(val_loss, key=val_loss.get)
    _, saved_epoch, params = fitted.checkpoint()
    per_epoch = {e: round(v, 4) for e, v in val_loss.items()}
    check(saved_epoch == best_epoch,
          say(f"the best checkpoint was saved at epoch {saved_epoch} (val_loss {val_loss.get(saved_epoch)}), but the "
              f"lowest val_loss in metrics.csv is {val_loss[best_epoch]:.4f} at epoch {best_epoch}.\n"
              f"val_loss per epoch: {per_epoch}",
              f"가장 좋은 체크포인트가 에폭 {saved_epoch}(val_loss {val_loss.get(saved_epoch)})에서 저장되었지만, "
              f"metrics.csv에서 가장 낮은 val_loss는 에폭 {best_epoch}의 {val_loss[best_epoch]:.4f}입니다.\n"
              f"에폭별 val_loss: {per_epoch}"), CHECKPOINT_HINT)
    # The checkpoint's own weights, scored here: their loss is the one logged for its epoch, and no higher than
    # the final weights' (also scored here).
    _, saved_loss = _scores(params, fitted.x_val, fitted.y_val)
    _, final_loss = _scores(fitted.weights("final"), fitted.x_val, fitted.y_val)
    check(abs(saved_loss - val_loss[best_epoch]) <= 1e-4 * (1 + saved_loss) and saved_loss <= final_loss + 1e-6,
          say(f"the best checkpoint's weights score val_loss {saved_loss:.5f} on the validation split (computed by the "
              f"grader), the final weights {final_loss:.5f}; metrics.csv says epoch {best_epoch}, the lowest, had "
              f"{val_loss[best_epoch]:.5f}.",
              f"가장 좋은 체크포인트의 가중치로 채점기가 계산한 검증 val_loss는 {saved_loss:.5f}, 최종 가중치로는 "
              f"{final_loss:.5f}입니다. metrics.csv에서 가장 낮은 값은 에폭 {best_epoch}의 {val_loss[best_epoch]:.5f}입니다."),
          CHECKPOINT_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("A reloaded checkpoint reproduces the model's outputs",
                   ko="다시 불러온 체크포인트는 모델의 출력을 그대로 재현합니다")
def test_reloaded_checkpoint_reproduces_outputs(impl, fitted, run_seed):
    path, _, params = fitted.checkpoint()
    x = torch.cat([fitted.x_val, torch.rand(64, 64, generator=_generator(run_seed, 51))])
    loaded = best_reloaded(impl, str(path), x)
    check(loaded["classifier"], say(f"load_best should return a DigitsClassifier, got {loaded['type']}.",
                                    f"load_best는 DigitsClassifier를 반환해야 하는데 {loaded['type']}입니다."))
    eval_hint = say("load_from_checkpoint returns the module in training mode: call .eval() on it before returning.",
                    "load_from_checkpoint는 모듈을 학습 모드로 반환합니다: 반환하기 전에 .eval()을 호출하세요.")
    check(not loaded["training"], say("load_best returned a model in training mode: dropout is still on, so its "
                                      "predictions are random.",
                                      "load_best가 학습 모드의 모델을 반환했습니다: 드롭아웃이 아직 켜져 있어서 예측이 무작위로 바뀝니다."),
          eval_hint)
    with torch.no_grad():
        expected = _mlp(params, x)
    assert_tensor(loaded["out"], expected, say("load_best(path)(x) against the checkpoint's weights (dropout off)",
                                               "체크포인트 가중치로 계산한 값(드롭아웃 꺼짐)과 load_best(path)(x) 비교"),
                  hint=say("Use DigitsClassifier.load_from_checkpoint(path) and .eval().",
                           "DigitsClassifier.load_from_checkpoint(path)와 .eval()을 쓰세요."))


@pytest.mark.points(2)
@pytest.mark.convergence
@pytest.mark.title("Training raises val_acc and lowers val_loss",
                   ko="학습하면 val_acc는 오르고 val_loss는 내려갑니다")
def test_training_converges(impl, fitted):
    """Assumes DigitsClassifier() with its defaults (Adam lr 1e-2, hidden 64) fitted 5 epochs reaches 0.88 accuracy
    and a cross-entropy below 0.6 on the validation split. Measured at run seeds 1-3: reference and functional_layers
    both 0.947-0.953, cross-entropy 0.178-0.197 (from 2.29-2.32); bars 0.88 and 0.6."""
    # Scored here, by the judge's own copy of the MLP, from the weights before and after fit.
    _, first_loss = _scores(fitted.weights("initial"), fitted.x_val, fitted.y_val)
    accuracy, loss = _scores(fitted.weights("final"), fitted.x_val, fitted.y_val)
    check(accuracy >= MIN_VAL_ACC and math.isfinite(loss) and loss < min(MAX_VAL_LOSS, 0.5 * first_loss),
          say(f"after {MAX_EPOCHS} epochs the model's accuracy on the validation split is {accuracy:.3f} (expected at "
              f"least {MIN_VAL_ACC}) and its mean cross-entropy went from {first_loss:.3f} to {loss:.3f} (expected "
              f"below half of the first and below {MAX_VAL_LOSS}), computed by the grader from the weights before and after fit.",
              f"{MAX_EPOCHS}에폭 뒤 검증 데이터에서 모델의 정확도는 {accuracy:.3f}(기준: {MIN_VAL_ACC} 이상)이고, 평균 "
              f"교차 엔트로피는 {first_loss:.3f}에서 {loss:.3f}까지 바뀌었습니다(기준: 처음 값의 절반 미만, {MAX_VAL_LOSS} 미만). fit 전후의 "
              "가중치로 채점기가 계산했습니다."),
          say("Things to check: configure_optimizers returns the optimizer (returning None trains nothing), the "
              "loss is cross-entropy on logits, and lr is used.",
              "configure_optimizers가 옵티마이저를 반환하는지(None을 반환하면 아무것도 학습하지 않습니다), 손실이 "
              "로짓에 대한 교차 엔트로피인지, lr을 쓰는지 확인하세요."))


# -- with CUDA ------------------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("make_trainer trains on CUDA when asked for the GPU",
                   ko="make_trainer는 GPU를 요청하면 CUDA에서 학습합니다")
def test_trains_on_cuda(impl, student_path, run_seed):
    task = _task(run_seed, 61)
    facts = fit_digits(impl, str(student_path), 2, _split_seed(run_seed, 61), task, "gpu")
    check(facts["root_device"] == "cuda",
          say(f"make_trainer(..., accelerator='gpu') trained on {facts['root_device']}.",
              f"make_trainer(..., accelerator='gpu')가 {facts['root_device']}에서 학습했습니다."),
          say("Pass accelerator=accelerator to L.Trainer.",
              "L.Trainer에 accelerator=accelerator를 넘기세요."))
    _, _, x_val, y_val = task
    params = _require_mlp(facts["final"], say("the model's final state_dict", "모델의 최종 state_dict"))
    accuracy, _ = _scores(params, x_val, y_val)
    check(accuracy >= 0.8, say(f"after 2 epochs on the GPU the model's accuracy on the validation split is "
                               f"{accuracy:.3f} (computed by the grader from its weights), expected at least 0.8.",
                               f"GPU에서 2에폭 학습한 뒤 검증 데이터에서 모델의 정확도가 {accuracy:.3f}입니다(가중치로 채점기가 "
                               f"계산). 적어도 0.8이어야 합니다."))
