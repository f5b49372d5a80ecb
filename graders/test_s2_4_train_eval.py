"""2.4 Training and evaluation: the loop against a reference loop with torch.optim, eval mode and
no_grad observed from inside the model, a bit-exact resume, and convergence on scikit-learn's digits."""
import copy

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from graders.support.assertions import (
    assert_scalar,
    assert_tensor,
    check,
    expect_type,
    say,
)
from graders.support import errors
from graders.support.data import digits
from ptgrade.remote import observation

CONVERGENCE_EPOCHS, CONVERGENCE_THRESHOLD = 3, 0.85  # 129 SGD steps; the worst of 20 seeds reached 0.915


class Probe(nn.Module):
    """Wraps a model and records, at every forward, whether autograd was on and the training flag."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.seen = []

    def forward(self, x):
        self.seen.append((torch.is_grad_enabled(), self.training))
        return self.inner(x)


def _toy_data(seed, n=50, features=8, classes=3):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, features, generator=generator)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
    return TensorDataset(x, y % classes)


def _mlp(seed, features=8, classes=3, hidden=16, extra=()):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(features, hidden), *extra, nn.ReLU(), nn.Linear(hidden, classes))


def _reference_epoch(model, loader, optimizer, mistake=None):
    """One epoch the right way, or with a known mistake (to name it when a student's run matches)."""
    model.train()
    losses = []
    for x, y in loader:
        if mistake != "no_zero_grad":
            optimizer.zero_grad()
        logits = model(x)
        if mistake == "softmax":
            logits = logits.softmax(dim=1)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        if mistake == "zero_grad_after_backward":
            optimizer.zero_grad()
        optimizer.step()
        losses.append(loss.item() * len(y))
    return sum(losses) / len(loader.dataset)


def _params(model):
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def _sgd(model):
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


# -- what the student's loop does to models built here: run in its process, reported as data ------------------
@observation
def one_training_epoch(impl, model_seed, data_seed, batch_size, probe=False, eval_first=False):
    """train_one_epoch(model, loader, CrossEntropyLoss(), SGD) on _mlp(model_seed) (inside a Probe with `probe`, left
    in eval mode first with `eval_first`) over _toy_data(data_seed) in unshuffled batches: what it returned, all
    parameters after it, and the Probe's (grad enabled, training) at every forward (None without a Probe)."""
    model = Probe(_mlp(model_seed)) if probe else _mlp(model_seed)
    if eval_first:
        model.eval()  # as evaluate() leaves it
    loader = DataLoader(_toy_data(data_seed), batch_size=batch_size, shuffle=False)
    returned = impl.train_one_epoch(model, loader, nn.CrossEntropyLoss(), _sgd(model))
    return returned, _params(model), model.seen if probe else None


@observation
def evaluate_after_train_mode(impl):
    """evaluate(model, loader of 45 samples in batches of 20, CrossEntropyLoss()) for _eval_setup()'s model left in
    training mode: what it returned and BatchNorm's running_mean after it."""
    model, dataset = _eval_setup()
    model.train()
    result = impl.evaluate(model, DataLoader(dataset, batch_size=20), nn.CrossEntropyLoss())
    return result, model[1].running_mean.detach().clone()


@observation
def evaluate_through_probe(impl):
    """evaluate(Probe(_mlp(7)), 2 batches of _toy_data(8), CrossEntropyLoss()): the Probe's (grad enabled, training)
    at every forward, and whether each parameter's .grad is still None."""
    probe = Probe(_mlp(7))
    impl.evaluate(probe, DataLoader(_toy_data(8), batch_size=25), nn.CrossEntropyLoss())
    return probe.seen, [p.grad is None for p in probe.parameters()]


@observation
def save_toy_checkpoint(impl, path, epoch):
    """save_checkpoint(path, _mlp(12), Adam(lr=0.01), epoch)."""
    model = _mlp(12)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    impl.save_checkpoint(path, model, optimizer, epoch)


@observation
def load_into_fresh_model(impl, path):
    """load_checkpoint(path, _mlp(13), Adam(lr=0.3)): what it returned, the model's parameters and the optimizer's
    lr after it."""
    fresh = _mlp(13)
    fresh_opt = torch.optim.Adam(fresh.parameters(), lr=0.3)
    epoch = impl.load_checkpoint(path, fresh, fresh_opt)
    return epoch, _params(fresh), fresh_opt.param_groups[0]["lr"]


@observation
def toy_training_run(impl, path, stop_after=None):
    """_train_run in the student's process: all parameters at the end and the epoch it ended at."""
    model, _, epoch = _train_run(impl, path, stop_after)
    return _params(model), epoch


@observation
def digits_training_run(impl):
    """CONVERGENCE_EPOCHS epochs of train_one_epoch on the digits, then evaluate on the validation part: the mean
    losses it returned per epoch, and what evaluate returned."""
    x_train, y_train, x_val, y_val = digits(seed=0)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    losses = [impl.train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer) for _ in range(CONVERGENCE_EPOCHS)]
    val = impl.evaluate(model, DataLoader(TensorDataset(x_val, y_val), batch_size=128), nn.CrossEntropyLoss())
    return losses, val


