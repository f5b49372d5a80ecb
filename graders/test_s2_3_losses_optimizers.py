"""2.3 Losses and optimizers: hand-written versions against nn.MSELoss, nn.CrossEntropyLoss,
F.log_softmax, torch.optim.SGD and torch.optim.Adam (values and gradients)."""
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from graders.observations.s2_3_losses_optimizers import (
    is_lr_scheduler,
    linear_from,
    parameters_with_grads,
    throwaway_sgd,
)
from graders.support.assertions import assert_tensor, check, expect_tensor, say
from graders.support.calls import torch_functions_called
from ptgrade.judge.remote import Handle, StudentError, with_inputs

STABLE_HINT = say("Subtract the maximum along dim (keepdim=True) before exp: x - m - log(sum(exp(x - m))). "
                  "exp of a logit above ~89 is inf in float32.",
                  "exp 전에 dim을 따라 최댓값을 빼세요(keepdim=True): x - m - log(sum(exp(x - m))). "
                  "float32에서 약 89를 넘는 로짓의 exp는 inf가 됩니다.")
SMOOTHING_HINT = say("With label smoothing the target is (1 - eps) * one_hot + eps / C on every class, the true one "
                     "included: loss = (1 - eps) * nll + eps * mean over classes of -log p.",
                     "레이블 스무딩을 쓰면 목표 분포는 정답 클래스를 포함한 모든 클래스에서 "
                     "(1 - eps) * one_hot + eps / C입니다: loss = (1 - eps) * nll + eps * (클래스에 대한 -log p의 평균).")
IGNORE_HINT = say("Rows whose target is ignore_index count for nothing: sum the losses of the other rows and divide by "
                  "how many there are (not by N).",
                  "정답이 ignore_index인 행은 전혀 세지 않습니다: 나머지 행의 손실을 합한 뒤 그 행의 개수로 나누세요"
                  "(N으로 나누지 마세요).")


def loss_and_gradient(impl, function, inputs, kwargs):
    """impl.<function>(*inputs, **kwargs), called directly with inputs[0] a leaf that requires grad: the loss
    (detached), whether it carries a graph, and the gradient of the loss with respect to inputs[0], computed here by
    backward through the student's graph across the boundary (None when the loss carries no graph to inputs[0] or
    is not one number)."""
    leaf = inputs[0].detach().clone().requires_grad_(True)
    loss = getattr(impl, function)(leaf, *inputs[1:], **kwargs)
    if type(loss) is not torch.Tensor or not loss.requires_grad:
        return loss, False, None
    if loss.numel() != 1:
        return loss.detach(), True, None
    (grad,) = torch.autograd.grad(loss.reshape(()), leaf, allow_unused=True)
    return loss.detach(), True, grad


# Known mistakes, each with the value it gives on a check's inputs (computed here): a wrong value that equals one
# is named to the student (assert_tensor's `mistakes`).
MSE_HINT = say("'mean' divides the sum of squares by the number of elements, 'none' keeps every element.",
               "'mean'은 제곱의 합을 요소 개수로 나누고, 'none'은 모든 요소를 그대로 둡니다.")


def _mse_mistakes(pred, target, reduction):
    if reduction != "mean":
        return {}
    squares = (pred - target) ** 2
    return {(say("the squared errors are summed, not averaged.", "제곱 오차를 평균하지 않고 합했습니다."), MSE_HINT):
            squares.sum(),
            (say("the sum of squares is divided by the number of rows, not of elements.",
                 "제곱의 합을 요소 개수가 아니라 행 개수로 나눴습니다."), MSE_HINT): squares.sum() / len(pred)}


def _cross_entropy_mistakes(logits, target, **options):
    return {(say("softmax is applied to the logits before the loss, which applies log_softmax itself (the "
                 "probabilities are squashed twice).",
                 "손실 함수가 log_softmax를 스스로 적용하는데, 그 전에 로짓에 softmax를 적용했습니다(확률이 두 번 "
                 "압축됩니다)."),
             say("Pass the raw logits: cross_entropy starts from log_softmax(logits).",
                 "가공하지 않은 로짓을 넘기세요. cross_entropy는 log_softmax(logits)에서 시작합니다.")):
            F.cross_entropy(logits.softmax(-1), target, **options),
            (say("the rows' losses are summed, not averaged.", "행의 손실을 평균하지 않고 합했습니다."),
             say("Take the mean over the rows that count.", "계산에 포함되는 행들에 대해 평균을 내세요.")):
            F.cross_entropy(logits, target, reduction="sum", **options),
            (say("the mean is taken over every entry of the (N, C) table of one-hot target times log-probabilities, so "
                 "the loss is divided by N * C instead of by the N rows.",
                 "원-핫 정답과 로그 확률을 곱한 (N, C) 표의 모든 요소에 대해 평균을 냈습니다. 그래서 손실을 행의 개수 N이 "
                 "아니라 N * C로 나눴습니다."),
             say("Pick each row's log-probability of its class first (gather, or sum over the classes), then average "
                 "over the rows.",
                 "먼저 행마다 정답 클래스의 로그 확률을 고른 뒤(gather, 또는 클래스에 대한 합) 행들에 대해 평균을 내세요.")):
            F.cross_entropy(logits, target, **options) / logits.shape[-1],
            (say("log_probs[:, target] takes, for every row, the log-probabilities of every row's class: an (N, N) "
                 "table instead of one value per row. Each row needs its own class only.",
                 "log_probs[:, target]는 행마다 모든 행의 정답 클래스에 대한 로그 확률을 가져와 행마다 값 하나가 아니라 "
                 "(N, N) 표를 만듭니다. 각 행에는 그 행의 정답 클래스 하나만 필요합니다."),
             say("Pair row n with target[n]: gather along dim 1, or index with (arange(N), target).",
                 "n번째 행을 target[n]과 짝지으세요. dim 1을 따라 gather하거나 (arange(N), target)으로 인덱싱하면 "
                 "됩니다.")):
            _table_of_every_class(logits, target) if not options else []}


def _table_of_every_class(logits, target):
    """What -log_probs[:, target] (an (N, N) table) gives, averaged, or summed and divided by the N rows."""
    table = -F.log_softmax(logits, -1)[:, target]
    return [table.mean(), table.sum() / len(target)]


def _ignore_mistakes(logits, target, ignore_index=-100):
    kept = target != ignore_index
    losses = F.cross_entropy(logits, target, ignore_index=ignore_index, reduction="sum")
    return {(say("the ignored rows are left out of the sum but still counted in the mean (divided by N).",
                  "무시한 행을 합에서는 뺐지만 평균을 낼 때는 셌습니다(N으로 나눴습니다)."), IGNORE_HINT):
            losses / len(target),
            (say("the rows whose target is ignore_index are not ignored.",
                 "정답이 ignore_index인 행을 무시하지 않았습니다."), IGNORE_HINT):
            F.cross_entropy(logits, target.where(kept, 0), ignore_index=-12345)}


def _smoothing_mistakes(logits, target, eps):
    log_p = F.log_softmax(logits, -1)
    kept = target != -100
    safe = target.where(kept, 0)
    nll = -log_p.gather(1, safe[:, None])[:, 0]
    others = (-log_p.sum(-1) - nll) / (logits.shape[-1] - 1)
    per_row = (1 - eps) * nll + eps * others
    return {(say("the smoothing mass eps is spread over the other classes only, not over every class with the true one "
                 "included.",
                 "스무딩에 쓰는 확률 eps를 정답을 포함한 모든 클래스가 아니라 나머지 클래스에만 나눠 주었습니다."), SMOOTHING_HINT):
            per_row[kept].mean()}


def _log_softmax_dim_mistakes(x, dim):
    if dim in (-1, x.dim() - 1):
        return {}
    return {(say(f"the log-softmax is taken along the last axis, not along dim={dim}: `dim` is not passed on to the "
                 "reductions.",
                 f"log-softmax를 `dim` 인자(dim={dim})가 가리키는 축이 아니라 마지막 축을 따라 계산했습니다. 축소 연산에 "
                 "`dim`을 넘기지 않았습니다."),
             say("Pass dim=dim (with keepdim=True) to both reductions, the maximum and the sum of exp.",
                 "최댓값과 exp의 합, 두 축소 연산 모두에 dim=dim(keepdim=True와 함께)을 넘기세요.")):
            F.log_softmax(x, dim=-1)}


