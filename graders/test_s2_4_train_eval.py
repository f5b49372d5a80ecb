"""2.4 Training and evaluation: the student's functions called directly on models, loaders and optimizers that live in
its process; the judge pulls the state they leave and compares it with its own runs of the same loop (eval and train
mode read from BatchNorm's numbers, a checkpoint read by the judge itself, a bit-exact resume against the judge's own
uninterrupted run), and scores the weights trained on scikit-learn's digits (labels renamed per run) in its own copy of
the model."""
import copy

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader

from graders.observations.s2_4_train_eval import (
    _digits_model,
    _eval_setup,
    _mlp,
    _sgd,
    _stale_grads,
    _toy_data,
    _toy_model,
    cuda_setup,
    digits_setup,
    eval_setup,
    grads_left,
    mlp_with_adam,
    open_event_writers,
    seed_global_rng,
    shuffled_toy_loader,
    toy_setup,
)
from graders.support import errors, student_files
from graders.support.assertions import (
    assert_scalar,
    assert_tensor,
    check,
    expect_type,
    say,
)
from graders.support.data import digits

CONVERGENCE_EPOCHS, CONVERGENCE_THRESHOLD = 3, 0.85  # 129 SGD steps; the worst of 20 label permutations (run_seed 1..20) reached 0.935


def _reference_epoch(model, loader, optimizer, mistake=None):
    """One epoch the right way, or with a known mistake (to name it when a student's run matches)."""
    model.train()
    losses = []
    for x, y in loader:
        if mistake not in ("no_zero_grad", "zero_grad_after_step"):
            optimizer.zero_grad()
        logits = model(x)
        if mistake == "softmax":
            logits = logits.softmax(dim=1)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        if mistake == "zero_grad_after_backward":
            optimizer.zero_grad()
        optimizer.step()
        if mistake == "zero_grad_after_step":
            optimizer.zero_grad()
        losses.append(loss.item() * len(y))
    return sum(losses) / len(loader.dataset)


def _with_stale_grads(model):
    """`model` with _stale_grads in every .grad, as toy_setup(stale_grads=True) hands it to the student's function."""
    for parameter, grad in zip(model.parameters(), _stale_grads(model)):
        parameter.grad = grad
    return model


def _params(model):
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def _pulled(model, what):
    """The state_dict of a model in the student's process, as the judge's own tensors (on the CPU)."""
    state = model.state_dict()
    check(isinstance(state, dict) and all(type(v) in (torch.Tensor, torch.nn.Parameter) for v in state.values()),
          say(f"{what}: the model's state_dict() did not come back as tensors.",
              f"{what}: 모델의 state_dict()가 텐서로 전달되지 않았습니다."))
    return {name: value.detach().cpu() for name, value in state.items()}


def _assert_state(got, model, what, hint, rtol=None, atol=None):
    """The pulled state `got` is the state of the judge's `model`, key by key."""
    want = {name: value.detach() for name, value in model.state_dict().items()}
    check(list(got) == list(want), say(f"{what}: the model's state_dict has keys {list(got)[:6]}, expected "
                                       f"{list(want)[:6]}.",
                                       f"{what}: 모델의 state_dict 키가 {list(got)[:6]}입니다. 기댓값은 {list(want)[:6]}입니다."),
          hint)
    for name, value in want.items():
        assert_tensor(got[name], value, say(f"{what}: {name}", f"{what}: {name}"), hint=hint, rtol=rtol, atol=atol)


def _flat(state):
    return torch.cat([v.detach().flatten().float() for v in state.values()])


MISTAKES = {
    "no_zero_grad": say("optimizer.zero_grad() is never called, so gradients add up across batches; call it before "
                        "loss.backward() in every step.",
                        "optimizer.zero_grad()가 한 번도 호출되지 않아 변화도가 배치마다 누적됩니다. "
                        "매 단계 loss.backward() 전에 호출하세요."),
    "zero_grad_after_backward": say("optimizer.zero_grad() runs between loss.backward() and optimizer.step(), so every step "
                                    "uses zero gradients; call zero_grad before backward.",
                                    "optimizer.zero_grad()가 loss.backward()와 optimizer.step() 사이에서 실행되어 "
                                    "매 단계가 0인 변화도를 씁니다. "
                                    "zero_grad는 backward 전에 호출하세요."),
    "zero_grad_after_step": say("optimizer.zero_grad() runs after optimizer.step() instead of first, so the first step "
                                "trains on the gradients an earlier backward left in .grad; call zero_grad at the start of "
                                "every step, before the forward.",
                                "optimizer.zero_grad()가 맨 앞이 아니라 optimizer.step() 뒤에 실행되어, 첫 단계가 이전의 "
                                "backward가 .grad에 남긴 변화도로 학습합니다. zero_grad는 매 단계의 시작, 순전파 전에 "
                                "호출하세요."),
    "softmax": say("softmax is applied before CrossEntropyLoss; the loss expects raw logits (it applies log_softmax itself).",
                   "CrossEntropyLoss 전에 softmax가 적용되었습니다. 이 손실 함수는 소프트맥스를 거치지 않은 로짓을 "
                   "기대합니다(log_softmax를 스스로 적용합니다)."),
}


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("accuracy is the fraction of rows whose argmax is the target",
                   ko="accuracy는 argmax가 정답과 같은 행의 비율을 반환합니다")
def test_accuracy_is_fraction_of_argmax_hits(impl, run_seed):
    hint = say("Compare logits.argmax(dim=1) (the class axis, not the batch axis) with targets and take the mean.",
               "logits.argmax(dim=1)(배치 축이 아니라 클래스 축)의 결과를 targets와 비교하고 평균을 내세요.")
    square = torch.tensor([[0.1, 2.0, -1.0, 0.0], [3.0, 0.0, 0.5, 0.2], [3.5, 0.2, 0.9, 0.1], [1.0, 1.5, 0.3, 2.0]])
    wide = torch.tensor([[0.1, 2.0, -1.0, 0.0, 0.3], [3.0, 0.0, 0.5, 0.2, 0.1], [0.0, 0.2, 0.1, 0.0, 0.9]])
    generator = torch.Generator().manual_seed(run_seed)  # and a case drawn for this run: no table of answers
    drawn = torch.randn(11, 6, generator=generator)
    drawn_targets = torch.where(torch.rand(11, generator=generator) < 0.5, drawn.argmax(1),
                                torch.randint(0, 6, (11,), generator=generator))
    for logits, targets, want in ((square, torch.tensor([1, 0, 3, 3]), 0.75), (wide, torch.tensor([1, 2, 4]), 2 / 3),
                                  (drawn, drawn_targets, (drawn.argmax(1) == drawn_targets).double().mean().item())):
        n, c = logits.shape
        got = errors.calling(say(f"accuracy for ({n}, {c}) logits", f"shape가 ({n}, {c})인 로짓에 대한 accuracy"), hint,
                             impl.accuracy, logits, targets)
        check(type(got) is float, say(f"accuracy(logits, targets) should return a Python float, got {type(got).__name__}.",
                                      f"accuracy(logits, targets)는 Python float를 반환해야 하는데 "
                                      f"{type(got).__name__}입니다."),
              say("Turn the result into a number with .item().", ".item()으로 결과를 숫자로 바꾸세요."))
        assert_scalar(got, want, say(f"accuracy for ({n}, {c}) logits with {round(want * n)} of {n} rows right",
                                     f"shape가 ({n}, {c})이고 {n}개 행 중 {round(want * n)}개가 맞는 로짓에 대한 accuracy"),
                      hint=hint)


@pytest.mark.points(3)
@pytest.mark.gradients
@pytest.mark.title("train_one_epoch updates the model exactly as a correct loop does",
                   ko="train_one_epoch은 올바른 학습 루프와 똑같이 모델을 갱신합니다")