@observation
def one_cuda_epoch(impl):
    """One train_one_epoch of _mlp(15) moved to CUDA over CPU batches of _toy_data(14), then evaluate on the same
    loader: the parameters (on the CPU) and what evaluate returned."""
    loader = DataLoader(_toy_data(14), batch_size=16)  # batches stay on the CPU
    theirs = _mlp(15).cuda()
    impl.train_one_epoch(theirs, loader, nn.CrossEntropyLoss(), _sgd(theirs))
    return _params(theirs).cpu(), impl.evaluate(theirs, loader, nn.CrossEntropyLoss())


MISTAKES = {
    "no_zero_grad": say("optimizer.zero_grad() is never called, so gradients add up across batches; call it before "
                        "loss.backward() in every step.",
                        "optimizer.zero_grad()가 한 번도 호출되지 않아(never called) 변화도가 배치마다 누적됩니다; "
                        "매 단계 loss.backward() 전에 호출하세요."),
    "zero_grad_after_backward": say("optimizer.zero_grad() runs between loss.backward() and optimizer.step(), so every step "
                                    "uses zero gradients; call zero_grad before backward.",
                                    "optimizer.zero_grad()가 loss.backward()와 optimizer.step() 사이(between "
                                    "loss.backward() and optimizer.step())에서 실행되어 매 단계가 0인 변화도를 씁니다; "
                                    "zero_grad는 backward 전에 호출하세요."),
    "softmax": say("softmax is applied before CrossEntropyLoss; the loss expects raw logits (it applies log_softmax itself).",
                   "CrossEntropyLoss 전에 softmax가 적용되었습니다; 이 손실 함수는 가공하지 않은 로짓(raw logits)을 "
                   "기대합니다(log_softmax를 스스로 적용합니다)."),
}


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("accuracy is the fraction of rows whose argmax is the target",
                   ko="accuracy는 argmax가 정답과 같은 행의 비율을 반환합니다")
def test_accuracy_is_fraction_of_argmax_hits(impl):
    hint = say("Compare logits.argmax(dim=1) (the class axis, not the batch axis) with targets and take the mean.",
               "logits.argmax(dim=1)(배치 축이 아니라 클래스 축, class axis)을 targets와 비교하고 평균을 내세요.")
    square = torch.tensor([[0.1, 2.0, -1.0, 0.0], [3.0, 0.0, 0.5, 0.2], [3.5, 0.2, 0.9, 0.1], [1.0, 1.5, 0.3, 2.0]])
    wide = torch.tensor([[0.1, 2.0, -1.0, 0.0, 0.3], [3.0, 0.0, 0.5, 0.2, 0.1], [0.0, 0.2, 0.1, 0.0, 0.9]])
    for logits, targets, want in ((square, torch.tensor([1, 0, 3, 3]), 0.75), (wide, torch.tensor([1, 2, 4]), 2 / 3)):
        n, c = logits.shape
        got = errors.calling(say(f"accuracy for ({n}, {c}) logits", f"({n}, {c}) 로짓에 대해 accuracy"), hint,
                             impl.accuracy, logits, targets)
        check(type(got) is float, say(f"accuracy(logits, targets) should return a Python float, got {type(got).__name__}.",
                                      f"accuracy(logits, targets)는 Python float를 반환해야 하는데 "
                                      f"{type(got).__name__}입니다."),
              say("Turn the result into a number with .item().", ".item()으로 결과를 숫자로 바꾸세요."))
        assert_scalar(got, want, say(f"accuracy for ({n}, {c}) logits with {round(want * n)} of {n} rows right",
                                     f"{n}개 행 중 {round(want * n)}개가 맞는 ({n}, {c}) 로짓에 대한 accuracy"),
                      hint=hint)