def _global_max_mistakes(x):
    """The maximum of the whole tensor subtracted (logits.max()): exact in theory, but a row far below it underflows to
    exp = 0 everywhere and log(0) = -inf."""
    shifted = x - x.max()
    return {(say("the maximum is taken over the whole tensor, not along dim: in a row far below that maximum every exp "
                 "underflows to 0 and log(0) = -inf.",
                 "최댓값을 dim을 따라 구하지 않고 텐서 전체에서 구했습니다. 그 최댓값보다 훨씬 작은 행에서는 모든 exp가 "
                 "0으로 언더플로되어 log(0) = -inf가 됩니다."),
             say("Subtract each slice's own maximum: amax along dim with keepdim=True.",
                 "각 슬라이스의 최댓값을 빼세요. dim을 따라 keepdim=True로 amax를 구하면 됩니다.")):
            shifted - shifted.exp().sum(dim=-1, keepdim=True).log()}


def _logits(seed, n=6, c=5, scale=1.0, dtype=torch.float64):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, c, generator=generator, dtype=dtype) * scale, torch.randint(0, c, (n,), generator=generator)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("mse_loss matches nn.MSELoss for every reduction",
                   ko="mse_loss는 모든 reduction에서 nn.MSELoss와 같은 값을 냅니다")
def test_mse_matches_torch_for_every_reduction(impl):
    generator = torch.Generator().manual_seed(0)
    pred, target = torch.randn(4, 3, generator=generator), torch.randn(4, 3, generator=generator)
    for reduction in ("mean", "sum", "none"):
        assert_tensor(impl.mse_loss(pred, target, reduction=reduction), nn.MSELoss(reduction=reduction)(pred, target),
                      say(f"mse_loss(pred, target, reduction={reduction!r}) for (4, 3) inputs",
                          f"shape가 (4, 3)인 입력에 대한 mse_loss(pred, target, reduction={reduction!r})"),
                      hint=MSE_HINT, mistakes=_mse_mistakes(pred, target, reduction))
    assert_tensor(impl.mse_loss(pred, target), F.mse_loss(pred, target),
                  say("mse_loss(pred, target) with the default", "기본값으로 호출한 mse_loss(pred, target)"),
                  hint=say("The default reduction is 'mean'.", "reduction의 기본값은 'mean'입니다."))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("mse_loss has the same gradient as F.mse_loss",
                   ko="mse_loss의 변화도는 F.mse_loss의 변화도와 같습니다")
def test_mse_gradients_match_torch(impl):
    generator = torch.Generator().manual_seed(1)
    pred = torch.randn(5, 2, generator=generator, dtype=torch.float64, requires_grad=True)
    target = torch.randn(5, 2, generator=generator, dtype=torch.float64)
    loss, requires_grad, got = loss_and_gradient(impl, "mse_loss", (pred, target), {})
    loss = expect_tensor(loss, "mse_loss(pred, target)")
    check(requires_grad, say("mse_loss(pred, target) does not require grad.",
                             "mse_loss(pred, target)의 requires_grad가 False입니다."),
          say("Use tensor operations only, no .item().", "텐서 연산만 쓰세요. .item()은 쓰지 마세요."))
    (want,) = torch.autograd.grad(F.mse_loss(pred, target), pred)
    assert_tensor(got, want, say("d mse_loss / d prediction", "d mse_loss / d prediction (예측값에 대한 변화도)"))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("log_softmax matches F.log_softmax along any dim",
                   ko="log_softmax는 어느 dim에서든 F.log_softmax와 같은 값을 냅니다")