def test_train_one_epoch_matches_reference_loop(impl):
    loader = DataLoader(_toy_data(0), batch_size=16, shuffle=False)
    live = toy_setup(impl, 1, 0, 16, stale_grads=True)  # .grad left by an earlier backward: zero_grad must clear it
    impl.train_one_epoch(live["model"], live["loader"], live["loss_fn"], live["optimizer"])
    got = _flat(_pulled(live["model"], say("the model after train_one_epoch", "train_one_epoch 뒤의 모델")))
    outcomes = {}
    for mistake in (None, *MISTAKES):
        model = _with_stale_grads(_mlp(1))
        _reference_epoch(model, loader, _sgd(model), mistake)
        outcomes[mistake] = _flat(model.state_dict())
    for mistake, hint in MISTAKES.items():
        check(got.shape != outcomes[mistake].shape or not torch.allclose(got, outcomes[mistake], rtol=1e-5, atol=1e-7),
              say("After one epoch of train_one_epoch (SGD, momentum 0.9, 4 batches, no shuffling, the model handed over "
                  "with gradients left in .grad) the parameters match a loop with a known mistake, not torch's correct "
                  "loop.",
                  "train_one_epoch으로 한 에폭(SGD, 모멘텀 0.9, 배치 4개, 섞지 않음, .grad에 변화도가 남은 채로 넘겨받은 "
                  "모델)을 학습한 뒤의 매개변수가 torch의 올바른 루프가 아니라 알려진 실수가 있는 루프의 결과와 "
                  "같습니다."), hint)
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
    live = toy_setup(impl, 3, 2, 16)
    got = impl.train_one_epoch(live["model"], live["loader"], live["loss_fn"], live["optimizer"])
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
    _assert_state(_pulled(live["model"], "train_one_epoch"), model,
                  say("the model after the train_one_epoch whose mean loss is checked",
                      "평균 손실을 확인한 train_one_epoch 호출 뒤의 모델"),
                  say("Each batch: optimizer.zero_grad(), loss = loss_fn(model(x), y), loss.backward(), optimizer.step().",
                      "배치마다: optimizer.zero_grad(), loss = loss_fn(model(x), y), loss.backward(), optimizer.step()."))
    assert_scalar(got, want, say("train_one_epoch's mean loss per sample (batches of 16, 16, 16, 2)",
                                 "train_one_epoch의 샘플당 평균 손실(배치 크기 16, 16, 16, 2)"), rtol=1e-5,
                  hint=say("Weight each batch's loss.item() (taken before the step) by its size and divide by the number of samples.",
                           "(optimizer.step() 전에 구한) 각 배치의 loss.item()에 배치 크기를 곱해 더하고, 샘플 수로 나누세요."))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("train_one_epoch puts the model in training mode",
                   ko="train_one_epoch은 모델을 학습 모드로 전환합니다")
def test_train_one_epoch_sets_train_mode(impl):
    # A BatchNorm layer shows the mode in the numbers: in training mode it normalises with batch statistics and
    # updates its running ones; left in eval mode, it does neither. The probe's flags are only shown beside them.
    hint = say("Call model.train() at the start of every epoch: evaluate() switched Dropout and BatchNorm to eval mode.",
               "매 에폭을 시작할 때 model.train()을 호출하세요: evaluate()가 드롭아웃과 BatchNorm을 평가 모드로 바꿨습니다.")
    live = toy_setup(impl, 4, 4, 25, probe=True, eval_first=True, batch_norm=True)
    impl.train_one_epoch(live["model"], live["loader"], live["loss_fn"], live["optimizer"])
    got = _pulled(live["model"], "train_one_epoch")
    seen = live["model"].seen
    model = _toy_model(4, probe=True, eval_first=True, batch_norm=True)
    _reference_epoch(model, DataLoader(_toy_data(4), batch_size=25, shuffle=False), _sgd(model))
    _assert_state(got, model, say(f"a BatchNorm model left in eval mode, after train_one_epoch (its forwards saw (grad "
                                  f"enabled, training) = {seen!r:.80})",
                                  f"평가 모드로 남아 있던 BatchNorm 모델에 train_one_epoch을 실행한 뒤(순전파 때 관찰한 "
                                  f"(torch.is_grad_enabled(), model.training) = {seen!r:.80})"), hint)
    check(isinstance(seen, list) and len(seen) == 2 and all(grad and training for grad, training in seen),
          say(f"train_one_epoch on a model left in eval mode: every forward should run in training mode with autograd on; "
              f"saw (grad enabled, training) = {seen!r:.200}.",
              f"평가 모드로 남아 있던 모델에 대한 train_one_epoch: 모든 순전파는 Autograd가 켜진 학습 모드에서 "
              f"실행되어야 하는데, 관찰한 (torch.is_grad_enabled(), model.training) = {seen!r:.200}입니다."), hint)


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
    live = eval_setup(impl)
    result = impl.evaluate(live["model"], live["loader"], live["loss_fn"])
    running_mean = _pulled(live["model"], "evaluate").get("1.running_mean")
    result = expect_type(result, tuple, "evaluate(model, loader, loss_fn)",
                         say("Return (mean_loss, accuracy) as a tuple of floats.",
                             "(mean_loss, accuracy)를 float 두 개로 된 튜플로 반환하세요."))
    check(len(result) == 2, say(f"evaluate should return (mean_loss, accuracy), got {len(result)} values.",
                                f"evaluate는 (mean_loss, accuracy)를 반환해야 하는데 값이 {len(result)}개입니다."))
    hint = say("Call model.eval() first: in training mode Dropout drops units at random and BatchNorm uses (and updates) "
               "batch statistics instead of its running ones.",
               "먼저 model.eval()을 호출하세요: 학습 모드에서는 드롭아웃이 유닛을 무작위로 끄고, BatchNorm이 누적 "
               "통계 대신 배치 통계를 사용(하고 갱신)합니다.")
    assert_tensor(running_mean, reference[1].running_mean, say("BatchNorm's running_mean after evaluate",
                                                               "evaluate 뒤 BatchNorm의 running_mean"), hint=hint)
    sizes = (20, 20, 5)
    batch_means = [F.cross_entropy(part_logits, part_y).item()
                   for part_logits, part_y in zip(logits.split(sizes), y.split(sizes))]
    unweighted = {(say("the batches' mean losses are averaged as equals, but the last batch holds 5 samples, not 20.",
                        "배치별 평균 손실을 같은 가중치로 평균했지만, 마지막 배치는 샘플이 20개가 아니라 5개입니다."),
                    say("Weight each batch's loss by its size (loss.item() * len(y)) and divide by the number of "
                        "samples.",
                        "각 배치의 손실에 배치 크기만큼 가중치를 주고(loss.item() * len(y)) 샘플 수로 나누세요.")):
                  sum(batch_means) / len(batch_means)}
    assert_scalar(result[0], want_loss, say("evaluate's mean loss (batches of 20, 20, 5) against one eval-mode pass",
                                            "평가 모드로 한 번에 계산한 값과 비교한 evaluate의 평균 손실(배치 크기 20, 20, 5)"),
                  rtol=1e-5, hint=hint + say(" Weight each batch's loss by its size.",
                                             " 각 배치의 손실에 배치 크기만큼 가중치를 주세요."), mistakes=unweighted)
    assert_scalar(result[1], want_acc, say("evaluate's accuracy against one eval-mode pass",
                                           "평가 모드로 한 번에 계산한 값과 비교한 evaluate의 정확도"), rtol=1e-6, hint=hint)
    kinds = ", ".join(type(value).__name__ for value in result)
    check(all(isinstance(value, float) for value in result),
          say(f"evaluate should return two Python floats, got ({kinds}).",
              f"evaluate는 Python float 두 개를 반환해야 하는데 ({kinds})입니다."),
          say("Add up numbers, not tensors: loss.item() and the count of correct predictions .item(); a sum of "
              "tensors stays a tensor.",
              "텐서가 아니라 숫자를 더하세요: loss.item()과 맞힌 개수의 .item()을 더합니다. 텐서를 더하면 계속 "
              "텐서입니다."))


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("evaluate runs without autograd and leaves no gradients",
                   ko="evaluate는 Autograd 없이 실행되며 변화도를 남기지 않습니다")
