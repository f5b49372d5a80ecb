"""2.3 Losses and optimizers: hand-written versions against nn.MSELoss, nn.CrossEntropyLoss,
F.log_softmax, torch.optim.SGD and torch.optim.Adam (values and gradients)."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from graders.support.assertions import assert_tensor, check, expect_tensor
from ptgrade.remote import observation

STABLE_HINT = ("Subtract the maximum along dim (keepdim=True) before exp: x - m - log(sum(exp(x - m))). "
               "exp of a logit above ~89 is inf in float32.")
SMOOTHING_HINT = ("With label smoothing the target is (1 - eps) * one_hot + eps / C on every class, the true one "
                  "included: loss = (1 - eps) * nll + eps * mean over classes of -log p.")
IGNORE_HINT = ("Rows whose target is ignore_index count for nothing: sum the losses of the other rows and divide by "
               "how many there are (not by N).")


@observation
def loss_and_gradient(impl, function, inputs, kwargs):
    """impl.<function>(*inputs, **kwargs) with inputs[0] a leaf that requires grad, in the student's process: the
    loss (detached), whether it required grad, and the gradient of the loss with respect to inputs[0] (None when the
    loss carries no graph)."""
    leaf = inputs[0].detach().clone().requires_grad_(True)
    loss = getattr(impl, function)(leaf, *inputs[1:], **kwargs)
    if not isinstance(loss, torch.Tensor) or not loss.requires_grad:
        return loss, False, None
    (grad,) = torch.autograd.grad(loss, leaf)
    return loss.detach(), True, grad


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
                      f"mse_loss(pred, target, reduction={reduction!r}) for (4, 3) inputs",
                      hint="'mean' divides the sum of squares by the number of elements, 'none' keeps every element.")
    assert_tensor(impl.mse_loss(pred, target), F.mse_loss(pred, target), "mse_loss(pred, target) with the default",
                  hint="The default reduction is 'mean'.")


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
    check(requires_grad, "mse_loss(pred, target) does not require grad.", "Use tensor operations only, no .item().")
    (want,) = torch.autograd.grad(F.mse_loss(pred, target), pred)
    assert_tensor(got, want, "d mse_loss / d prediction")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("log_softmax matches F.log_softmax along any dim",
                   ko="log_softmax는 어느 dim에서든 F.log_softmax와 같은 값을 냅니다")
def test_log_softmax_matches_torch(impl):
    generator = torch.Generator().manual_seed(2)
    x = torch.randn(3, 4, 5, generator=generator, dtype=torch.float64) * 4
    for dim in (-1, 1, 0):
        assert_tensor(impl.log_softmax(x, dim=dim), F.log_softmax(x, dim=dim), f"log_softmax(x, dim={dim}) for x of shape (3, 4, 5)",
                      hint="Reduce along `dim` with keepdim=True so the result broadcasts back.")
    assert_tensor(impl.log_softmax(x), F.log_softmax(x, dim=-1), "log_softmax(x) with the default dim",
                  hint="The default is dim=-1, the last axis.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("log_softmax stays accurate for very large logits",
                   ko="log_softmax는 아주 큰 로짓에서도 안정적으로 계산됩니다")
def test_log_softmax_is_stable_on_large_logits(impl):
    x = torch.tensor([[1000.0, 2000.0, 3000.0], [-3000.0, -2000.0, -2999.0], [0.0, 100.0, 89.0]])
    assert_tensor(impl.log_softmax(x, dim=-1), F.log_softmax(x, dim=-1), "log_softmax(x) for float32 logits in the thousands",
                  hint=STABLE_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("cross_entropy matches F.cross_entropy",
                   ko="cross_entropy는 F.cross_entropy와 같은 값을 냅니다")
def test_cross_entropy_matches_torch(impl):
    for seed, (n, c) in enumerate(((6, 5), (1, 3), (9, 2))):
        logits, target = _logits(seed, n, c, scale=3.0)
        assert_tensor(impl.cross_entropy(logits, target), F.cross_entropy(logits, target),
                      f"cross_entropy(logits, target) for ({n}, {c}) logits",
                      hint="Mean over rows of -log_softmax(logits)[n, target[n]]; gather picks each row's class.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("cross_entropy skips rows whose target is ignore_index",
                   ko="cross_entropy는 정답이 ignore_index인 행을 건너뜁니다")
def test_cross_entropy_skips_ignore_index(impl):
    logits, target = _logits(10, 8, 4)
    padded = target.clone()
    padded[[1, 4, 5]] = -100
    assert_tensor(impl.cross_entropy(logits, padded), F.cross_entropy(logits, padded),
                  "cross_entropy(logits, target) with 3 of 8 targets = -100 (the default ignore_index)", hint=IGNORE_HINT)
    padded[[1, 4, 5]] = 3
    padded[0] = 2
    padded[padded == 3] = 2
    assert_tensor(impl.cross_entropy(logits, padded, ignore_index=2), F.cross_entropy(logits, padded, ignore_index=2),
                  "cross_entropy(logits, target, ignore_index=2), where 2 is also a valid class index", hint=IGNORE_HINT)


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
                      f"cross_entropy(logits, target, label_smoothing={eps}) with one ignored row", hint=SMOOTHING_HINT)


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
    check(requires_grad, "cross_entropy(logits, target) does not require grad.", "Use tensor operations only.")
    (want,) = torch.autograd.grad(F.cross_entropy(logits, target, label_smoothing=0.2), logits)
    assert_tensor(got, want, "d cross_entropy / d logits (label_smoothing=0.2, one ignored row)",
                  hint="An ignored row gets a zero gradient; the others get (softmax - smoothed target) / kept rows.")


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
    assert_tensor(loss, want, "cross_entropy for float32 logits in the thousands", hint=STABLE_HINT)
    check(requires_grad, "cross_entropy(logits, target) does not require grad.", "Use tensor operations only.")
    (want_grad,) = torch.autograd.grad(want, logits)
    assert_tensor(got, want_grad, "d cross_entropy / d logits for logits in the thousands", atol=1e-5, hint=STABLE_HINT)


def _params(seed):
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(shape, generator=generator, dtype=torch.float64) for shape in ((3, 4), (4,), (2, 2, 2))]


def _loss(params, step):
    return sum(((p.sin() * (k + 1) + p ** 2 * (0.3 + step)).sum()) for k, p in enumerate(params))


def _sgd_step(impl, params, state, _):
    impl.sgd_momentum_step(params, state[0], lr=0.05, momentum=0.9, weight_decay=0.01)


def _adam_step(impl, params, state, t):
    impl.adam_step(params, state[0], state[1], t, lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.05)


STEPS = {"sgd": _sgd_step, "adam": _adam_step}


@observation
def student_trajectory(impl, kind, start, n_steps):
    """The student's optimizer step (STEPS[kind]) run n_steps times in its process on copies of `start` (state
    starting at zeros, gradients of _loss at each step): the parameters after every step."""
    theirs = [p.clone().requires_grad_(True) for p in start]
    state = [[torch.zeros_like(p) for p in start] for _ in range(2)]
    trajectory = []
    for step in range(1, n_steps + 1):
        for p in theirs:
            p.grad = None
        _loss(theirs, step).backward()
        STEPS[kind](impl, theirs, state, step)
        trajectory.append([p.detach().clone() for p in theirs])
    return trajectory


def _compare_with_torch(impl, kind, make_optimizer, n_steps, what, hint):
    """Run torch's optimizer here and the student's step in its process on copies of the same parameters, same
    gradients."""
    start = _params(50)
    ours = [p.clone().requires_grad_(True) for p in start]
    optimizer = make_optimizer(ours)
    trajectory = student_trajectory(impl, kind, start, n_steps)
    check(isinstance(trajectory, list) and len(trajectory) == n_steps, f"{what}: expected {n_steps} steps.")
    for step, theirs in enumerate(trajectory, start=1):
        optimizer.zero_grad()
        _loss(ours, step).backward()
        optimizer.step()
        before = start if step == 1 else trajectory[step - 2]
        for k, (p, old, want) in enumerate(zip(theirs, before, ours)):
            check(not torch.equal(p.detach(), old), f"{what}: parameter {k} did not change at step {step}.",
                  "Update each parameter in place (p.sub_(...) under torch.no_grad()); `p = p - ...` only rebinds a "
                  "local name.")
            assert_tensor(p.detach(), want.detach(), f"{what}: parameter {k} of shape {tuple(p.shape)} after step {step}",
                          hint=hint)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("sgd_momentum_step updates parameters exactly as torch.optim.SGD",
                   ko="sgd_momentum_step은 torch.optim.SGD와 똑같이 매개변수를 갱신합니다")
def test_sgd_momentum_steps_match_torch(impl):
    _compare_with_torch(impl, "sgd", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01), 3,
                        "sgd_momentum_step(lr=0.05, momentum=0.9, weight_decay=0.01) against torch.optim.SGD",
                        "v = momentum * v + g (no (1 - momentum) factor: torch's dampening is 0), then p -= lr * v, "
                        "with g = p.grad + weight_decay * p; keep v between steps by updating it in place.")


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("adam_step updates parameters exactly as torch.optim.Adam",
                   ko="adam_step은 torch.optim.Adam과 똑같이 매개변수를 갱신합니다")
def test_adam_steps_match_torch(impl):
    _compare_with_torch(impl, "adam", lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.05), 3,
                        "adam_step(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.05) against torch.optim.Adam",
                        "Check the bias correction m / (1 - beta1 ** step) and v / (1 - beta2 ** step), eps added after "
                        "the square root, and Adam's weight_decay added to the gradient (not AdamW's decoupled decay).")


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("The losses keep their inputs' device and dtype",
                   ko="손실 함수는 입력의 장치와 dtype을 그대로 따릅니다")
def test_losses_follow_input_device_and_dtype(impl):
    x = torch.empty(4, 3, device="meta", dtype=torch.float16)
    for what, out in (("mse_loss(x, x)", impl.mse_loss(x, x)), ("log_softmax(x)", impl.log_softmax(x))):
        out = expect_tensor(out, what)
        check(out.device.type == "meta" and out.dtype == torch.float16,
              f"{what} for a float16 x on the meta device gave a {out.dtype} tensor on {out.device}.",
              "Use tensor operations on the inputs; do not build new tensors with torch.tensor(...) or .item().")
    logits, target = _logits(60, 4, 3)
    out = expect_tensor(impl.cross_entropy(logits, target), "cross_entropy(float64 logits)")
    check(out.dtype == torch.float64 and out.dim() == 0,
          f"cross_entropy for float64 logits should give a 0-d float64 tensor, got {tuple(out.shape)} {out.dtype}.",
          "Reduce to a scalar tensor with tensor operations; do not go through Python floats.")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("cross_entropy works on CUDA tensors",
                   ko="cross_entropy는 CUDA Tensor에서도 동작합니다")
def test_losses_run_on_cuda(impl):
    logits, target = _logits(70, 6, 4, scale=1000.0, dtype=torch.float32)
    logits, target = logits.cuda(), target.cuda()
    target[0] = -100
    assert_tensor(impl.cross_entropy(logits, target, label_smoothing=0.1),
                  F.cross_entropy(logits, target, label_smoothing=0.1), "cross_entropy on CUDA", hint=STABLE_HINT)