def test_log_softmax_matches_torch(impl):
    generator = torch.Generator().manual_seed(2)
    x = torch.randn(3, 4, 5, generator=generator, dtype=torch.float64) * 4
    for dim in (-1, 1, 0):
        assert_tensor(impl.log_softmax(x, dim=dim), F.log_softmax(x, dim=dim),
                      say(f"log_softmax(x, dim={dim}) for x of shape (3, 4, 5)",
                          f"shape가 (3, 4, 5)인 x에 대한 log_softmax(x, dim={dim})"),
                      hint=say("Reduce along `dim` with keepdim=True so the result broadcasts back.",
                               "결과가 다시 브로드캐스트되도록 keepdim=True로 `dim`을 따라 축소하세요."),
                      mistakes=_log_softmax_dim_mistakes(x, dim))
    assert_tensor(impl.log_softmax(x), F.log_softmax(x, dim=-1),
                  say("log_softmax(x) with the default dim", "기본 dim으로 호출한 log_softmax(x)"),
                  hint=say("The default is dim=-1, the last axis.", "기본값은 마지막 축인 dim=-1입니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("log_softmax stays accurate for very large logits",
                   ko="log_softmax는 아주 큰 로짓에서도 안정적으로 계산됩니다")
def test_log_softmax_is_stable_on_large_logits(impl):
    x = torch.tensor([[1000.0, 2000.0, 3000.0], [-3000.0, -2000.0, -2999.0], [0.0, 100.0, 89.0]])
    assert_tensor(impl.log_softmax(x, dim=-1), F.log_softmax(x, dim=-1),
                  say("log_softmax(x) for float32 logits in the thousands", "수천 단위 float32 로짓에 대한 log_softmax(x)"),
                  hint=STABLE_HINT, mistakes=_global_max_mistakes(x))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("cross_entropy matches F.cross_entropy",
                   ko="cross_entropy는 F.cross_entropy와 같은 값을 냅니다")
def test_cross_entropy_matches_torch(impl):
    for seed, (n, c) in enumerate(((6, 5), (1, 3), (9, 2))):
        logits, target = _logits(seed, n, c, scale=3.0)
        assert_tensor(impl.cross_entropy(logits, target), F.cross_entropy(logits, target),
                      say(f"cross_entropy(logits, target) for ({n}, {c}) logits",
                          f"shape가 ({n}, {c})인 로짓에 대한 cross_entropy(logits, target)"),
                      hint=say("Mean over rows of -log_softmax(logits)[n, target[n]]; gather picks each row's class.",
                               "행들에 대한 -log_softmax(logits)[n, target[n]]의 평균입니다. gather로 각 행의 클래스를 "
                               "고르세요."), mistakes=_cross_entropy_mistakes(logits, target))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("cross_entropy skips rows whose target is ignore_index",
                   ko="cross_entropy는 정답이 ignore_index인 행을 건너뜁니다")
def test_cross_entropy_skips_ignore_index(impl):
    logits, target = _logits(10, 8, 4)
    padded = target.clone()
    padded[[1, 4, 5]] = -100
    assert_tensor(impl.cross_entropy(logits, padded), F.cross_entropy(logits, padded),
                  say("cross_entropy(logits, target) with 3 of 8 targets = -100 (the default ignore_index)",
                      "정답 8개 중 3개가 -100(기본 ignore_index)일 때의 cross_entropy(logits, target)"), hint=IGNORE_HINT,
                  mistakes=_ignore_mistakes(logits, padded))
    padded[[1, 4, 5]] = 3
    padded[0] = 2
    padded[padded == 3] = 2
    assert_tensor(impl.cross_entropy(logits, padded, ignore_index=2), F.cross_entropy(logits, padded, ignore_index=2),
                  say("cross_entropy(logits, target, ignore_index=2), where 2 is also a valid class index",
                      "2가 유효한 클래스 인덱스이기도 할 때의 cross_entropy(logits, target, ignore_index=2)"),
                  hint=IGNORE_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("cross_entropy applies label smoothing as PyTorch does",
                   ko="cross_entropy는 PyTorch와 똑같이 레이블 스무딩을 적용합니다")
def test_cross_entropy_label_smoothing_matches_torch(impl):
    logits, target = _logits(20, 7, 6, scale=2.0)
    target[2] = -100
    for eps in (0.1, 0.5):
        assert_tensor(impl.cross_entropy(logits, target, label_smoothing=eps),
                      F.cross_entropy(logits, target, label_smoothing=eps),
                      say(f"cross_entropy(logits, target, label_smoothing={eps}) with one ignored row",
                          f"무시되는 행이 하나 있을 때의 cross_entropy(logits, target, label_smoothing={eps})"),
                      hint=SMOOTHING_HINT, mistakes=_smoothing_mistakes(logits, target, eps))


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("cross_entropy has the same gradients as F.cross_entropy",
                   ko="cross_entropy의 변화도는 F.cross_entropy의 변화도와 같습니다")
def test_cross_entropy_gradients_match_torch(impl):
    logits, target = _logits(30, 6, 4, scale=2.0)
    target[3] = -100
    logits.requires_grad_(True)
    loss, requires_grad, got = loss_and_gradient(impl, "cross_entropy", (logits, target), {"label_smoothing": 0.2})
    loss = expect_tensor(loss, "cross_entropy(...)")
    check(requires_grad, say("cross_entropy(logits, target) does not require grad.",
                             "cross_entropy(logits, target)의 requires_grad가 False입니다."),
          say("Use tensor operations only.", "텐서 연산만 쓰세요."))
    (want,) = torch.autograd.grad(F.cross_entropy(logits, target, label_smoothing=0.2), logits)
    assert_tensor(got, want, say("d cross_entropy / d logits (label_smoothing=0.2, one ignored row)",
                                 "d cross_entropy / d logits (label_smoothing=0.2, 무시되는 행 하나)"),
                  hint=say("An ignored row gets a zero gradient; the others get (softmax - smoothed target) / kept rows.",
                           "무시되는 행의 변화도는 0이고, 나머지 행은 (softmax - 스무딩된 정답) / 남은 행 수입니다."))


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("cross_entropy and its gradient stay stable for huge logits",
                   ko="cross_entropy와 그 변화도는 아주 큰 로짓에서도 안정적입니다")
def test_cross_entropy_stable_on_large_logits(impl):
    logits, target = _logits(40, 5, 4, scale=2000.0, dtype=torch.float32)
    logits.requires_grad_(True)
    loss, requires_grad, got = loss_and_gradient(impl, "cross_entropy", (logits, target), {})
    loss = expect_tensor(loss, "cross_entropy(logits, target)")
    want = F.cross_entropy(logits, target)
    assert_tensor(loss, want, say("cross_entropy for float32 logits in the thousands",
                                  "수천 단위 float32 로짓에 대한 cross_entropy"), hint=STABLE_HINT)
    check(requires_grad, say("cross_entropy(logits, target) does not require grad.",
                             "cross_entropy(logits, target)의 requires_grad가 False입니다."),
          say("Use tensor operations only.", "텐서 연산만 쓰세요."))
    (want_grad,) = torch.autograd.grad(want, logits)
    assert_tensor(got, want_grad, say("d cross_entropy / d logits for logits in the thousands",
                                      "수천 단위 로짓에 대한 d cross_entropy / d logits"), atol=1e-5, hint=STABLE_HINT)


TORCH_SOFTMAX = {f"{where}.{what}" for where in ("torch.nn.functional", "torch", "torch.Tensor", "torch.special")
                 for what in ("log_softmax", "softmax")}
TORCH_CROSS_ENTROPY = TORCH_SOFTMAX | {"torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss"}


def _short(name):
    return name.replace("torch.nn.functional.", "F.").replace("torch.Tensor.", "Tensor.")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("log_softmax and cross_entropy are written by hand, not torch's own",
                   ko="log_softmax와 cross_entropy는 torch의 것을 부르지 않고 직접 작성합니다")
def test_log_softmax_and_cross_entropy_are_written_by_hand(impl, run_seed):
    # Which functions ran is what the student's process says; it counts only beside values the judge computes, on
    # inputs drawn for this run.
    logits, target = _logits(run_seed, n=7, c=4, scale=3.0)
    assert_tensor(impl.log_softmax(logits, 1), F.log_softmax(logits, 1),
                  say("log_softmax(logits, 1) for (7, 4) logits", "shape가 (7, 4)인 로짓에 대한 log_softmax(logits, 1)"),
                  hint=STABLE_HINT)
    assert_tensor(impl.cross_entropy(logits, target), F.cross_entropy(logits, target),
                  say("cross_entropy(logits, target) for (7, 4) logits", "shape가 (7, 4)인 로짓에 대한 cross_entropy(logits, target)"),
                  hint=STABLE_HINT)
    for name, args, forbidden in (("log_softmax", (logits, 1), TORCH_SOFTMAX),
                                  ("cross_entropy", (logits, target), TORCH_CROSS_ENTROPY)):
        called = [_short(f) for f in torch_functions_called(impl, name, *args) if f in forbidden]
        check(not called,
              say(f"{name} calls torch's own {', '.join(called)}: the exercise asks you to write it by hand.",
                  f"{name}에서 torch의 함수를 호출합니다: {', '.join(called)}. 이 연습 문제에서는 직접 작성해야 합니다."),
              say("Build it from tensor operations (amax, exp, sum, log, gather, ...) as its docstring describes; "
                  "torch's version is what the grader compares you with. " + STABLE_HINT,
                  "docstring에 설명된 대로 텐서 연산(amax, exp, sum, log, gather 등)으로 만드세요. torch의 함수는 "
                  "채점기가 여러분의 결과와 비교하는 기준입니다. " + STABLE_HINT))


def _params(seed):
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(shape, generator=generator, dtype=torch.float64) for shape in ((3, 4), (4,), (2, 2, 2))]


def _loss(params, step):
    return sum(((p.sin() * (k + 1) + p ** 2 * (0.3 + step)).sum()) for k, p in enumerate(params))


# kind -> (the student's function, its arguments after the parameters given the state lists and the step t)
STEPS = {
    "sgd": ("sgd_momentum_step", lambda state, t: ((state[0],), {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01})),
    "adam": ("adam_step", lambda state, t: ((state[0], state[1], t),
                                            {"lr": 0.1, "betas": (0.8, 0.9), "eps": 1e-3, "weight_decay": 0.05})),
    "sgd by default": ("sgd_momentum_step", lambda state, t: ((state[0],), {"lr": 0.05, "momentum": 0.9})),
    "adam by default": ("adam_step", lambda state, t: ((state[0], state[1], t), {})),
}


def _sgd(lr, momentum, weight_decay=0.0, *, decay=True, keep=True, dampening=0.0):
    """A step of SGD with momentum as the judge writes it, with one of the mistakes learners make switched on: the
    weight decay left out, the velocity not kept between steps (rebound, not updated in place), a dampened average."""
    def step(params, grads, state, t):
        for p, g, s in zip(params, grads, state):
            g = g + weight_decay * p if decay else g
            v = momentum * s.get("v", torch.zeros_like(p)) + (1 - dampening) * g
            if keep:
                s["v"] = v
            p.sub_(lr * v)
    return step


def _adam(lr, betas, eps, weight_decay, *, decay="gradient", bias=True, eps_inside=False, square=True,
          hat_in_place=False, decay_after=False, keep=True):
    """A step of Adam as the judge writes it, with one of the mistakes learners make switched on: the weight decay
    left out (decay=None) or decoupled as AdamW's (before or after the update), no bias correction, eps inside the
    square root, g instead of g * g in v, the bias correction written into the state (m.div_), the moments not kept
    between steps (rebound, not updated in place)."""
    beta1, beta2 = betas

    def step(params, grads, state, t):
        for p, g, s in zip(params, grads, state):
            if decay == "gradient":
                g = g + weight_decay * p
            if decay == "decoupled" and not decay_after:
                p.mul_(1 - lr * weight_decay)
            m = beta1 * s.get("m", torch.zeros_like(p)) + (1 - beta1) * g
            v = beta2 * s.get("v", torch.zeros_like(p)) + (1 - beta2) * (g * g if square else g)
            m_hat, v_hat = (m / (1 - beta1 ** t), v / (1 - beta2 ** t)) if bias else (m, v)
            if keep:
                s["m"], s["v"] = (m_hat, v_hat) if hat_in_place else (m, v)
            p.sub_(lr * m_hat / ((v_hat + eps).sqrt() if eps_inside else v_hat.sqrt() + eps))
            if decay == "decoupled" and decay_after:
                p.mul_(1 - lr * weight_decay)
    return step


def _trajectory(step, n_steps):
    """The parameters after each of n_steps steps of `step` (a mistake's optimizer, run here) from _params(50), each
    step with the gradients of _loss at its own parameters, as the student's steps are driven."""
    params, state, after = [p.clone() for p in _params(50)], [{} for _ in range(3)], []
    for t in range(1, n_steps + 1):
        leaves = [p.clone().requires_grad_(True) for p in params]
        grads = torch.autograd.grad(_loss(leaves, t), leaves)
        with torch.no_grad():
            step(params, grads, state, t)
        after.append([p.clone() for p in params])
    return after


SGD_MISTAKES = {
    (say("the velocity is rebound (`v = momentum * v + g`) instead of updated in place, so every step starts it from "
         "zero again and the momentum is lost.",
         "속도를 제자리에서 갱신하지 않고 `v = momentum * v + g`로 이름만 다시 묶었습니다. 그래서 단계마다 속도가 다시 "
         "0에서 시작해 모멘텀이 사라집니다."),
     say("The caller keeps the velocities between steps: change the tensor you were given in place (mul_, add_) "
         "instead of making a new one.",
         "호출한 쪽이 단계 사이에 속도를 보관합니다. 새 텐서를 만들지 말고 받은 텐서를 제자리에서 바꾸세요(mul_, "
         "add_).")): _sgd(0.05, 0.9, 0.01, keep=False),
    (say("weight_decay is left out: the step uses p.grad alone.",
         "weight_decay를 빠뜨렸습니다. 단계에서 p.grad만 썼습니다."),
     say("Add weight_decay * p to the gradient before the momentum update (an L2 penalty).",
         "모멘텀 갱신 전에 변화도에 weight_decay * p를 더하세요(L2 페널티).")): _sgd(0.05, 0.9, 0.01, decay=False),
    (say("the velocity is a moving average, v = momentum * v + (1 - momentum) * g, but torch's dampening is 0.",
         "속도를 이동 평균 v = momentum * v + (1 - momentum) * g로 계산했지만 torch의 dampening은 0입니다."),
     say("v = momentum * v + g: no (1 - momentum) factor on the gradient.",
         "v = momentum * v + g입니다. 변화도에 (1 - momentum)을 곱하지 마세요.")): _sgd(0.05, 0.9, 0.01, dampening=0.9),
}

ADAM_ARGUMENTS = (0.1, (0.8, 0.9), 1e-3, 0.05)
ADAM_MISTAKES = {
    (say("Adam's bias correction is missing: m and v start at zero, so without m / (1 - beta1 ** step) and "
         "v / (1 - beta2 ** step) the first steps are the wrong size.",
         "Adam의 편향 보정이 빠졌습니다. m과 v가 0에서 시작하므로 m / (1 - beta1 ** step)과 "
         "v / (1 - beta2 ** step)이 없으면 처음 단계들의 크기가 틀립니다."),
     say("Divide m and v by (1 - beta ** step) before the update, with step counted from 1.",
         "갱신 전에 m과 v를 (1 - beta ** step)으로 나누세요. 단계 번호 `step`은 1부터 셉니다.")): _adam(*ADAM_ARGUMENTS, bias=False),
    (say("eps is inside the square root, sqrt(v_hat + eps); torch divides by sqrt(v_hat) + eps, eps added after the "
         "square root.",
         "eps를 제곱근 안에 넣어 sqrt(v_hat + eps)로 계산했습니다. torch는 sqrt(v_hat) + eps로 나눕니다"
         "(제곱근 뒤에 더하는 eps)."),
     say("Take the square root of v_hat first, then add eps to it.", "v_hat의 제곱근을 먼저 구한 뒤 eps를 더하세요.")):
        _adam(*ADAM_ARGUMENTS, eps_inside=True),
    (say("the weight decay is AdamW's, decoupled (p is shrunk directly), but Adam adds weight_decay * p to the "
         "gradient.",
         "가중치 감쇠를 AdamW처럼 분리해서(p를 직접 줄여서) 적용했지만, Adam은 weight_decay * p를 변화도에 더합니다."),
     say("g = p.grad + weight_decay * p, then the moments from g.",
         "g = p.grad + weight_decay * p로 구한 뒤 이 g로 모멘트를 갱신하세요.")):
        [_adam(*ADAM_ARGUMENTS, decay="decoupled"), _adam(*ADAM_ARGUMENTS, decay="decoupled", decay_after=True)],
    (say("weight_decay is left out: the moments are built from p.grad alone.",
         "weight_decay를 빠뜨렸습니다. 모멘트를 p.grad만으로 만들었습니다."),
     say("g = p.grad + weight_decay * p, then the moments from g.",
         "g = p.grad + weight_decay * p로 구한 뒤 이 g로 모멘트를 갱신하세요.")): _adam(*ADAM_ARGUMENTS, decay=None),
    (say("v averages the gradient g instead of its square g * g.",
         "v가 변화도의 제곱 g * g가 아니라 변화도 g를 평균합니다."),
     say("v is the moving average of the squared gradient: (1 - beta2) * g * g.",
         "v는 변화도 제곱의 이동 평균입니다: (1 - beta2) * g * g.")): _adam(*ADAM_ARGUMENTS, square=False),
    (say("the bias correction is written into the state (m.div_(...) or v.div_(...)), so the next step starts from the "
         "corrected moments instead of m and v.",
         "편향 보정을 상태에 덮어썼습니다(m.div_(...)나 v.div_(...)). 그래서 다음 단계가 m과 v가 아니라 보정된 "
         "모멘트에서 시작합니다."),
     say("Keep m and v as they are between steps: make m_hat and v_hat new tensors (m / (1 - beta1 ** step)).",
         "단계 사이에 m과 v는 그대로 두세요. m_hat과 v_hat은 새 텐서로 만드세요(m / (1 - beta1 ** step)).")):
        _adam(*ADAM_ARGUMENTS, hat_in_place=True),
    (say("the moments are rebound (`m = beta1 * m + ...`, `v = beta2 * v + ...`) instead of updated in place, so every "
         "step starts them from zero again: each step is a first step.",
         "모멘트를 제자리에서 갱신하지 않고 `m = beta1 * m + ...`, `v = beta2 * v + ...`로 이름만 다시 묶었습니다. 그래서 "
         "단계마다 모멘트가 다시 0에서 시작해 모든 단계가 첫 단계처럼 계산됩니다."),
     say("The caller keeps exp_avgs and exp_avg_sqs between steps: change the tensors you were given in place (mul_, "
         "add_), then compute m_hat and v_hat as new tensors.",
         "호출한 쪽이 단계 사이에 exp_avgs와 exp_avg_sqs를 보관합니다. 받은 텐서를 제자리에서 바꾸고(mul_, add_), "
         "m_hat과 v_hat은 새 텐서로 계산하세요.")): _adam(*ADAM_ARGUMENTS, keep=False),
}


def _compare_with_torch(impl, kind, make_optimizer, n_steps, what, hint, mistakes=None):
    """torch's optimizer runs here; the student's step is called directly, each step on the student's parameters as
    its last step left them with the gradients of _loss there (computed here), and with its own state tensors as its
    last step left them (what the call did to its arguments, seen with with_inputs). Nothing the student's process
    reports is believed but the tensors it returns, compared with torch's. `mistakes` ({mistake: its step, or a list
    of them}) are run here too, from the same start: a parameter equal to one's names it."""
    runs = {key: [_trajectory(step, n_steps) for step in (steps if isinstance(steps, list) else [steps])]
            for key, steps in (mistakes or {}).items()}
    start = _params(50)
    ours = [p.clone().requires_grad_(True) for p in start]
    optimizer = make_optimizer(ours)
    name, arguments = STEPS[kind]
    theirs = [p.clone() for p in start]
    state = [[torch.zeros_like(p) for p in start] for _ in range(2)]
    for step in range(1, n_steps + 1):
        optimizer.zero_grad()
        _loss(ours, step).backward()
        optimizer.step()
        leaves = [p.clone().requires_grad_(True) for p in theirs]
        grads = torch.autograd.grad(_loss(leaves, step), leaves)
        live = parameters_with_grads(impl, theirs, list(grads))
        args, kwargs = arguments(state, step)
        _, args_after, _ = with_inputs(getattr(impl, name), live, *args, **kwargs)
        state = [list(args_after[1]), list(args_after[2]) if name == "adam_step" else state[1]]
        after = list(live)
        check(len(after) == len(theirs) and all(type(p) in (torch.Tensor, torch.nn.Parameter) for p in after),
              say(f"{what}: the parameter list changed its length or holds something else after step {step}.",
                  f"{what}: {step}단계 뒤 매개변수 리스트의 길이가 바뀌었거나 텐서가 아닌 것이 들어 있습니다."))
        for k, (p, old, want) in enumerate(zip(after, theirs, ours)):
            check(not torch.equal(p.detach(), old), say(f"{what}: parameter {k} did not change at step {step}.",
                                                        f"{what}: {step}단계에서 매개변수 {k} 값이 바뀌지 않았습니다."),
                  say("Update each parameter in place (p.sub_(...) under torch.no_grad()); `p = p - ...` only rebinds a "
                      "local name.",
                      "각 매개변수를 제자리에서 갱신하세요(torch.no_grad() 아래에서 p.sub_(...)). "
                      "`p = p - ...`는 지역 변수 p가 새 텐서를 가리키게 할 뿐입니다."))
            assert_tensor(p.detach(), want.detach(),
                          say(f"{what}: parameter {k} of shape {tuple(p.shape)} after step {step}",
                              f"{what}: {step}단계 뒤 shape가 {tuple(p.shape)}인 매개변수 {k}"),
                          hint=hint, mistakes={key: [run[step - 1][k] for run in each] for key, each in runs.items()})
        theirs = [p.detach().clone() for p in after]


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("sgd_momentum_step updates parameters exactly as torch.optim.SGD",
                   ko="sgd_momentum_step은 torch.optim.SGD와 똑같이 매개변수를 갱신합니다")
def test_sgd_momentum_steps_match_torch(impl):
    _compare_with_torch(impl, "sgd", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01), 3,
                        say("sgd_momentum_step(lr=0.05, momentum=0.9, weight_decay=0.01) against torch.optim.SGD",
                            "torch.optim.SGD와 비교한 sgd_momentum_step(lr=0.05, momentum=0.9, weight_decay=0.01)"),
                        say("v = momentum * v + g (no (1 - momentum) factor: torch's dampening is 0), then p -= lr * v, "
                            "with g = p.grad + weight_decay * p; keep v between steps by updating it in place.",
                            "v = momentum * v + g로 갱신한 뒤 p -= lr * v로 갱신하세요. 여기서 g = p.grad + weight_decay * p이고, "
                            "torch의 dampening은 0이므로 (1 - momentum) 계수는 곱하지 않습니다. v는 제자리에서 갱신해 "
                            "단계 사이에 유지하세요."), SGD_MISTAKES)
    # then the signature's defaults, once the mistakes above are ruled out
    _compare_with_torch(impl, "sgd by default", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9), 2,
                        say("sgd_momentum_step(lr=0.05, momentum=0.9), weight_decay left at its default (0.0), against "
                            "torch.optim.SGD", "weight_decay를 기본값(0.0)으로 둔 sgd_momentum_step(lr=0.05, momentum=0.9)을 "
                            "torch.optim.SGD와 비교"),
                        say("Keep the signature's default weight_decay=0.0.", "시그니처의 기본값 weight_decay=0.0을 "
                            "유지하세요."))


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("adam_step updates parameters exactly as torch.optim.Adam",
                   ko="adam_step은 torch.optim.Adam과 똑같이 매개변수를 갱신합니다")