def test_evaluate_runs_without_grad(impl):
    # Whether autograd was on is what the student's process says (a probe in its model); it counts only beside
    # evaluate's numbers for the same run, which the judge computes.
    live = eval_setup(impl, probe=True)
    result = impl.evaluate(live["model"], live["loader"], live["loss_fn"])
    seen, grad_is_none = live["model"].seen, grads_left(impl, live["model"])
    model, (x, y) = _mlp(7), _toy_data(8).tensors
    with torch.no_grad():
        logits = model.eval()(x)
    result = expect_type(result, tuple, "evaluate(model, loader, loss_fn)",
                         say("Return (mean_loss, accuracy) as a tuple of floats.",
                             "(mean_loss, accuracy)를 float 두 개로 된 튜플로 반환하세요."))
    check(len(result) == 2, say(f"evaluate should return (mean_loss, accuracy), got {len(result)} values.",
                                f"evaluate는 (mean_loss, accuracy)를 반환해야 하는데 값이 {len(result)}개입니다."))
    assert_scalar(result[0], F.cross_entropy(logits, y).item(), say("evaluate's mean loss (2 batches of 25)",
                                                                    "evaluate의 평균 손실(크기 25인 배치 2개)"), rtol=1e-5)
    assert_scalar(result[1], (logits.argmax(1) == y).double().mean().item(),
                  say("evaluate's accuracy (2 batches of 25)", "evaluate의 정확도(크기 25인 배치 2개)"), rtol=1e-6)
    check(isinstance(seen, list) and len(seen) == 2, say(f"evaluate over 2 batches called the model {len(seen)} times.",
                                                         f"배치 2개에 대한 evaluate가 모델을 {len(seen)}번 호출했습니다."),
          say("One forward per batch.", "순전파는 배치마다 한 번만 하세요."))
    check(not any(grad for grad, _ in seen),
          say("evaluate ran the model with autograd on: every forward records a graph that is never used.",
              "evaluate가 Autograd를 켠 채로 모델을 실행했습니다: 순전파마다 쓰이지 않을 그래프가 기록됩니다."),
          say("Wrap the loop in `with torch.no_grad():` (or torch.inference_mode()).",
              "루프를 `with torch.no_grad():`(또는 torch.inference_mode())로 감싸세요."))
    check(all(grad_is_none), say("evaluate left gradients in the parameters' .grad.",
                                 "evaluate가 매개변수의 .grad에 변화도를 남겼습니다."),
          say("Evaluation never calls backward.", "평가에서는 backward를 호출하지 않습니다."))


def _early_stopping_rule(losses, patience, min_delta):
    """The docstring's rule, here in the judge: (the epoch of the first True or None, best after every loss)."""
    best, bad, first = float("inf"), 0, None
    for epoch, loss in enumerate(losses):
        if loss < best - min_delta:
            best, bad = loss, 0
        else:
            bad += 1
        if bad >= patience and first is None:
            first = epoch
    return first, best


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("EarlyStopping stops after patience epochs without improvement",
                   ko="EarlyStopping은 개선 없는 에폭이 patience만큼 이어지면 멈춥니다")
def test_early_stopping_waits_for_patience(impl, run_seed):
    cases = [([1.0, 0.9, 0.95, 0.91, 0.89, 0.92, 0.93, 0.94, 0.95], 3, 0.0, 7, 0.89),
             ([1.0, 0.96, 0.94, 0.93, 0.92, 0.91], 2, 0.05, 4, 0.94),
             ([3.0, 2.0, 1.0, 0.5], 1, 0.0, None, 0.5),
             ([2.0, 1.0, 1.0, 1.0], 2, None, 3, 1.0)]  # min_delta at its default; an equal loss is no improvement
    generator = torch.Generator().manual_seed(run_seed)  # and sequences drawn for this run: no table of answers
    for min_delta in (0.0, 0.0125):  # losses on a grid of 0.001 never sit exactly min_delta = 0.0125 apart
        steps = torch.randint(-30, 20, (12,), generator=generator) * (torch.rand(12, generator=generator) < 0.8)
        losses = [round(2.0 + 0.001 * int(v), 3) for v in steps.cumsum(0)]
        patience = int(torch.randint(1, 4, (1,), generator=generator))
        cases.append((losses, patience, min_delta, *_early_stopping_rule(losses, patience, min_delta)))
    for losses, patience, min_delta, stop_at, best in cases:
        if min_delta is None:
            stopper, made = impl.EarlyStopping(patience), f"EarlyStopping(patience={patience})"
        else:
            stopper = impl.EarlyStopping(patience, min_delta=min_delta)
            made = f"EarlyStopping(patience={patience}, min_delta={min_delta})"
        returned = [stopper.step(loss) for loss in losses]
        kinds = sorted({type(value).__name__ for value in returned})
        check(all(value is True or value is False for value in returned),
              say(f"{made}.step should return True or False, got {', '.join(kinds)}"
                  + (": None where False was meant." if None in returned else "."),
                  f"{made}.step은 True나 False를 반환해야 하는데 {', '.join(kinds)}입니다"
                  + (": False여야 할 곳에 None입니다." if None in returned else ".")),
              say("Return the decision on every path, e.g. return self.count >= self.patience: a function that ends "
                  "without return gives None.",
                  "모든 경로에서 판정을 반환하세요. 예: return self.count >= self.patience. return 없이 끝나는 함수는 "
                  "None을 반환합니다."))
        decisions = [bool(value) for value in returned]
        first = decisions.index(True) if True in decisions else None
        check(first == stop_at and not any(decisions[:stop_at or len(losses)]),
              say(f"{made} fed {losses}: expected the first True at epoch {stop_at}, got {first} (decisions "
                  f"{decisions}).",
                  f"{made}, 입력한 손실 {losses}: 첫 True가 에폭 {stop_at}에 나와야 하는데 {first}입니다(판정 {decisions})."),
              say("Count epochs without an improvement (loss < best - min_delta, strictly: an equal loss is not one), "
                  "reset the count when it improves, and stop once the count reaches patience (>=, not >).",
                  "개선(loss < best - min_delta, 엄격하게: 같은 손실은 개선이 아닙니다)이 없는 에폭 수를 세고, 개선되면 "
                  "그 수를 다시 0으로 되돌리세요. 그 수가 patience 이상이 되면(>=, > 아님) 멈추세요."))
        assert_scalar(stopper.best, best, say(f"EarlyStopping.best after {losses[:stop_at and stop_at + 1]}",
                                              f"손실 {losses[:stop_at and stop_at + 1]}까지 넣은 뒤의 EarlyStopping.best"),
                      hint=say("best is the lowest loss that counted as an improvement.",
                               "best는 개선으로 인정된 가장 낮은 손실입니다."))


def _reference_run():
    """The judge's own uninterrupted run: 3 epochs of _toy_data(9, n=40) with Adam (its moments are state), from
    _mlp(10) with Dropout(0.2), reseeded per epoch so that dropout and shuffling depend only on the epoch."""
    model = _mlp(10, extra=(nn.Dropout(0.2),))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(3):
        loader = DataLoader(_toy_data(9, n=40), batch_size=16, shuffle=True,
                            generator=torch.Generator().manual_seed(epoch))
        torch.manual_seed(100 + epoch)
        _reference_epoch(model, loader, optimizer)
    return model