@pytest.mark.points(3)
@pytest.mark.gradients
@pytest.mark.title("train_one_epoch updates the model exactly as a correct loop does",
                   ko="train_one_epoch은 올바른 학습 루프와 똑같이 모델을 갱신합니다")
def test_train_one_epoch_matches_reference_loop(impl):
    loader = DataLoader(_toy_data(0), batch_size=16, shuffle=False)
    _, got, _ = one_training_epoch(impl, 1, 0, 16)
    outcomes = {}
    for mistake in (None, *MISTAKES):
        model = _mlp(1)
        _reference_epoch(model, loader, _sgd(model), mistake)
        outcomes[mistake] = _params(model)
    for mistake, hint in MISTAKES.items():
        check(not torch.allclose(got, outcomes[mistake], rtol=1e-5, atol=1e-7),
              say("After one epoch of train_one_epoch (SGD, momentum 0.9, 4 batches, no shuffling) the parameters match a "
                  "loop with a known mistake, not torch's correct loop.",
                  "train_one_epoch으로 한 에폭(SGD, momentum 0.9, 배치 4개, 섞지 않음)을 학습한 뒤의 매개변수가 torch의 "
                  "올바른 루프가 아니라 알려진 실수가 있는 루프의 결과와 같습니다."), hint)
    assert_tensor(got, outcomes[None], say("all parameters after one epoch of train_one_epoch, against a reference loop",
                                           "train_one_epoch으로 한 에폭 학습한 뒤의 모든 매개변수(참조 루프와 비교)"),
                  hint=say("Each batch: optimizer.zero_grad(), loss = loss_fn(model(x), y) on raw logits, loss.backward(), "
                           "optimizer.step(): exactly once each, in that order.",
                           "배치마다: optimizer.zero_grad(), 가공하지 않은 로짓으로 loss = loss_fn(model(x), y), "
                           "loss.backward(), optimizer.step()을 이 순서로 정확히 한 번씩 하세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("train_one_epoch returns the mean loss per sample as a float",
                   ko="train_one_epoch은 샘플당 평균 손실을 float로 반환합니다")
def test_train_one_epoch_returns_mean_loss_as_float(impl):
    loader = DataLoader(_toy_data(2), batch_size=16, shuffle=False)  # 16 + 16 + 16 + 2 samples
    got, _, _ = one_training_epoch(impl, 3, 2, 16)
    check(type(got) is float, say(f"train_one_epoch should return a Python float, got {type(got).__name__}"
                                  + (" that still holds the autograd graph of the whole epoch" if isinstance(got, torch.Tensor) and got.requires_grad else "")
                                  + ".",
                                  "train_one_epoch은 Python float를 반환해야 하는데 "
                                  + ("에폭 전체의 Autograd 그래프를 아직 붙잡고 있는 " if isinstance(got, torch.Tensor) and got.requires_grad else "")
                                  + f"{type(got).__name__}입니다."),
          say("Accumulate loss.item() * batch_size, not the loss tensor: a tensor sum keeps every batch's graph alive.",
              "손실 텐서가 아니라 loss.item() * batch_size를 누적하세요: 텐서로 합하면 모든 배치의 그래프가 메모리에 "
              "남습니다."))
    model = _mlp(3)
    want = _reference_epoch(model, loader, _sgd(model))
    assert_scalar(got, want, say("train_one_epoch's mean loss per sample (batches of 16, 16, 16, 2)",
                                 "train_one_epoch의 샘플당 평균 손실(배치 크기 16, 16, 16, 2)"), rtol=1e-5,
                  hint=say("Weight each batch's loss.item() (taken before the step) by its size and divide by the number of samples.",
                           "(step 전에 구한) 각 배치의 loss.item()에 배치 크기를 곱해 더하고, 샘플 수로 나누세요."))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("train_one_epoch puts the model in training mode",
                   ko="train_one_epoch은 모델을 학습 모드로 전환합니다")
def test_train_one_epoch_sets_train_mode(impl):
    _, _, seen = one_training_epoch(impl, 4, 4, 25, probe=True, eval_first=True)
    check(len(seen) == 2 and all(grad and training for grad, training in seen),
          say(f"train_one_epoch on a model left in eval mode: every forward should run in training mode with autograd on; "
              f"saw (grad enabled, training) = {seen}.",
              f"평가 모드로 남아 있던 모델에 대한 train_one_epoch: 모든 순전파(forward)는 Autograd가 켜진 학습 모드에서 "
              f"실행되어야 하는데, 관찰한 (grad enabled, training) = {seen}입니다."),
          say("Call model.train() at the start of every epoch: evaluate() switched Dropout and BatchNorm to eval mode.",
              "매 에폭 시작에 model.train()을 호출하세요: evaluate()가 Dropout과 BatchNorm을 평가 모드로 바꿨습니다."))


def _eval_setup():
    model = _mlp(5, extra=(nn.BatchNorm1d(16), nn.Dropout(0.5)))
    dataset = _toy_data(6, n=45)
    with torch.no_grad():  # give BatchNorm non-trivial running statistics
        model.train()
        model(dataset.tensors[0] * 2 + 1)
    return model, dataset


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("evaluate measures loss and accuracy with the model in eval mode",
                   ko="evaluate는 모델을 평가 모드로 두고 손실과 정확도를 계산합니다")
def test_evaluate_uses_eval_mode(impl):
    model, dataset = _eval_setup()
    x, y = dataset.tensors
    reference = copy.deepcopy(model).eval()
    with torch.no_grad():
        logits = reference(x)
    want_loss, want_acc = F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()
    result, running_mean = evaluate_after_train_mode(impl)
    result = expect_type(result, tuple, "evaluate(model, loader, loss_fn)",
                         say("Return (mean_loss, accuracy) as a tuple of floats.",
                             "(mean_loss, accuracy)를 float의 tuple로 반환하세요."))
    check(len(result) == 2, say(f"evaluate should return (mean_loss, accuracy), got {len(result)} values.",
                                f"evaluate는 (mean_loss, accuracy)를 반환해야 하는데 값이 {len(result)}개입니다."))
    hint = say("Call model.eval() first: in training mode Dropout drops units at random and BatchNorm uses (and updates) "
               "batch statistics instead of its running ones.",
               "먼저 model.eval()을 호출하세요: 학습 모드에서는 Dropout이 유닛을 무작위로 끄고, BatchNorm이 running "
               "통계 대신 배치 통계를 사용(하고 갱신)합니다.")
    assert_tensor(running_mean, reference[1].running_mean, say("BatchNorm's running_mean after evaluate",
                                                               "evaluate 뒤 BatchNorm의 running_mean"), hint=hint)
    assert_scalar(result[0], want_loss, say("evaluate's mean loss (batches of 20, 20, 5) against one eval-mode pass",
                                            "평가 모드 한 번의 계산과 비교한 evaluate의 평균 손실(배치 크기 20, 20, 5)"),
                  rtol=1e-5, hint=hint + say(" Weight each batch's loss by its size.",
                                             " 각 배치의 손실에 배치 크기만큼 가중치를 주세요."))
    assert_scalar(result[1], want_acc, say("evaluate's accuracy against one eval-mode pass",
                                           "평가 모드 한 번의 계산과 비교한 evaluate의 정확도"), rtol=1e-6, hint=hint)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("evaluate runs without autograd and leaves no gradients",
                   ko="evaluate는 Autograd 없이 실행되며 변화도를 남기지 않습니다")
def test_evaluate_runs_without_grad(impl):
    seen, grad_is_none = evaluate_through_probe(impl)
    check(len(seen) == 2, say(f"evaluate over 2 batches called the model {len(seen)} times.",
                              f"배치 2개에 대한 evaluate가 모델을 {len(seen)}번 호출했습니다."),
          say("One forward per batch.", "배치마다 순전파(forward)는 한 번입니다."))
    check(not any(grad for grad, _ in seen),
          say("evaluate ran the model with autograd on: every forward records a graph that is never used.",
              "evaluate가 Autograd를 켠 채로 모델을 실행했습니다: 순전파마다 쓰이지 않을 그래프가 기록됩니다."),
          say("Wrap the loop in `with torch.no_grad():` (or torch.inference_mode()).",
              "루프를 `with torch.no_grad():`(또는 torch.inference_mode())로 감싸세요."))
    check(all(grad_is_none), say("evaluate left gradients in the parameters' .grad.",
                                 "evaluate가 매개변수의 .grad에 변화도를 남겼습니다."),
          say("Evaluation never calls backward.", "평가에서는 backward를 호출하지 않습니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("EarlyStopping stops after patience epochs without improvement",
                   ko="EarlyStopping은 개선 없는 에폭이 patience만큼 이어지면 멈춥니다")
def test_early_stopping_waits_for_patience(impl):
    cases = (([1.0, 0.9, 0.95, 0.91, 0.89, 0.92, 0.93, 0.94, 0.95], 3, 0.0, 7, 0.89),
             ([1.0, 0.96, 0.94, 0.93, 0.92, 0.91], 2, 0.05, 4, 0.94),
             ([3.0, 2.0, 1.0, 0.5], 1, 0.0, None, 0.5),
             ([2.0, 1.0, 1.0, 1.0], 2, None, 3, 1.0))  # min_delta at its default; an equal loss is no improvement
    for losses, patience, min_delta, stop_at, best in cases:
        if min_delta is None:
            stopper, made = impl.EarlyStopping(patience), f"EarlyStopping(patience={patience})"
        else:
            stopper = impl.EarlyStopping(patience, min_delta=min_delta)
            made = f"EarlyStopping(patience={patience}, min_delta={min_delta})"
        decisions = [bool(stopper.step(loss)) for loss in losses]
        first = decisions.index(True) if True in decisions else None
        check(first == stop_at and not any(decisions[:stop_at or len(losses)]),
              say(f"{made} fed {losses}: expected the first True at epoch {stop_at}, got {first} (decisions "
                  f"{decisions}).",
                  f"{losses}를 받은 {made}: 첫 True가 에폭 {stop_at}에 나와야 하는데 {first}입니다(판정 {decisions})."),
              say("Count epochs without an improvement (loss < best - min_delta, strictly: an equal loss is not one), "
                  "reset the count when it improves, and stop once the count reaches patience (>=, not >).",
                  "개선(loss < best - min_delta, 엄격하게: 같은 손실은 개선이 아닙니다)이 없는 에폭 수를 세고, 개선되면 "
                  "그 수를 다시 0으로 하세요(reset the count). 그 수가 patience에 이르면 멈추세요(>이 아니라 >=)."))
        assert_scalar(stopper.best, best, say(f"EarlyStopping.best after {losses[:stop_at and stop_at + 1]}",
                                              f"{losses[:stop_at and stop_at + 1]} 뒤의 EarlyStopping.best"),
                      hint=say("best is the lowest loss that counted as an improvement.",
                               "best는 개선으로 인정된 가장 낮은 손실입니다."))


def _train_run(impl, path, stop_after=None):
    """3 epochs on toy data with Adam (its moments are state); reseeded per epoch so dropout and
    shuffling depend only on the epoch. With `stop_after`, checkpoint then resume in a fresh model."""
    dataset = _toy_data(9, n=40)
    model = _mlp(10, extra=(nn.Dropout(0.2),))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    epoch = 0
    while epoch < 3:
        torch.manual_seed(100 + epoch)
        loader = DataLoader(dataset, batch_size=16, shuffle=True, generator=torch.Generator().manual_seed(epoch))
        impl.train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer)
        epoch += 1
        if epoch == stop_after:
            impl.save_checkpoint(path, model, optimizer, epoch)
            model = _mlp(11, extra=(nn.Dropout(0.2),))  # other weights: all must come from the file
            optimizer = torch.optim.Adam(model.parameters(), lr=0.5)
            epoch = impl.load_checkpoint(path, model, optimizer)
            stop_after = None
    return model, optimizer, epoch


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("Checkpoints load with weights_only=True and restore the training state",
                   ko="체크포인트는 weights_only=True로 불러올 수 있고 모델과 옵티마이저를 복원합니다")
def test_checkpoint_loads_with_weights_only(impl, tmp_path):
    save_toy_checkpoint(impl, tmp_path / "ckpt.pt", 4)
    try:
        torch.load(tmp_path / "ckpt.pt", weights_only=True)
    except Exception as error:  # noqa: BLE001 - any failure is the student's checkpoint
        raise AssertionError(say(
            f"torch.load(checkpoint) (weights_only=True, the default) failed: {str(error).splitlines()[0][:200]}\n"
            "Hint: save model.state_dict() and optimizer.state_dict() (tensors, numbers, dicts), not the model or "
            "optimizer object: unpickling arbitrary objects is refused by default.",
            f"torch.load(checkpoint)(weights_only=True, 기본값)가 실패했습니다: {str(error).splitlines()[0][:200]}\n"
            "힌트: 모델이나 옵티마이저 객체가 아니라 model.state_dict()와 optimizer.state_dict()(텐서, 숫자, dict)를 "
            "저장하세요: 임의 객체의 unpickling은 기본적으로 거부됩니다.")) from None
    epoch, loaded, lr = load_into_fresh_model(impl, tmp_path / "ckpt.pt")
    check(epoch == 4, say(f"load_checkpoint should return the saved epoch 4, got {epoch!r}.",
                          f"load_checkpoint는 저장된 에폭 4를 반환해야 하는데 {epoch!r}입니다."),
          say("Store the epoch in the checkpoint.", "체크포인트에 에폭을 저장하세요."))
    assert_tensor(loaded, _params(_mlp(12)), say("the parameters of a fresh model after load_checkpoint",
                                                 "load_checkpoint 뒤 새 모델의 매개변수"),
                  hint=say("model.load_state_dict(checkpoint[...]) copies the saved weights into the model you are given.",
                           "model.load_state_dict(checkpoint[...])는 저장된 가중치를 전달받은 모델에 복사합니다."))
    check(lr == 0.01, say(f"after load_checkpoint the optimizer's lr is {lr}, expected the saved 0.01.",
                          f"load_checkpoint 뒤 옵티마이저의 학습률(lr)이 {lr}입니다; 저장된 0.01이어야 합니다."),
          say("Also call optimizer.load_state_dict(...).", "optimizer.load_state_dict(...)도 호출하세요."))


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("A resumed run ends bit-for-bit where an uninterrupted one does",
                   ko="체크포인트에서 재개한 학습은 중단 없는 학습과 비트 단위까지 같은 결과를 냅니다")
def test_resumed_run_equals_uninterrupted(impl, tmp_path):
    straight, _ = toy_training_run(impl, tmp_path / "unused.pt")
    resumed, epoch = toy_training_run(impl, tmp_path / "ckpt.pt", stop_after=1)
    check(epoch == 3, say(f"the resumed run should end at epoch 3, ran to {epoch}.",
                          f"재개한 학습은 에폭 3에서 끝나야 하는데 {epoch}까지 실행되었습니다."),
          say("load_checkpoint returns the saved epoch.", "load_checkpoint는 저장된 에폭을 반환합니다."))
    hint = say("Save and restore both state_dicts: the model's and the optimizer's (Adam's moment estimates and step "
               "count live in optimizer.state_dict(); a fresh optimizer restarts them from zero).",
               "모델과 옵티마이저의 state_dict를 모두 저장하고 복원하세요(Adam의 moment 추정값과 step 수는 "
               "optimizer.state_dict()에 있습니다; 새 옵티마이저는 이를 0부터 다시 시작합니다).")
    check(torch.equal(resumed, straight),
          say("3 epochs with a checkpoint saved and loaded after epoch 1 do not give bit-for-bit the parameters of 3 epochs "
              f"in one go (max difference {(resumed - straight).abs().max().item():.3g}).",
              "에폭 1 뒤에 체크포인트를 저장하고 불러와 학습한 3 에폭의 매개변수가 한 번에 학습한 3 에폭의 매개변수와 "
              f"비트 단위까지 같지 않습니다(최대 차이 {(resumed - straight).abs().max().item():.3g})."), hint)


@pytest.fixture(scope="module")
def digits_run(impl):
    """One bounded training run on the digits, shared by the convergence checks."""
    return digits_training_run(impl)


@pytest.mark.points(3)
@pytest.mark.convergence
@pytest.mark.title("Training on the digits reaches 85% validation accuracy",
                   ko="digits로 학습하면 검증 정확도가 85% 이상이 됩니다")
def test_training_reaches_accuracy_on_digits(impl, digits_run):
    losses, (val_loss, val_acc) = digits_run
    check(losses[-1] < losses[0], say(f"the mean training loss did not fall over {CONVERGENCE_EPOCHS} epochs: {losses}.",
                                      f"{CONVERGENCE_EPOCHS} 에폭 동안 평균 학습 손실이 줄지 않았습니다: {losses}."),
          say("Check the order zero_grad, backward, step, and that the loss sees raw logits.",
              "zero_grad, backward, step의 순서와, 손실 함수가 가공하지 않은 로짓을 받는지 확인하세요."))
    check(val_acc >= CONVERGENCE_THRESHOLD,
          say(f"after {CONVERGENCE_EPOCHS} epochs (129 SGD steps) on the digits the validation accuracy is {val_acc:.3f}; "
              f"a correct loop reaches at least {CONVERGENCE_THRESHOLD}.",
              f"digits로 {CONVERGENCE_EPOCHS} 에폭(SGD 129단계) 학습한 뒤 검증 정확도가 {val_acc:.3f}입니다; "
              f"올바른 루프라면 최소 {CONVERGENCE_THRESHOLD}에 이릅니다."),
          say("Check the training step (zero_grad, backward, step) and that evaluate compares argmax(dim=1) with the labels.",
              "학습 단계(zero_grad, backward, step)와, evaluate가 argmax(dim=1)를 레이블과 비교하는지 확인하세요."))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("train_one_epoch moves each batch to the model's device",
                   ko="train_one_epoch은 각 배치를 모델이 있는 장치로 옮깁니다")
def test_train_one_epoch_moves_batches_to_the_model_device(impl):
    loader = DataLoader(_toy_data(14), batch_size=16)  # batches stay on the CPU
    got, evaluated = one_cuda_epoch(impl)
    model = _mlp(15)
    _reference_epoch(model, loader, _sgd(model))
    assert_tensor(got, _params(model), say("parameters after one CUDA epoch", "CUDA에서 한 에폭 학습한 뒤의 매개변수"),
                  rtol=1e-4, atol=1e-5,
                  hint=say("Move each batch to the model's device: x.to(next(model.parameters()).device).",
                           "각 배치를 모델이 있는 장치로 옮기세요: x.to(next(model.parameters()).device)."))
    loss, _ = evaluated
    check(isinstance(loss, float), say("evaluate on a CUDA model should return float numbers.",
                                       "CUDA 모델에 대한 evaluate는 float 숫자를 반환해야 합니다."),
          say("Use .item().", ".item()을 쓰세요."))