def test_adam_steps_match_torch(impl):
    _compare_with_torch(impl, "adam", lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.05), 3,
                        say("adam_step(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.05) against torch.optim.Adam",
                            "torch.optim.Adam과 비교한 adam_step(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.05)"),
                        say("Check the bias correction m / (1 - beta1 ** step) and v / (1 - beta2 ** step), eps added after "
                            "the square root, and Adam's weight_decay added to the gradient (not AdamW's decoupled decay).",
                            "편향 보정 m / (1 - beta1 ** step)과 v / (1 - beta2 ** step), 제곱근 뒤에 "
                            "더하는 eps, 그리고 변화도에 더하는 Adam의 weight_decay(AdamW의 분리된 감쇠가 아님)를 "
                            "확인하세요."), ADAM_MISTAKES)
    # then the signature's defaults, once the mistakes above are ruled out
    _compare_with_torch(impl, "adam by default", torch.optim.Adam, 2,
                        say("adam_step with every default (lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0) "
                            "against torch.optim.Adam's defaults",
                            "모든 인자를 기본값(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)으로 둔 adam_step을 "
                            "torch.optim.Adam의 기본값과 비교"),
                        say("Keep the signature's defaults: they are torch.optim.Adam's.",
                            "시그니처의 기본값을 유지하세요: torch.optim.Adam의 기본값과 같습니다."))


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("The losses keep their inputs' device and dtype",
                   ko="손실 함수는 입력의 장치와 dtype을 그대로 따릅니다")