def _student_run(impl, folder, stop_after=None):
    """The same run with the student's functions, called from here on objects in its process: train_one_epoch per
    epoch and, with `stop_after`, save_checkpoint into `folder` then load_checkpoint into a fresh model (other weights,
    another lr: all must come from the file). The state it ends with (pulled) and the epoch it ended at."""
    live = mlp_with_adam(impl, _mlp(10, extra=(nn.Dropout(0.2),)).state_dict(), 0.01, dropout=True)
    model, optimizer = live["model"], live["optimizer"]
    epoch = 0
    while epoch < 3:
        data = shuffled_toy_loader(impl, epoch)
        seed_global_rng(impl, 100 + epoch)
        impl.train_one_epoch(model, data["loader"], data["loss_fn"], optimizer)
        epoch += 1
        if epoch == stop_after:
            path = str(folder / "ckpt.pt")
            impl.save_checkpoint(path, model, optimizer, epoch)
            fresh = mlp_with_adam(impl, _mlp(11, extra=(nn.Dropout(0.2),)).state_dict(), 0.5, dropout=True)
            model, optimizer = fresh["model"], fresh["optimizer"]
            epoch = impl.load_checkpoint(path, model, optimizer)
            check(type(epoch) is int, say(f"load_checkpoint should return the saved epoch as an int, got {epoch!r:.60}.",
                                          f"load_checkpoint는 저장된 에폭을 int로 반환해야 하는데 {epoch!r:.60}입니다."))
            stop_after = None
    return _pulled(model, say("the model after training", "학습 뒤의 모델")), epoch


STATE_DICT_HINT = say("save model.state_dict() and optimizer.state_dict() (tensors, numbers, dicts), not the model or "
                      "optimizer object: unpickling arbitrary objects is refused by default.",
                      "모델이나 옵티마이저 객체가 아니라 model.state_dict()와 optimizer.state_dict()(텐서, 숫자, dict)를 "
                      "저장하세요. 임의 객체를 unpickle하는 것은 기본적으로 거부됩니다.")


def _read_checkpoint(path, folder):
    """The student's checkpoint, read by the judge as torch.load(weights_only=True) would (graders/support/
    student_files.py: a regular file inside the check's folder, bounded)."""
    try:
        return student_files.load_tensors(path, folder)
    except AssertionError as error:
        raise AssertionError(say(f"the checkpoint does not load with torch.load(path) (weights_only=True, the default): "
                                 f"{str(error).splitlines()[0][:300]}\nHint: {STATE_DICT_HINT}",
                                 f"체크포인트를 torch.load(path)(weights_only=True, 기본값)로 불러올 수 없습니다: "
                                 f"{str(error).splitlines()[0][:300]}\n힌트: {STATE_DICT_HINT}")) from None


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("Checkpoints load with weights_only=True and restore the training state",
                   ko="체크포인트는 weights_only=True로 불러올 수 있고 모델과 옵티마이저를 복원합니다")
def test_checkpoint_loads_with_weights_only(impl, student_path, run_seed):
    generator = torch.Generator().manual_seed(run_seed)  # weights drawn for this run: only the file can hold them
    weights = {name: torch.randn(value.shape, generator=generator) for name, value in _mlp(12).state_dict().items()}
    live = mlp_with_adam(impl, weights, 0.01)
    path = student_path / "ckpt.pt"
    impl.save_checkpoint(str(path), live["model"], live["optimizer"], 4)
    saved = _read_checkpoint(path, student_path)
    saved_what = say("the checkpoint save_checkpoint wrote", "save_checkpoint가 쓴 체크포인트")
    hint = say("torch.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict(), 'epoch': epoch}, path).",
               "torch.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict(), 'epoch': epoch}, path)를 "
               "쓰세요.")
    check(isinstance(saved, dict), say(f"{saved_what} should be a dict, got {type(saved).__name__}.",
                                       f"{saved_what}: dict여야 하는데 {type(saved).__name__}입니다."), hint)
    values = list(saved.values())
    check(any(isinstance(v, dict) and set(v) == set(weights)
              and all(type(v[k]) in (torch.Tensor, torch.nn.Parameter) and v[k].shape == weights[k].shape
                      and torch.equal(v[k].cpu(), weights[k]) for k in weights) for v in values),
          say(f"{saved_what} holds no model.state_dict() with the model's weights.",
              f"{saved_what}에 모델의 가중치를 담은 model.state_dict()가 없습니다."), hint)
    check(any(isinstance(v, dict) and "state" in v and isinstance(v.get("param_groups"), list) and v["param_groups"]
              and isinstance(v["param_groups"][0], dict) and v["param_groups"][0].get("lr") == 0.01 for v in values),
          say(f"{saved_what} holds no optimizer.state_dict() (with the optimizer's lr 0.01).",
              f"{saved_what}에 옵티마이저의 lr 0.01을 담은 optimizer.state_dict()가 없습니다."), hint)
    check(any(type(v) is int and v == 4 for v in values), say(f"{saved_what} does not hold the epoch 4.",
                                                               f"{saved_what}에 에폭 4가 없습니다."), hint)
    fresh = mlp_with_adam(impl, _mlp(13).state_dict(), 0.3)
    epoch = impl.load_checkpoint(str(path), fresh["model"], fresh["optimizer"])
    check(epoch == 4 and type(epoch) is int, say(f"load_checkpoint should return the saved epoch 4, got {epoch!r:.60}.",
                                                 f"load_checkpoint는 저장된 에폭 4를 반환해야 하는데 {epoch!r:.60}입니다."),
          say("Store the epoch in the checkpoint.", "체크포인트에 에폭을 저장하세요."))
    loaded = _pulled(fresh["model"], "load_checkpoint")
    check(list(loaded) == list(weights), say(f"after load_checkpoint the model's state_dict has keys {list(loaded)[:6]}.",
                                             f"load_checkpoint 뒤 모델의 state_dict 키가 {list(loaded)[:6]}입니다."))
    assert_tensor(_flat(loaded), _flat(weights), say("the parameters of a fresh model after load_checkpoint",
                                                     "load_checkpoint 뒤 새 모델의 매개변수"),
                  hint=say("model.load_state_dict(checkpoint[...]) copies the saved weights into the model you are given.",
                           "model.load_state_dict(checkpoint[...])는 저장된 가중치를 전달받은 모델에 복사합니다."))
    lr = fresh["optimizer"].param_groups[0]["lr"]
    check(lr == 0.01, say(f"after load_checkpoint the optimizer's lr is {lr}, expected the saved 0.01.",
                          f"load_checkpoint 뒤 옵티마이저의 lr이 {lr}입니다. 저장된 값인 0.01이어야 합니다."),
          say("Also call optimizer.load_state_dict(...).", "optimizer.load_state_dict(...)도 호출하세요."))


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("A resumed run ends bit-for-bit where an uninterrupted one does",
                   ko="체크포인트에서 재개한 학습은 중단 없는 학습과 비트 단위까지 같은 결과를 냅니다")
def test_resumed_run_equals_uninterrupted(impl, student_path):
    straight, _ = _student_run(impl, student_path)
    resumed, epoch = _student_run(impl, student_path, stop_after=1)
    check(epoch == 3, say(f"the resumed run should end at epoch 3, ran to {epoch}.",
                          f"재개한 학습은 에폭 3에서 끝나야 하는데 {epoch}까지 실행되었습니다."),
          say("load_checkpoint returns the saved epoch.", "load_checkpoint는 저장된 에폭을 반환합니다."))
    hint = say("Save and restore both state_dicts: the model's and the optimizer's (Adam's moment estimates and step "
               "count live in optimizer.state_dict(); a fresh optimizer restarts them from zero).",
               "모델과 옵티마이저의 state_dict를 모두 저장하고 복원하세요(Adam의 모멘트 추정값과 단계 수는 "
               "optimizer.state_dict()에 있습니다. 새 옵티마이저는 이를 0부터 다시 시작합니다).")
    check(list(resumed) == list(straight), say("the resumed model's state_dict has other keys than the uninterrupted one's.",
                                               "재개한 모델의 state_dict 키가 중단 없이 학습한 모델과 다릅니다."), hint)
    difference = (_flat(resumed) - _flat(straight)).abs().max().item()
    check(all(torch.equal(resumed[k], straight[k]) for k in straight),
          say("3 epochs with a checkpoint saved and loaded after epoch 1 do not give bit-for-bit the parameters of 3 epochs "
              f"in one go (max difference {difference:.3g}).",
              "에폭 1 뒤에 체크포인트를 저장하고 불러와 학습한 3 에폭의 매개변수가 한 번에 학습한 3 에폭의 매개변수와 "
              f"비트 단위까지 같지 않습니다(최대 차이 {difference:.3g})."), hint)
    # both runs of the student's process against the judge's own uninterrupted run
    _assert_state(resumed, _reference_run(), say("the resumed run's model, against the judge's own uninterrupted run",
                                                 "채점기가 직접 중단 없이 학습한 결과와 비교한, 재개한 학습의 모델"),
                  say("Each epoch: train_one_epoch as in its own check; the checkpoint restores both state_dicts.",
                      "각 에폭의 train_one_epoch은 해당 검사에서처럼 동작해야 하고, 체크포인트는 두 state_dict를 모두 "
                      "복원해야 합니다."))


@pytest.fixture(scope="module")
def digits_run(impl, run_seed):
    """One bounded training run on the digits whose labels are renamed by a permutation drawn for this run (so that
    no table of the public labels scores): the permutation, the losses train_one_epoch returned, what evaluate
    returned, and the model's state at the end, pulled by the judge."""
    permutation = torch.randperm(10, generator=torch.Generator().manual_seed(run_seed)).tolist()
    live = digits_setup(impl, permutation)
    losses = [impl.train_one_epoch(live["model"], live["loader"], live["loss_fn"], live["optimizer"])
              for _ in range(CONVERGENCE_EPOCHS)]
    reported = impl.evaluate(live["model"], live["val_loader"], live["loss_fn"])
    return permutation, losses, reported, _pulled(live["model"], say("the model trained on the digits",
                                                                     "digits로 학습한 모델"))


@pytest.mark.points(3)
@pytest.mark.convergence
@pytest.mark.title("Training on the digits reaches 85% validation accuracy",
                   ko="digits로 학습하면 검증 정확도가 85% 이상이 됩니다")
def test_training_reaches_accuracy_on_digits(impl, digits_run):
    """Assumes a train_one_epoch that runs the docstring's step once per batch trains the judge's MLP to 85% in 3
    epochs (129 SGD steps); measured at run seeds 1-3: reference and detached_totals both 0.953-0.958, bar 0.85."""
    # The judge scores the trained weights itself, in its own copy of the model; the losses and the accuracy the
    # student's functions returned are only shown.
    permutation, losses, reported, state = digits_run
    x_train, y_train, x_val, y_val = digits(seed=0)
    rename = torch.tensor(permutation)
    y_train, y_val = rename[y_train], rename[y_val]
    torch.manual_seed(0)
    start = _digits_model()
    model = _digits_model()
    shapes = {name: tuple(value.shape) for name, value in model.state_dict().items()}
    check({name: tuple(value.shape) for name, value in state.items()} == shapes,
          say(f"the trained model's state_dict should hold {shapes}.", f"학습한 모델의 state_dict에 있어야 하는 것: {shapes}."))
    model.load_state_dict(state)
    with torch.no_grad():
        before, after = (F.cross_entropy(m(x_train), y_train).item() for m in (start, model))
        val_acc = (model(x_val).argmax(1) == y_val).float().mean().item()
    shown = say(f" (train_one_epoch returned the losses {[round(v, 4) if isinstance(v, float) else v for v in losses]!r:.120}"
                f" and evaluate {reported!r:.80}.)",
                f" (train_one_epoch이 반환한 손실은 {[round(v, 4) if isinstance(v, float) else v for v in losses]!r:.120}, "
                f"evaluate는 {reported!r:.80}입니다.)")
    check(after < before, say(f"the training loss the judge computes from the weights did not fall over "
                              f"{CONVERGENCE_EPOCHS} epochs: {before:.4f} -> {after:.4f}." + shown,
                              f"{CONVERGENCE_EPOCHS} 에폭 동안 채점기가 가중치로 계산한 학습 손실이 줄지 않았습니다: "
                              f"{before:.4f} -> {after:.4f}." + shown),
          say("Check the order zero_grad, backward, step, and that the loss sees raw logits.",
              "zero_grad(), backward(), step()의 호출 순서와 손실 함수가 가공하지 않은 로짓을 받는지 확인하세요."))
    check(val_acc >= CONVERGENCE_THRESHOLD,
          say(f"after {CONVERGENCE_EPOCHS} epochs (129 SGD steps) on the digits the validation accuracy of the trained "
              f"weights is {val_acc:.3f}; a correct loop reaches at least {CONVERGENCE_THRESHOLD}." + shown,
              f"digits로 {CONVERGENCE_EPOCHS} 에폭(SGD 129단계) 학습한 가중치의 검증 정확도가 {val_acc:.3f}입니다. "
              f"올바른 루프라면 최소 {CONVERGENCE_THRESHOLD}에 이릅니다." + shown),
          say("Check the training step (zero_grad, backward, step): one optimizer step per batch on loss_fn(model(x), y).",
              "학습 단계(zero_grad(), backward(), step())를 확인하세요: 배치마다 loss_fn(model(x), y)에 대해 옵티마이저 단계를 "
              "한 번 합니다."))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("train_one_epoch moves each batch to the model's device",
                   ko="train_one_epoch은 각 배치를 모델이 있는 장치로 옮깁니다")
def test_train_one_epoch_moves_batches_to_the_model_device(impl):
    loader = DataLoader(_toy_data(14), batch_size=16)  # batches stay on the CPU
    live = cuda_setup(impl)
    impl.train_one_epoch(live["model"], live["loader"], live["loss_fn"], live["optimizer"])
    got = _pulled(live["model"], say("the model after one CUDA epoch", "CUDA에서 한 에폭 학습한 뒤의 모델"))
    evaluated = impl.evaluate(live["model"], live["loader"], live["loss_fn"])
    model = _mlp(15)
    _reference_epoch(model, loader, _sgd(model))
    _assert_state(got, model, say("parameters after one CUDA epoch", "CUDA에서 한 에폭 학습한 뒤의 매개변수"),
                  say("Move each batch to the model's device: x.to(next(model.parameters()).device).",
                      "각 배치를 모델이 있는 장치로 옮기세요: x.to(next(model.parameters()).device)."), rtol=1e-4, atol=1e-5)
    check(isinstance(evaluated, tuple) and len(evaluated) == 2 and all(isinstance(v, float) for v in evaluated),
          say("evaluate on a CUDA model should return two float numbers.",
              "CUDA 모델에 대한 evaluate는 float 숫자 두 개를 반환해야 합니다."),
          say("Use .item().", ".item()을 쓰세요."))
    loss = evaluated[0]
    x, y = _toy_data(14).tensors
    with torch.no_grad():
        logits = model.eval()(x)
    assert_scalar(loss, F.cross_entropy(logits, y).item(), say("evaluate's mean loss on CUDA", "CUDA에서 evaluate의 평균 손실"),
                  rtol=1e-3)