def test_losses_follow_input_device_and_dtype(impl):
    x = torch.empty(4, 3, device="meta", dtype=torch.float16)
    for what, out, shape in (("mse_loss(x, x)", impl.mse_loss(x, x), ()),
                             ("log_softmax(x)", impl.log_softmax(x), (4, 3))):
        assert_tensor(out, torch.empty(shape, device="meta", dtype=torch.float16),
                      say(f"{what} for a float16 x on the meta device", f"meta 장치에 있는 float16 x에 대한 {what}"),
                      hint=say("Use tensor operations on the inputs; do not build new tensors with torch.tensor(...) or "
                               ".item().",
                               "입력에 대한 텐서 연산을 쓰세요. torch.tensor(...)나 .item()으로 새 텐서를 만들지 마세요."))
    logits, target = _logits(60, 4, 3)
    out = expect_tensor(impl.cross_entropy(logits, target),
                        say("cross_entropy(float64 logits)", "cross_entropy(float64 로짓)"))
    check(out.dtype == torch.float64 and out.dim() == 0,
          say(f"cross_entropy for float64 logits should give a 0-d float64 tensor, got {tuple(out.shape)} {out.dtype}.",
              f"float64 로짓에 대한 cross_entropy는 0차원 float64 텐서를 내야 하는데 shape는 {tuple(out.shape)}, "
              f"dtype은 {out.dtype}입니다."),
          say("Reduce to a scalar tensor with tensor operations; do not go through Python floats.",
              "텐서 연산으로 스칼라 텐서까지 축소하세요. Python float를 거치지 마세요."))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("cross_entropy works on CUDA tensors",
                   ko="cross_entropy는 CUDA 텐서에서도 동작합니다")
def test_losses_run_on_cuda(impl):
    logits, target = _logits(70, 6, 4, scale=1000.0, dtype=torch.float32)
    logits, target = logits.cuda(), target.cuda()
    target[0] = -100
    assert_tensor(impl.cross_entropy(logits, target, label_smoothing=0.1),
                  F.cross_entropy(logits, target, label_smoothing=0.1), say("cross_entropy on CUDA",
                                                                            "CUDA에서의 cross_entropy"),
                  hint=STABLE_HINT)