# -- TensorBoard: the event files the student's run wrote, read back by the judge ---------------------------------------
LOG_EPOCHS, LOG_BATCH = 2, 16  # 50 samples: batches of 16, 16, 16, 2, so 8 steps in all
LOG_LIMIT = 4 * 1024 * 1024  # the reference's run writes about 100 KB
PARAMETERS = ("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias")  # Linear, BatchNorm1d, ReLU, Linear
LOG_MISTAKES = {
    "no_train_mode": say("log_training never calls model.train(): the model it was handed in eval mode (as evaluate() "
                         "leaves it) trained with BatchNorm normalising by its running statistics and never updating them; "
                         "call model.train() at the start of every epoch, as train_one_epoch does.",
                         "log_training이 model.train()을 한 번도 호출하지 않습니다: (evaluate()가 남기는 것처럼) 평가 모드로 "
                         "넘겨받은 모델이 BatchNorm의 누적 통계로 정규화하고 그 통계를 갱신하지 않은 채 학습했습니다. "
                         "train_one_epoch처럼 매 에폭을 시작할 때 model.train()을 호출하세요."),
    "zero_grad_after_step": MISTAKES["zero_grad_after_step"],
    "no_zero_grad": MISTAKES["no_zero_grad"],
}


def _log_model(model_seed):
    """The model log_training gets, as the judge builds it: _mlp with a BatchNorm1d, in eval mode, stale .grad."""
    return _with_stale_grads(_toy_model(model_seed, eval_first=True, batch_norm=True))


def _logged_steps(model, loader, optimizer, epochs, mistake=None):
    """The judge's own run of log_training's loop (or with a known mistake, to name it when a student's run matches):
    each step's loss, and after each epoch the parameters and their .grad."""
    losses, epochs_done = [], []
    for _ in range(epochs):
        if mistake != "no_train_mode":
            model.train()
        for x, y in loader:
            if mistake not in ("no_zero_grad", "zero_grad_after_step"):
                optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            if mistake == "zero_grad_after_step":
                optimizer.zero_grad()
            losses.append(loss.item())
        epochs_done.append({name: (p.detach().clone(), None if p.grad is None else p.grad.detach().clone())
                            for name, p in model.named_parameters()})
    return losses, epochs_done


def _read_events(folder, within):
    """The scalars and histograms in the event files under `folder`, read by the judge with tensorboard's
    EventAccumulator from a private copy (regular files only, LOG_LIMIT bytes in all: the files are the student's)."""
    hint = say("writer = SummaryWriter(log_dir), the add_scalar and add_histogram calls, then writer.close().",
               "writer = SummaryWriter(log_dir), add_scalar와 add_histogram 호출, 그다음 writer.close()를 하세요.")
    check(bool(student_files.listing(folder, within)),
          say("log_training wrote nothing into log_dir.", "log_training이 log_dir에 아무것도 쓰지 않았습니다."), hint)
    copy = student_files.private_copy(folder, within, limit=LOG_LIMIT)
    from tensorboard.backend.event_processing import event_accumulator
    guidance = {kind: 0 for kind in (event_accumulator.SCALARS, event_accumulator.HISTOGRAMS,
                                     event_accumulator.COMPRESSED_HISTOGRAMS, event_accumulator.TENSORS)}
    accumulator = event_accumulator.EventAccumulator(str(copy), size_guidance=guidance, purge_orphaned_data=False)
    try:
        accumulator.Reload()
        tags = accumulator.Tags()
        scalars = {tag: [(e.step, e.value) for e in accumulator.Scalars(tag)] for tag in tags["scalars"]}
        histograms = {tag: [(e.step, e.histogram_value) for e in accumulator.Histograms(tag)]
                      for tag in tags["histograms"]}
    except Exception as error:  # noqa: BLE001 - whatever makes the files unreadable as events
        raise AssertionError(say(f"log_dir's files cannot be read as TensorBoard event files ({type(error).__name__}).",
                                 f"log_dir의 파일을 TensorBoard 이벤트 파일로 읽을 수 없습니다({type(error).__name__}).")
                             + say(f"\nHint: {hint}", f"\n힌트: {hint}")) from None
    return scalars, histograms


def _histogram_stats(tensor):
    """What a TensorBoard histogram stores beside its buckets, computed by the judge: count, min, max, sum."""
    return torch.tensor([tensor.numel(), tensor.min().item(), tensor.max().item(), tensor.double().sum().item()],
                        dtype=torch.float64)


@pytest.fixture(scope="module")
def tensorboard_run(impl, student_path_factory, run_seed):
    """log_training for LOG_EPOCHS epochs on a toy model and data drawn for this run, into a folder of the student's;
    what the judge reads back from it, the judge's own run of the same loop, and the model's state at the end."""
    generator = torch.Generator().manual_seed(run_seed)
    model_seed, data_seed = (int(v) for v in torch.randint(1000, 10 ** 6, (2,), generator=generator))
    within = student_path_factory.mktemp("tensorboard")
    folder = within / "runs"  # SummaryWriter makes it
    # handed over in eval mode (as evaluate() leaves it), with BatchNorm to show the mode, and .grad left by a backward
    live = toy_setup(impl, model_seed, data_seed, LOG_BATCH, eval_first=True, batch_norm=True, stale_grads=True)
    writers_before = open_event_writers(impl)
    impl.log_training(str(folder), live["model"], live["loader"], live["loss_fn"], live["optimizer"], LOG_EPOCHS)
    writers_left = open_event_writers(impl) - writers_before
    loader = DataLoader(_toy_data(data_seed), batch_size=LOG_BATCH, shuffle=False)
    model = _log_model(model_seed)
    losses, epochs_done = _logged_steps(model, loader, _sgd(model), LOG_EPOCHS)
    mistaken = {}
    for mistake in LOG_MISTAKES:
        other = _log_model(model_seed)
        _logged_steps(other, loader, _sgd(other), LOG_EPOCHS, mistake)
        mistaken[mistake] = _flat(other.state_dict())
    return {"within": within, "folder": folder, "live": live, "losses": losses, "epochs_done": epochs_done,
            "model": model, "mistaken": mistaken, "writers_left": writers_left}


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("log_training logs each step's loss as Loss/train at steps 0, 1, 2, ... in TensorBoard's event file",
                   ko="log_training은 단계마다 손실을 TensorBoard 이벤트 파일에 Loss/train으로 단계 0, 1, 2, ...에 기록합니다")
def test_log_training_logs_each_steps_loss(impl, tensorboard_run):
    run = tensorboard_run
    got = _pulled(run["live"]["model"], "log_training")
    for mistake, message in LOG_MISTAKES.items():
        want = run["mistaken"][mistake]
        check(not torch.allclose(_flat(got), want, rtol=1e-5, atol=1e-7) if _flat(got).shape == want.shape else True,
              say(f"After log_training ({LOG_EPOCHS} epochs of 4 batches, the model handed over in eval mode with "
                  "gradients left in .grad) the model matches a loop with a known mistake, not torch's correct loop.",
                  f"log_training({LOG_EPOCHS} 에폭, 에폭마다 배치 4개, 평가 모드로 .grad에 변화도가 남은 채로 넘겨받은 "
                  "모델) 뒤의 모델이 torch의 올바른 루프가 아니라 알려진 실수가 있는 루프의 결과와 같습니다."), message)
    _assert_state(got, run["model"],
                  say("the model after log_training, against the judge's own run of the same steps",
                      "같은 단계를 채점기가 직접 실행한 결과와 비교한, log_training 뒤의 모델"),
                  say("Each epoch: model.train(); each batch: optimizer.zero_grad(), loss = loss_fn(model(x), y), "
                      "loss.backward(), optimizer.step().",
                      "에폭마다 model.train(), 배치마다 optimizer.zero_grad(), loss = loss_fn(model(x), y), "
                      "loss.backward(), optimizer.step()."))
    scalars, _ = _read_events(run["folder"], run["within"])
    losses = run["losses"]
    n = len(losses)
    check("Loss/train" in scalars, say(f"the event files hold no scalar tagged Loss/train; their scalar tags are "
                                       f"{sorted(scalars)!r:.160}.",
                                       f"이벤트 파일에 Loss/train 태그의 스칼라가 없습니다. 스칼라 태그는 "
                                       f"{sorted(scalars)!r:.160}입니다."),
          say('writer.add_scalar("Loss/train", loss.item(), step) after every step, then writer.close().',
              '단계마다 writer.add_scalar("Loss/train", loss.item(), step)을 하고, 마지막에 writer.close()를 하세요.'))
    events = scalars["Loss/train"]
    steps = [step for step, _ in events]
    per_epoch = n // LOG_EPOCHS
    named = {tuple(range(per_epoch)) * LOG_EPOCHS: say(" (it starts again at 0 with each epoch)", "(에폭마다 0부터 다시 셉니다)"),
             tuple(range(1, n + 1)): say(" (it counts from 1: the first step is step 0)", "(1부터 셉니다: 첫 단계는 단계 0입니다)"),
             tuple(range(LOG_EPOCHS)): say(" (once per epoch, not once per step)", "(단계마다가 아니라 에폭마다 한 번)"),
             tuple(range(1, LOG_EPOCHS + 1)): say(" (once per epoch, not once per step)", "(단계마다가 아니라 에폭마다 한 번)")}
    check(steps == list(range(n)),
          say(f"Loss/train should be logged at steps 0..{n - 1} ({LOG_EPOCHS} epochs of {per_epoch} batches), got steps "
              f"{steps!r:.160}", f"Loss/train은 단계 0..{n - 1}에 기록되어야 하는데({LOG_EPOCHS} 에폭, 에폭마다 배치 "
              f"{per_epoch}개) 기록된 단계는 {steps!r:.160}입니다")
          + named.get(tuple(steps), say(".", ".")),
          say("Keep one step counter for the whole run: add_scalar(..., step) then step += 1 after every optimizer step.",
              "학습 전체에 단계 카운터 하나를 두세요: 옵티마이저 단계마다 add_scalar(..., step) 다음 step += 1."))
    got = torch.tensor([value for _, value in events], dtype=torch.float32)
    want = torch.tensor(losses, dtype=torch.float32)
    sizes = [len(y) for _, y in DataLoader(_toy_data(0), batch_size=LOG_BATCH)]
    running = [sum(losses[e * per_epoch:i + 1]) / (i + 1 - e * per_epoch) for e in range(LOG_EPOCHS)
               for i in range(e * per_epoch, (e + 1) * per_epoch)]
    assert_tensor(got, want, say("the values of Loss/train, against each batch's loss in the judge's own run",
                                 "채점기가 직접 실행한 각 배치의 손실과 비교한 Loss/train 값"),
                  hint=say("Log loss.item() of each batch, the loss computed before that batch's optimizer.step().",
                           "각 배치의 loss.item()을 기록하세요. 그 배치의 optimizer.step() 전에 계산한 손실입니다."),
                  mistakes={say("each value is the loss times the batch size", "각 값이 손실에 배치 크기를 곱한 값입니다"):
                            want * torch.tensor(sizes * LOG_EPOCHS, dtype=torch.float32),
                            say("each value is the running mean of the epoch's losses so far, not the batch's loss",
                                "각 값이 배치의 손실이 아니라 그 에폭의 지금까지 손실의 누적 평균입니다"):
                            torch.tensor(running, dtype=torch.float32)})
    # Whether the writer is still open is what the student's process says (its writer threads); it can only fail.
    check(run["writers_left"] in (0, None) or run["writers_left"] < 0,
          say("log_training returned with its SummaryWriter still open (its writer thread still runs): writer.close() was "
              "never called, so events still queued may never reach the file.",
              "log_training이 SummaryWriter를 연 채로 반환했습니다(기록 스레드가 아직 실행 중입니다): writer.close()를 "
              "호출하지 않아 대기 중인 이벤트가 파일에 끝내 기록되지 않을 수 있습니다."),
          say("Call writer.close() at the end (or write the loop inside `with SummaryWriter(log_dir) as writer:`).",
              "마지막에 writer.close()를 호출하세요(또는 `with SummaryWriter(log_dir) as writer:` 안에서 루프를 "
              "실행하세요)."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("log_training logs a histogram of every parameter after each epoch",
                   ko="log_training은 에폭마다 모든 매개변수의 히스토그램을 기록합니다")
def test_log_training_logs_weight_histograms(impl, tensorboard_run):
    run = tensorboard_run
    trained, want = _flat(_pulled(run["live"]["model"], "log_training")), _flat(run["model"].state_dict())
    check(trained.shape == want.shape and torch.allclose(trained, want, rtol=1e-5, atol=1e-6),
          say("the model log_training trained is not the judge's run of the same steps, so its weights' histograms cannot "
              "match either; the check of Loss/train names what differs.",
              "log_training이 학습한 모델이 같은 단계를 채점기가 직접 실행한 결과와 달라서 가중치의 히스토그램도 맞을 수 "
              "없습니다. 무엇이 다른지는 Loss/train 검사가 알려 줍니다."),
          say("Fix the training loop first (model.train(), then zero_grad, loss, backward, step per batch).",
              "먼저 학습 루프를 고치세요(model.train(), 그다음 배치마다 zero_grad, 손실, backward, step)."))
    _, histograms = _read_events(run["folder"], run["within"])
    hint = say('After each epoch: for name, param in model.named_parameters(): writer.add_histogram(f"weights/{name}", '
               'param, epoch), with epoch the number of epochs done (1, 2, ...).',
               '에폭이 끝날 때마다: for name, param in model.named_parameters(): writer.add_histogram(f"weights/{name}", '
               'param, epoch). epoch은 마친 에폭 수(1, 2, ...)입니다.')
    for name in PARAMETERS:
        tag = f"weights/{name}"
        check(tag in histograms, say(f"the event files hold no histogram tagged {tag}; their histogram tags are "
                                     f"{sorted(histograms)!r:.160}.",
                                     f"이벤트 파일에 {tag} 태그의 히스토그램이 없습니다. 히스토그램 태그는 "
                                     f"{sorted(histograms)!r:.160}입니다."), hint)
        steps = [step for step, _ in histograms[tag]]
        check(steps == list(range(1, LOG_EPOCHS + 1)),
              say(f"{tag} should be logged at steps {list(range(1, LOG_EPOCHS + 1))} (after each of {LOG_EPOCHS} epochs), "
                  f"got {steps!r:.120}" + (" (the epoch's index from 0, not the number of epochs done)."
                                           if steps == list(range(LOG_EPOCHS)) else "."),
                  f"태그 {tag}: 단계 {list(range(1, LOG_EPOCHS + 1))}에({LOG_EPOCHS} 에폭 각각이 끝난 뒤) 기록되어야 하는데 "
                  f"{steps!r:.120}입니다" + ("(마친 에폭 수가 아니라 0부터 센 에폭 번호입니다)."
                                           if steps == list(range(LOG_EPOCHS)) else ".")), hint)
        for (step, value), done in zip(histograms[tag], run["epochs_done"]):
            weight, grad = done[name]
            got = torch.tensor([value.num, value.min, value.max, value.sum], dtype=torch.float64)
            assert_tensor(got, _histogram_stats(weight),
                          say(f"the histogram {tag} at step {step} (count, min, max, sum), against the judge's weights "
                              f"after epoch {step}",
                              f"채점기의 에폭 {step} 뒤 가중치와 비교한 단계 {step}의 히스토그램 {tag}(개수, 최솟값, "
                              f"최댓값, 합)"), rtol=1e-5, atol=1e-6, hint=hint,
                          mistakes={(say("the histogram of the gradients (param.grad), not of the weights",
                                         "가중치가 아니라 변화도(param.grad)의 히스토그램입니다"),
                                     say("add_histogram(f\"weights/{name}\", param, epoch): the parameter itself.",
                                         "add_histogram(f\"weights/{name}\", param, epoch): 매개변수 자체를 넘기세요.")):
                                    _histogram_stats(grad)})


# -- over-fitting read from the curves: cases the judge owns, one drawn for this run, and its own run that over-fits ---
def _first_lowest(values):
    return min(range(len(values)), key=lambda epoch: (values[epoch], epoch))


def _report(train, val, best=None):
    """overfitting_report as the docstring states it, computed by the judge (or the flag it gives from another `best`)."""
    best = _first_lowest(val) if best is None else best
    return best, val[-1] > val[best] and train[-1] < train[best]


def _either(train, val, best):
    """What a mistaken best epoch gives: with the flag computed from it, or from the right one."""
    flag = _report(train, val)[1]
    return [_report(train, val, best), (best, flag)] if 0 <= best < len(val) else [(best, flag)]


REPORT_MISTAKES = {
    (say("best_epoch is where the training loss is lowest; the weights to keep are where the validation loss is lowest",
         "best_epoch를 학습 손실이 가장 낮은 곳으로 골랐습니다. 남길 가중치는 검증 손실이 가장 낮은 곳에 있습니다"),
     say("best_epoch = the index of min(val_losses).", "best_epoch = min(val_losses)의 인덱스입니다.")):
    lambda train, val: _either(train, val, _first_lowest(train)),
    (say("best_epoch is the last of equal lowest validation losses, not the first",
         "best_epoch가 같은 최저 검증 손실 중 첫 번째가 아니라 마지막입니다"),
     say("Keep the first epoch that reaches the minimum: compare with <, not <=.",
         "최솟값에 처음 이른 에폭을 남기세요: <=가 아니라 <로 비교하세요.")):
    lambda train, val: _either(train, val, max(i for i, v in enumerate(val) if v == min(val))),
    (say("best_epoch counts epochs from 1", "best_epoch가 에폭을 1부터 셉니다"),
     say("Epochs are list indices: the first epoch is 0.", "에폭은 리스트 인덱스입니다: 첫 에폭은 0입니다.")):
    lambda train, val: _either(train, val, _report(train, val)[0] + 1),
    (say("overfitting is taken to mean that the validation loss ended above the training loss; that gap is normal",
         "overfitting을 검증 손실이 학습 손실보다 높게 끝났다는 뜻으로 보았습니다. 그 차이는 정상입니다"),
     say("Compare each curve with itself at best_epoch: the validation loss went up from its best while the training "
         "loss kept going down.",
         "각 곡선을 best_epoch에서의 자기 값과 비교하세요: 검증 손실은 최저에서 올라갔고 학습 손실은 계속 내려갔습니다.")):
    lambda train, val: [(_report(train, val)[0], val[-1] > train[-1])],
    (say("overfitting ignores the training loss: a validation loss that rises while the training loss rises too is not "
         "over-fitting", "overfitting이 학습 손실을 보지 않습니다: 학습 손실도 함께 오를 때 검증 손실이 오르는 것은 "
         "과적합이 아닙니다"),
     say("Also require train_losses[-1] < train_losses[best_epoch].",
         "train_losses[-1] < train_losses[best_epoch]도 함께 요구하세요.")):
    lambda train, val: [(_report(train, val)[0], val[-1] > val[_report(train, val)[0]])],
}


def _overfitting_run(epochs=60, n=16):
    """The judge's own tiny run that over-fits: an MLP of 64 hidden units on 16 training samples, a quarter of their
    labels flipped, validated on 200 clean ones; one full-batch Adam step (lr 0.003) per epoch. Per-epoch losses, taken
    after each step in eval mode. (Seed 1: the validation loss is lowest at epoch 27, 0.57, and ends at 0.74, while the
    training loss falls from 0.30 there to 0.07.)"""
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(n + 200, 8, generator=generator)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).long()
    y[:n] = torch.where(torch.rand(n, generator=generator) < 0.25, 1 - y[:n], y[:n])
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
    train, val = [], []
    for _ in range(epochs):
        model.train()
        optimizer.zero_grad()
        F.cross_entropy(model(x[:n]), y[:n]).backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            train.append(F.cross_entropy(model(x[:n]), y[:n]).item())
            val.append(F.cross_entropy(model(x[n:]), y[n:]).item())
    return train, val


def _drawn_curves(run_seed, epochs=12):
    """A falling training curve and a U-shaped validation curve with noise, drawn for this run (no table of answers)."""
    generator = torch.Generator().manual_seed(run_seed)
    train = (1.0 - torch.rand(epochs, generator=generator).cumsum(0) / (epochs + 2)).tolist()
    turn = int(torch.randint(2, epochs - 2, (1,), generator=generator))
    val = [1.2 - 0.05 * min(e, turn) + 0.04 * max(0, e - turn) + 0.01 * float(torch.rand(1, generator=generator))
           for e in range(epochs)]
    return [round(v, 4) for v in train], [round(v, 4) for v in val]


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("overfitting_report finds the best epoch and tells over-fitting from the usual train/validation gap",
                   ko="overfitting_report는 최적의 에폭을 찾고, 과적합을 흔한 학습/검증 손실 차이와 구별합니다")
def test_overfitting_report_reads_the_curves(impl, run_seed):
    cases = [
        ([1.0, 0.6, 0.4, 0.3], [1.1, 0.8, 0.9, 1.0]),  # the docstring's first example
        ([1.0, 0.7, 0.5], [1.2, 1.0, 0.9]),  # a gap, but the validation loss still falls
        ([0.9, 0.7, 0.5, 0.4, 0.3], [1.0, 0.8, 0.95, 0.8, 0.9]),  # two equal minima
        ([1.0, 0.5, 0.6, 0.7], [1.0, 0.6, 0.8, 0.9]),  # both curves rise: training went wrong, not over-fitting
        ([0.5], [0.7]),
        _drawn_curves(run_seed),
        _overfitting_run(),
    ]
    hint = say("best = the index of the first lowest val_losses; overfitting = val_losses[-1] > val_losses[best] and "
               "train_losses[-1] < train_losses[best]; return (best, overfitting) as (int, bool).",
               "best = val_losses에서 처음으로 가장 낮은 값의 인덱스, overfitting = val_losses[-1] > val_losses[best] and "
               "train_losses[-1] < train_losses[best]. (best, overfitting)을 (int, bool)로 반환하세요.")
    for train, val in cases:
        want = _report(train, val)
        shown = say(f"overfitting_report(train={train!r:.100}, val={val!r:.100})",
                    f"overfitting_report(train={train!r:.100}, val={val!r:.100})")
        got = expect_type(errors.calling(shown, hint, impl.overfitting_report, list(train), list(val)), tuple, shown, hint)
        check(len(got) == 2 and type(got[0]) is int and type(got[1]) is bool,
              say(f"{shown} should return (int, bool), got {got!r:.80} "
                  f"({', '.join(type(v).__name__ for v in got)}).",
                  f"{shown}: (int, bool)을 반환해야 하는데 {got!r:.80}({', '.join(type(v).__name__ for v in got)})입니다."),
              say("int(...) and bool(...): a tensor's argmin and comparisons are not Python numbers.",
                  "int(...)와 bool(...)을 쓰세요: 텐서의 argmin과 비교 결과는 Python 숫자가 아닙니다."))
        if got == want:
            continue
        for (mistake, advice), rule in REPORT_MISTAKES.items():
            if got in rule(train, val):
                raise AssertionError(say(f"{shown}: expected {want}, got {got}: {mistake}.\nHint: {advice}",
                                         f"{shown}: 기댓값은 {want}인데 결과는 {got}입니다: {mistake}.\n힌트: {advice}"))
        check(False, say(f"{shown}: expected (best_epoch, overfitting) = {want}, got {got}.",
                         f"{shown}: (best_epoch, overfitting)의 기댓값은 {want}인데 결과는 {got}입니다."), hint)