BCE_STABLE_HINT = say("Do not take the log of a sigmoid: sigmoid(x) saturates to exactly 1.0 in float32 once x is above "
                      "~17. Write both logs in terms of x: log sigmoid(x) = -(max(-x, 0) + log1p(exp(-|x|))) and "
                      "log(1 - sigmoid(x)) = log sigmoid(x) - x.",
                      "sigmoid에 log를 취하지 마세요: float32에서 x가 약 17을 넘으면 sigmoid(x)는 정확히 1.0으로 "
                      "포화됩니다. 두 log를 모두 x로 쓰세요: log sigmoid(x) = -(max(-x, 0) + "
                      "log1p(exp(-|x|))), log(1 - sigmoid(x)) = log sigmoid(x) - x.")


def _bce_mistakes(logits, target, pos_weight=None):
    return {(say("the elements' losses are summed, not averaged.", "요소별 손실을 평균하지 않고 합했습니다."),
             say("nn.BCEWithLogitsLoss's default reduction is the mean over every element.",
                 "nn.BCEWithLogitsLoss의 기본 reduction은 모든 요소에 대한 평균입니다.")):
            nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="sum")(logits, target)}


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("bce_with_logits matches nn.BCEWithLogitsLoss, with and without pos_weight",
                   ko="bce_with_logits는 pos_weight가 있든 없든 nn.BCEWithLogitsLoss와 같은 값을 냅니다")
def test_bce_with_logits_matches_torch(impl):
    generator = torch.Generator().manual_seed(80)
    logits = torch.randn(6, 3, generator=generator, dtype=torch.float64) * 3
    soft = torch.rand(6, 3, generator=generator, dtype=torch.float64)
    hard = (torch.rand(6, 3, generator=generator) > 0.5).to(torch.float64)
    pos_weight = torch.tensor([0.5, 2.0, 3.0], dtype=torch.float64)
    for target, kind_en, kind_ko in ((hard, "0/1 targets", "0/1 정답"), (soft, "soft targets in [0, 1]",
                                                                          "[0, 1] 범위의 소프트 정답")):
        assert_tensor(impl.bce_with_logits(logits, target), nn.BCEWithLogitsLoss()(logits, target),
                      say(f"bce_with_logits(logits, target) for (6, 3) logits and {kind_en}",
                          f"shape가 (6, 3)인 로짓과 {kind_ko}에 대한 bce_with_logits(logits, target)"),
                      hint=say("The mean over every element of -(y * log(p) + (1 - y) * log(1 - p)), p = sigmoid(x).",
                               "p = sigmoid(x)일 때 -(y * log(p) + (1 - y) * log(1 - p))의 모든 요소에 대한 평균입니다."),
                      mistakes=_bce_mistakes(logits, target))
        assert_tensor(impl.bce_with_logits(logits, target, pos_weight=pos_weight),
                      nn.BCEWithLogitsLoss(pos_weight=pos_weight)(logits, target),
                      say(f"bce_with_logits(logits, target, pos_weight=[0.5, 2.0, 3.0]) for {kind_en}",
                          f"{kind_ko}에 대한 bce_with_logits(logits, target, pos_weight=[0.5, 2.0, 3.0])"),
                      hint=say("pos_weight multiplies the positive term y * log(p) only, one weight per column.",
                               "pos_weight는 양성 항 y * log(p)에만 곱해지며, 열마다 가중치가 하나씩 있습니다."),
                      mistakes=_bce_mistakes(logits, target, pos_weight))
    x32 = torch.randn(5, generator=generator)
    y32 = (torch.rand(5, generator=generator) > 0.5).float()
    assert_tensor(impl.bce_with_logits(x32, y32), nn.BCEWithLogitsLoss()(x32, y32),
                  say("bce_with_logits(logits, target) for a 1-D float32 batch",
                      "1차원 float32 배치에 대한 bce_with_logits(logits, target)"),
                  hint=say("Keep the inputs' dtype and return a 0-d tensor.",
                           "입력의 dtype을 유지하고 0차원 텐서를 반환하세요."))


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("bce_with_logits and its gradient stay exact for logits of ±100 and beyond",
                   ko="bce_with_logits와 그 변화도는 ±100 이상의 로짓에서도 정확합니다")
def test_bce_with_logits_is_stable_on_extreme_logits(impl):
    logits = torch.tensor([[100.0, -100.0, 250.0, -250.0, 30.0, -30.0, 17.5, -0.5],
                           [100.0, -100.0, 250.0, -250.0, 30.0, -30.0, 17.5, -0.5]], requires_grad=True)
    target = torch.tensor([[0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0],   # the wrong side: large, exact losses
                           [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.75, 0.25]])  # the right side: tiny losses
    loss, requires_grad, got = loss_and_gradient(impl, "bce_with_logits", (logits, target), {})
    loss = expect_tensor(loss, "bce_with_logits(logits, target)")
    check(bool(torch.isfinite(loss).all()),
          say(f"bce_with_logits(logits, target) for float32 logits of +-100 and +-250 is {loss.tolist()}, not a "
              "finite number: sigmoid(x) saturates to exactly 1.0 in float32, so log(1 - sigmoid(x)) is log(0) = -inf. "
              "This is why nn.BCEWithLogitsLoss takes logits, not probabilities.",
              f"+-100과 +-250인 float32 로짓에 대한 bce_with_logits(logits, target)의 값이 유한한 수가 아니라 "
              f"{loss.tolist()}입니다. float32에서 sigmoid(x)는 정확히 1.0으로 포화되므로 "
              "log(1 - sigmoid(x))가 log(0) = -inf가 됩니다. nn.BCEWithLogitsLoss가 확률이 아니라 로짓을 받는 "
              "이유입니다."), BCE_STABLE_HINT)
    want = nn.BCEWithLogitsLoss()(logits, target)
    assert_tensor(loss, want, say("bce_with_logits(logits, target) for float32 logits of +-100 and +-250",
                                  "+-100과 +-250인 float32 로짓에 대한 bce_with_logits(logits, target)"),
                  hint=BCE_STABLE_HINT)
    check(requires_grad, say("bce_with_logits(logits, target) does not require grad.",
                             "bce_with_logits(logits, target)의 requires_grad가 False입니다."),
          say("Use tensor operations only.", "텐서 연산만 쓰세요."))
    (want_grad,) = torch.autograd.grad(want, logits)
    assert_tensor(got, want_grad, say("d bce_with_logits / d logits for logits of +-100 and +-250 (it is "
                                      "(sigmoid(x) - y) / N, never 0 on the wrong side)",
                                      "+-100과 +-250인 로짓에 대한 d bce_with_logits / d logits "
                                      "((sigmoid(x) - y) / N이며, 틀린 쪽에서는 절대 0이 아닙니다)"),
                  atol=1e-6, hint=BCE_STABLE_HINT)


TORCH_BCE = {"torch.nn.functional.binary_cross_entropy_with_logits", "torch.binary_cross_entropy_with_logits",
             "torch.nn.functional.binary_cross_entropy", "torch.binary_cross_entropy"}


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("bce_with_logits is written by hand, not torch's own",
                   ko="bce_with_logits는 torch의 것을 부르지 않고 직접 작성합니다")
def test_bce_with_logits_is_written_by_hand(impl, run_seed):
    # Which functions ran is what the student's process says; it counts only beside values the judge computes, on
    # inputs drawn for this run.
    generator = torch.Generator().manual_seed(run_seed)
    logits = torch.randn(4, 3, generator=generator, dtype=torch.float64) * 3
    target = (torch.rand(4, 3, generator=generator) > 0.5).to(torch.float64)
    assert_tensor(impl.bce_with_logits(logits, target), nn.BCEWithLogitsLoss()(logits, target),
                  say("bce_with_logits(logits, target) for (4, 3) logits", "shape가 (4, 3)인 로짓에 대한 bce_with_logits(logits, target)"),
                  hint=BCE_STABLE_HINT)
    called = [_short(f) for f in torch_functions_called(impl, "bce_with_logits", logits, target) if f in TORCH_BCE]
    check(not called,
          say(f"bce_with_logits calls torch's own {', '.join(called)}: the exercise asks you to write it by hand.",
              f"bce_with_logits에서 torch의 함수를 호출합니다: {', '.join(called)}. 이 연습 문제에서는 직접 작성해야 합니다."),
          say("Build it from tensor operations (clamp, abs, exp, log1p, mean, ...); nn.BCEWithLogitsLoss is what the "
              "grader compares you with. " + BCE_STABLE_HINT,
              "텐서 연산(clamp, abs, exp, log1p, mean 등)으로 만드세요. nn.BCEWithLogitsLoss는 채점기가 여러분의 "
              "결과와 비교하는 기준입니다. " + BCE_STABLE_HINT))

def _warmup_cosine(t, warmup_steps, total_steps, min_lr_ratio=0.0):
    """The docstring's f(t), computed here in the judge."""
    if t < warmup_steps:
        return t / warmup_steps
    progress = min(1.0, (t - warmup_steps) / (total_steps - warmup_steps))
    cosine = 0.5 * (1.0 + math.cos(math.pi * progress))
    return min_lr_ratio + (1.0 - min_lr_ratio) * cosine


def _schedule_mistake(got, base_lrs, t, warmup_steps, total_steps, min_lr_ratio):
    """A sentence naming the mistake whose lr the param groups hold after t steps (computed here), or ''."""
    def gives(factor):
        return all(abs(g - lr * factor) <= 1e-9 + 1e-7 * lr for g, lr in zip(got, base_lrs))
    if t >= warmup_steps and min_lr_ratio and gives(_warmup_cosine(t, warmup_steps, total_steps)):
        return say(" The decay ends at 0, not at min_lr_ratio * base_lr: the min_lr_ratio r is left out of "
                   "r + (1 - r) * (1 + cos(pi * s)) / 2.",
                   " 감쇠가 min_lr_ratio * base_lr이 아니라 0에서 끝납니다. "
                   "r + (1 - r) * (1 + cos(pi * s)) / 2에서 min_lr_ratio r을 빠뜨렸습니다.")
    s = (t - warmup_steps) / (total_steps - warmup_steps)
    if s > 1 and gives(min_lr_ratio + (1 - min_lr_ratio) * (1 + math.cos(math.pi * s)) / 2):
        return say(" After total_steps the lr climbs again: s = (t - warmup_steps) / (total_steps - warmup_steps) "
                   "is not capped at 1, so the cosine comes back up.",
                   " total_steps 뒤에 lr이 다시 올라갑니다. s = (t - warmup_steps) / (total_steps - warmup_steps)를 "
                   "최대 1로 제한하지 않아서 코사인이 다시 올라옵니다.")
    return ""


def schedule_trace(impl, base_lrs, warmup_steps, total_steps, min_lr_ratio, n_steps):
    """The student's scheduler, called directly on a throw-away SGD, driven from here: its type (as its process names
    it), and, before each of n_steps batches, every group's lr and get_last_lr()."""
    optimizer = throwaway_sgd(impl, base_lrs)
    scheduler = impl.warmup_cosine_schedule(optimizer, warmup_steps, total_steps, min_lr_ratio)
    name = scheduler.type_name if isinstance(scheduler, Handle) else type(scheduler).__name__
    group_lrs, reported = [], []
    for _ in range(n_steps):
        group_lrs.append([float(group["lr"]) for group in optimizer.param_groups])
        reported.append([float(v) for v in scheduler.get_last_lr()])
        optimizer.step()
        scheduler.step()
    return name, group_lrs, reported, isinstance(scheduler, Handle) and is_lr_scheduler(impl, scheduler)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("warmup_cosine_schedule gives the documented lr at every step",
                   ko="warmup_cosine_schedule은 모든 단계에서 문서에 적힌 학습률을 냅니다")
def test_warmup_cosine_schedule_follows_the_formula(impl):
    for base_lrs, warmup, total, ratio, n_steps in (([0.1, 0.02], 4, 12, 0.0, 16), ([1.0], 1, 7, 0.1, 9),
                                                    ([0.5], 5, 6, 0.2, 8)):
        call = f"warmup_cosine_schedule(optimizer, {warmup}, {total}, {ratio})"
        try:
            name, group_lrs, reported, is_scheduler = schedule_trace(impl, base_lrs, warmup, total, ratio, n_steps)
        except (AttributeError, TypeError, StudentError) as error:
            if isinstance(error, NotImplementedError):
                raise
            raise AssertionError(say(
                f"{call} did not return a working torch.optim.lr_scheduler.LRScheduler ({str(error)[:160]}).\n"
                "Hint: build one of torch.optim.lr_scheduler's schedulers (LambdaLR, or LinearLR and CosineAnnealingLR "
                "joined by SequentialLR) and return it.",
                f"{call}: 동작하는 torch.optim.lr_scheduler.LRScheduler를 반환하지 않았습니다({str(error)[:160]}).\n"
                "힌트: torch.optim.lr_scheduler의 스케줄러(LambdaLR, 또는 SequentialLR로 이은 LinearLR과 "
                "CosineAnnealingLR)를 만들어 반환하세요.")) from None
        for t in range(n_steps):
            want = [lr * _warmup_cosine(t, warmup, total, ratio) for lr in base_lrs]
            got = group_lrs[t]
            if all(abs(g - w) <= 1e-9 + 1e-7 * abs(w) for g, w in zip(got, want)):
                continue
            ahead = t < warmup and all(abs(g - lr * min(1.0, (t + 1) / warmup)) <= 1e-9 + 1e-7 * lr
                                       for g, lr in zip(got, base_lrs))
            check(False,
                  say(f"{call}: after {t} scheduler steps the param groups' lr is {got}, expected {want} "
                      "(base_lr * f(t))." + (" The warm-up is one step ahead: f(t) = t / warmup_steps is 0 before "
                                             "the first step." if ahead else ""),
                      f"{call}: 스케줄러가 {t}단계 진행한 뒤 매개변수 그룹의 lr이 {want}(base_lr * f(t))여야 하는데 "
                      f"{got}입니다." + (" 워밍업이 한 단계 앞서 있습니다. 첫 단계 전에는 "
                                         "f(t) = t / warmup_steps = 0입니다." if ahead else ""))
                  + _schedule_mistake(got, base_lrs, t, warmup, total, ratio),
                  say("Count t from 0 before the first scheduler.step(); warm up with t / warmup_steps, then "
                      "s = (t - warmup_steps) / (total_steps - warmup_steps), capped at 1.",
                      "t는 첫 scheduler.step() 전에 0부터 셉니다. t / warmup_steps로 워밍업한 뒤 "
                      "s = (t - warmup_steps) / (total_steps - warmup_steps)를 쓰고, 최대 1로 제한하세요."))
        check(is_scheduler, say(f"{call} returned a {name}, not a torch.optim.lr_scheduler.LRScheduler.",
                                f"{call}: torch.optim.lr_scheduler.LRScheduler가 아닌 {name} 객체를 반환했습니다."),
              say("Build one of torch.optim.lr_scheduler's schedulers (LambdaLR, or LinearLR and CosineAnnealingLR "
                  "joined by SequentialLR) and return it.",
                  "torch.optim.lr_scheduler의 스케줄러(LambdaLR, 또는 SequentialLR로 이은 LinearLR과 "
                  "CosineAnnealingLR)를 만들어 반환하세요."))
        for t in range(n_steps):
            check(all(abs(r - g) <= 1e-12 + 1e-9 * abs(g) for r, g in zip(reported[t], group_lrs[t]))
                  and len(reported[t]) == len(group_lrs[t]),
                  say(f"{call}: after {t} steps get_last_lr() reports {reported[t]} but the param groups use "
                      f"{group_lrs[t]}.",
                      f"{call}: {t}단계 뒤 get_last_lr()의 값은 {reported[t]}이지만 매개변수 그룹이 쓰는 값은 "
                      f"{group_lrs[t]}입니다."),
                  say("Let the scheduler set the lr; do not write param_group['lr'] yourself.",
                      "lr은 스케줄러가 정하게 하세요. param_group['lr']에 직접 값을 넣지 마세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("train_with_schedule steps the schedule once per batch while training",
                   ko="train_with_schedule은 학습하면서 배치마다 한 번씩 스케줄을 진행합니다")
def test_train_with_schedule_steps_per_batch(impl):
    generator = torch.Generator().manual_seed(90)
    true_w = torch.tensor([[1.5, -2.0, 0.5]], dtype=torch.float64)
    batches = []
    for _ in range(4):
        x = torch.randn(8, 3, generator=generator, dtype=torch.float64)
        batches.append((x, x @ true_w.T + 0.3))
    epochs, lr, warmup = 3, 0.1, 5
    model = nn.Linear(3, 1, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(torch.randn(1, 3, generator=generator, dtype=torch.float64))
        model.bias.zero_()
    init = {name: value.detach().clone() for name, value in model.state_dict().items()}
    trained = linear_from(impl, init)
    used = impl.train_with_schedule(trained, batches, epochs, lr, warmup)
    final = trained.state_dict()
    total = epochs * len(batches)
    want, ahead, _ = _train_here(model, batches, epochs, lr, warmup)
    check(isinstance(used, (list, tuple)) and len(used) == total,
          say(f"train_with_schedule over {epochs} epochs of {len(batches)} batches should return {total} learning "
              f"rates, one per batch; got {used!r:.120}.",
              f"배치 {len(batches)}개로 된 에폭을 {epochs}번 도는 train_with_schedule은 배치마다 하나씩 학습률 "
              f"{total}개를 반환해야 하는데 반환값은 {used!r:.120}입니다."),
          say("Append optimizer.param_groups[0]['lr'] before each optimizer.step().",
              "각 optimizer.step() 전에 optimizer.param_groups[0]['lr']을 리스트에 추가하세요."))
    check(all(isinstance(v, float) for v in used),
          say(f"train_with_schedule should return Python floats, one per batch; got {type(used[0]).__name__} values "
              f"({used[0]!r:.60}).",
              f"train_with_schedule은 배치마다 Python float 하나씩을 반환해야 하는데 값의 타입이 {type(used[0]).__name__}"
              f"입니다(첫 값 {used[0]!r:.60})."),
          say("optimizer.param_groups[0]['lr'] and scheduler.get_last_lr()[0] are already floats: append them as they "
              "are, or float(...) a tensor.",
              "optimizer.param_groups[0]['lr']과 scheduler.get_last_lr()[0]은 이미 float입니다. 그대로 추가하거나, "
              "텐서라면 float(...)로 바꾸세요."))
    used = [float(v) for v in used]
    if not all(abs(u - w) <= 1e-12 + 1e-9 * abs(w) for u, w in zip(used, want)):
        per_epoch = all(len({round(v, 12) for v in used[e * len(batches):(e + 1) * len(batches)]}) == 1
                        for e in range(epochs))
        check(not per_epoch,
              say(f"train_with_schedule's learning rates only change between epochs: {[round(v, 5) for v in used]}; "
                  f"expected one value per batch: {[round(v, 5) for v in want]}. The schedule is stepped per epoch; "
                  "it counts batches.",
                  f"train_with_schedule의 학습률이 에폭 사이에서만 바뀝니다: {[round(v, 5) for v in used]}. "
                  f"기댓값은 배치마다 값이 하나씩인 {[round(v, 5) for v in want]}입니다. 스케줄을 에폭마다 진행하고 "
                  "있지만, 스케줄은 배치 단위로 세야 합니다."),
              say("Call scheduler.step() right after every optimizer.step(), inside the loop over batches.",
                  "배치를 도는 반복문 안에서 모든 optimizer.step() 바로 뒤에 scheduler.step()을 호출하세요."))
        check(not all(abs(u - w) <= 1e-12 + 1e-9 * abs(w) for u, w in zip(used, ahead)),
              say(f"train_with_schedule's learning rates, batch by batch: {[round(v, 5) for v in used]}; expected "
                  f"{[round(v, 5) for v in want]}. Each is read after scheduler.step(), so it is the next batch's lr, "
                  "not the one the batch was trained with.",
                  f"train_with_schedule의 배치별 학습률이 {[round(v, 5) for v in used]}입니다. 기댓값은 "
                  f"{[round(v, 5) for v in want]}입니다. 각 값을 scheduler.step() 뒤에 읽어서, 그 배치를 학습한 "
                  "학습률이 아니라 다음 배치의 학습률이 들어 있습니다."),
              say("Read optimizer.param_groups[0]['lr'] before optimizer.step(): the lr the step uses.",
                  "optimizer.step() 전에 optimizer.param_groups[0]['lr']을 읽으세요. 그 단계가 쓰는 학습률입니다."))
        check(False,
              say(f"train_with_schedule's learning rates, batch by batch: {[round(v, 5) for v in used]}; expected "
                  f"{[round(v, 5) for v in want]}.",
                  f"train_with_schedule의 배치별 학습률이 {[round(v, 5) for v in used]}입니다. 기댓값은 "
                  f"{[round(v, 5) for v in want]}입니다."),
              say("Make the schedule with total_steps = epochs * len(batches), read the lr before each "
                  "optimizer.step() and call scheduler.step() after it.",
                  "total_steps = epochs * len(batches)로 스케줄을 만들고, 각 optimizer.step() 전에 lr을 읽은 뒤 "
                  "그다음에 scheduler.step()을 호출하세요."))
    mistakes = {}
    for zero_grad, mistake, advice in (
            (None, say("optimizer.zero_grad() is never called, so each backward() adds its gradients to those of every "
                       "batch before.",
                       "optimizer.zero_grad()를 한 번도 호출하지 않아서 backward()를 할 때마다 이전 모든 배치의 "
                       "변화도에 새 변화도가 더해집니다."),
             say("Call optimizer.zero_grad() once per batch, before loss.backward().",
                 "배치마다 loss.backward() 전에 optimizer.zero_grad()를 한 번 호출하세요.")),
            ("between", say("optimizer.zero_grad() is called between backward() and step(), so every step finds no "
                            "gradient and the model never changes.",
                            "optimizer.zero_grad()를 backward()와 step() 사이에 호출해서, 모든 단계에서 변화도가 없어 "
                            "모델이 전혀 바뀌지 않습니다."),
             say("The order is zero_grad(), backward(), step(): clear the old gradients before computing new ones.",
                 "순서는 zero_grad(), backward(), step()입니다. 새 변화도를 계산하기 전에 이전 변화도를 지우세요."))):
        again = nn.Linear(3, 1, dtype=torch.float64)
        again.load_state_dict(init)
        mistakes[mistake, advice] = _train_here(again, batches, epochs, lr, warmup, zero_grad)[2]
    for name, value in model.state_dict().items():
        assert_tensor(final[name], value.detach(),
                      say(f"model.{name} after train_with_schedule", f"train_with_schedule 뒤의 model.{name}"),
                      hint=say("One SGD step per batch on F.mse_loss(model(x), y), with the scheduled lr.",
                               "배치마다 F.mse_loss(model(x), y)에 대해 스케줄러가 정한 학습률로 SGD 단계를 한 번 하세요."),
                      mistakes={key: state[name] for key, state in mistakes.items()})


def _train_here(model, batches, epochs, lr, warmup, zero_grad="first"):
    """train_with_schedule as the judge writes it, on `model` here (zero_grad None: never called; "between": between
    backward and step, two mistakes learners make): the lr of each batch, the lr after each scheduler step, and the
    model's state at the end."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    total = epochs * len(batches)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: _warmup_cosine(t, warmup, total))
    used, after = [], []
    for _ in range(epochs):
        for x, y in batches:
            used.append(optimizer.param_groups[0]["lr"])
            if zero_grad == "first":
                optimizer.zero_grad()
            F.mse_loss(model(x), y).backward()
            if zero_grad == "between":
                optimizer.zero_grad()
            optimizer.step()
            scheduler.step()
            after.append(optimizer.param_groups[0]["lr"])
    return used, after, {name: value.detach().clone() for name, value in model.state_dict().items()}
