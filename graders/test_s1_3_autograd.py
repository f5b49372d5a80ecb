"""1.3 Autograd: the promises each function of exercises/s1_3_autograd.py must keep."""
import pytest
import torch
import torch.nn.functional as F
from torch.autograd.gradcheck import GradcheckError as _GradcheckError

from graders.support.assertions import assert_tensor, check, expect_tensor, expect_type

_gradcheck = torch.autograd.gradcheck
_saved_tensors_hooks = torch.autograd.graph.saved_tensors_hooks


def _randn(*shape, seed, dtype=torch.float64):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def _backward_through(what, out, x, upstream, hint):
    """(out * upstream).sum().backward() into the leaf x; a graph cut is a failure, not a crash."""
    out = expect_tensor(out, what)
    check(out.requires_grad, f"{what} does not require grad: no gradient can flow back to its input.", hint)
    try:
        (out * upstream).sum().backward()
    except NotImplementedError:
        raise
    except RuntimeError as error:
        raise AssertionError(f"backward() through {what} raised RuntimeError: {str(error).splitlines()[0]}\n"
                             f"Hint: {hint}") from None
    return x.grad


# -- grad_of ------------------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.gradients
def test_grad_of_matches_analytic_derivative(impl):
    x = _randn(3, 4, seed=0)
    cases = (("(x ** 3).sum()", lambda t: (t ** 3).sum(), 3 * x ** 2),
             ("(x * sin(x)).sum()", lambda t: (t * t.sin()).sum(), x.sin() + x * x.cos()),
             ("(x[0] * x[1]).sum()", lambda t: (t[0] * t[1]).sum(),
              torch.cat([x[1:2], x[0:1], torch.zeros(1, 4, dtype=x.dtype)])))
    for text, fn, expected in cases:
        assert_tensor(impl.grad_of(fn, x), expected, f"grad_of(fn, x) for fn(x) = {text}, x float64 (3, 4)",
                      hint="Make a leaf with x.detach().requires_grad_(), call fn(leaf).backward(), "
                           "return leaf.grad.")


@pytest.mark.points(1)
@pytest.mark.gradients
def test_grad_of_leaves_the_input_untouched(impl):
    x = _randn(5, seed=1)
    expect_tensor(impl.grad_of(lambda t: (t ** 2).sum(), x), "grad_of(fn, x)")
    check(not x.requires_grad and x.grad is None,
          f"grad_of(fn, x) changed its input: afterwards x.requires_grad is {x.requires_grad} and x.grad is "
          f"{'None' if x.grad is None else 'set'} (both were off).",
          "Do not call x.requires_grad_() on the caller's tensor: make your own leaf, x.detach().requires_grad_().")
    w = _randn(5, seed=2).requires_grad_()
    w.grad = torch.ones(5, dtype=w.dtype)
    assert_tensor(impl.grad_of(lambda t: (t ** 2).sum(), w), 2 * w.detach(), "grad_of(fn, w) for a w that "
                  "already requires grad", hint="Work on w.detach().requires_grad_() so w.grad is not involved.")
    assert_tensor(w.grad, torch.ones(5, dtype=w.dtype), "w.grad after grad_of(fn, w)",
                  hint="grad_of must not add into the caller's .grad (requires_grad and .grad belong to the "
                       "caller): differentiate a detached copy, or use torch.autograd.grad.")


# -- leaves and non-leaves ----------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.gradients
def test_tanh_layer_grads_include_the_hidden_gradient(impl):
    x, w = _randn(6, 4, seed=3), _randn(4, 3, seed=4)
    result = expect_type(impl.tanh_layer_grads(x, w), tuple, "tanh_layer_grads(x, w)")
    check(len(result) == 2, f"tanh_layer_grads(x, w) should return (grad_w, grad_h), got {len(result)} items.")
    grad_w, grad_h = result
    expected_h = 1 - torch.tanh(x @ w) ** 2
    hint = ("h = x @ w is not a leaf, so autograd drops its gradient: call h.retain_grad() before backward() "
            "(or torch.autograd.grad(loss, [w, h])).")
    assert_tensor(grad_h, expected_h, "grad_h (d loss / d h = 1 - tanh(h)^2) for x (6, 4), w (4, 3)", hint=hint)
    assert_tensor(grad_w, x.T @ expected_h, "grad_w (d loss / d w = x^T (1 - tanh(h)^2))",
                  hint="Make w a leaf with w.detach().requires_grad_() and read its .grad after backward().")


# -- accumulation and zeroing -------------------------------------------------------------------

def _micro_batches(seed):
    generator = torch.Generator().manual_seed(seed)
    sizes = (5, 2, 3)  # unequal sizes: the last micro-batch alone is never the answer
    xs = [torch.randn(n, 4, generator=generator, dtype=torch.float64) for n in sizes]
    ys = [torch.randn(n, generator=generator, dtype=torch.float64) for n in sizes]
    w = torch.randn(4, generator=generator, dtype=torch.float64)
    expected = sum(2 / len(y) * x.T @ (x @ w - y) for x, y in zip(xs, ys)) / len(xs)
    return w, xs, ys, expected


_ACCUMULATE_HINT = ("Clear w.grad once before the loop, not inside it: every backward() adds into .grad, so "
                    "zeroing inside the loop keeps only the last micro-batch. Divide each loss by K "
                    "(the number of micro-batches) before backward().")


@pytest.mark.points(2)
@pytest.mark.gradients
def test_accumulated_grad_sums_every_micro_batch(impl):
    w, xs, ys, expected = _micro_batches(5)
    w.requires_grad_()
    result = impl.accumulated_grad(w, xs, ys)
    assert_tensor(result, expected, "accumulated_grad(w, xs, ys) for 3 micro-batches of sizes 5, 2, 3",
                  hint=_ACCUMULATE_HINT)
    assert_tensor(w.grad, expected, "w.grad after accumulated_grad(w, xs, ys)",
                  hint="Accumulate with backward() into w.grad and return w.grad.")


@pytest.mark.points(1)
@pytest.mark.gradients
def test_accumulated_grad_clears_stale_gradients(impl):
    w, xs, ys, expected = _micro_batches(6)
    w.requires_grad_()
    w.grad = torch.full_like(w, 100.0)  # left over from an earlier step
    hint = ("w.grad held a stale gradient from earlier work and backward() added onto it: set w.grad = None "
            "(or zero it) once before the loop.")
    assert_tensor(impl.accumulated_grad(w, xs, ys), expected, "accumulated_grad(w, xs, ys) when w.grad already "
                  "held 100.0 everywhere", hint=hint)
    assert_tensor(impl.accumulated_grad(w, xs, ys), expected, "a second accumulated_grad(w, xs, ys) call",
                  hint=hint)


def _gd_reference(w0, x, y, lr, steps):
    w = w0.clone()
    for _ in range(steps):
        w = w - lr * 2 / len(y) * x.T @ (x @ w - y)
    return w


def _fit(impl, *args):
    try:
        return impl.sgd_fit(*args)
    except NotImplementedError:
        raise
    except (RuntimeError, TypeError) as error:
        raise AssertionError(
            f"sgd_fit raised {type(error).__name__}: {str(error).splitlines()[0]}\n"
            "Hint: update in place inside `with torch.no_grad():` (w -= lr * w.grad); outside no_grad an in-place "
            "update of a leaf is refused, and w = w - lr * w.grad makes w a non-leaf whose .grad is None.") from None


@pytest.mark.points(2)
@pytest.mark.gradients
def test_sgd_fit_follows_exact_gradient_descent(impl):
    generator = torch.Generator().manual_seed(7)
    x = torch.randn(12, 3, generator=generator, dtype=torch.float64)
    y = torch.randn(12, generator=generator, dtype=torch.float64)
    w0 = torch.randn(3, generator=generator, dtype=torch.float64)
    kept = w0.clone()
    for steps in (1, 6):
        w = expect_tensor(_fit(impl, w0, x, y, 0.1, steps), f"sgd_fit(w0, x, y, lr=0.1, steps={steps})")
        assert_tensor(w.detach(), _gd_reference(w0, x, y, 0.1, steps),
                      f"w after {steps} gradient-descent step(s) on a 12x3 least-squares problem",
                      hint="Zero the gradient after every step (w.grad = None or w.grad.zero_()): .grad accumulates, "
                           "so without zeroing each step also applies all the earlier gradients.")
    assert_tensor(w0, kept, "w0 after sgd_fit", hint="Train a copy: w0.detach().clone().requires_grad_().")


@pytest.mark.points(1)
@pytest.mark.gradients
def test_sgd_fit_returns_a_trainable_leaf(impl):
    x, y, w0 = _randn(8, 2, seed=8), _randn(8, seed=9), torch.zeros(2, dtype=torch.float64)
    w = expect_tensor(_fit(impl, w0, x, y, 0.05, 3), "sgd_fit(w0, x, y, lr=0.05, steps=3)")
    check(w.is_leaf and w.requires_grad and w.grad_fn is None,
          f"sgd_fit should return a leaf that requires grad and has no history; got is_leaf={w.is_leaf}, "
          f"requires_grad={w.requires_grad}, grad_fn={type(w.grad_fn).__name__ if w.grad_fn else None}.",
          "Do the update inside torch.no_grad() and in place (w -= ...), so w stays the same leaf.")


# -- detach -------------------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.gradients
def test_straight_through_round_passes_gradient(impl):
    x = (_randn(4, 5, seed=10) * 3).requires_grad_()
    upstream = _randn(4, 5, seed=11)
    out = impl.straight_through_round(x)
    hint = ("Detach only the correction: x + (x.round() - x).detach(). Detaching the whole result (or x itself) "
            "cuts the path that carries the gradient back to x.")
    out = expect_tensor(out, "straight_through_round(x)")
    assert_tensor(out.detach(), x.detach().round(), "straight_through_round(x) values", hint=hint)
    grad = _backward_through("straight_through_round(x)", out, x, upstream, hint)
    assert_tensor(grad, upstream, "x.grad after (straight_through_round(x) * g).sum().backward() "
                  "(the identity passes g through)", hint=hint)


# -- the custom Function ------------------------------------------------------------------------

@pytest.mark.points(1)
@pytest.mark.numerics
def test_softplus_forward_matches_torch(impl):
    x = _randn(5, 6, seed=12) * 4
    for beta in (1.0, 2.0, 0.5):
        out = impl.softplus(x, beta)
        assert_tensor(out, F.softplus(x, beta=beta), f"softplus(x, beta={beta}) for float64 x in about [-15, 15]",
                      hint="softplus_beta(x) = (relu(beta*x) + log1p(exp(-|beta*x|))) / beta; do not forget the "
                           "division by beta.")


@pytest.mark.points(1)
@pytest.mark.numerics
def test_softplus_is_stable_for_large_inputs(impl):
    x = torch.tensor([-1000.0, -60.0, 0.0, 60.0, 1000.0], requires_grad=True)
    hint = ("exp(beta * x) overflows to inf in float32 past about 88: use the stable form relu(z) + log1p(exp(-|z|)) "
            "in forward, and sigmoid (not exp(z) / (1 + exp(z))) in backward.")
    out = expect_tensor(impl.softplus(x, 1.0), "softplus(x) for x = [-1000, -60, 0, 60, 1000]")
    assert_tensor(out.detach(), F.softplus(x.detach()), "softplus(x) for x = [-1000, -60, 0, 60, 1000] (float32)",
                  hint=hint)
    grad = _backward_through("softplus(x)", out, x, torch.ones(5), hint)
    assert_tensor(grad, torch.sigmoid(x.detach()), "d softplus / dx for x = [-1000, -60, 0, 60, 1000]", hint=hint)


@pytest.mark.points(2)
@pytest.mark.gradients
def test_softplus_backward_multiplies_upstream_gradient(impl):
    x = (_randn(3, 7, seed=13) * 3).requires_grad_()
    upstream = _randn(3, 7, seed=14)
    hint = ("backward gets grad_output = d loss / d out and must return grad_output * sigmoid(beta * x): "
            "forgetting to multiply by grad_output is right only when the loss is out.sum().")
    grad = _backward_through("softplus(x, beta=1.5)", impl.softplus(x, 1.5), x, upstream, hint)
    assert_tensor(grad, upstream * torch.sigmoid(1.5 * x.detach()), "x.grad after (softplus(x, 1.5) * g).sum()"
                  ".backward() with a random g", hint=hint)


@pytest.mark.points(2)
@pytest.mark.gradients
def test_softplus_passes_gradcheck(impl):
    for beta in (1.0, 2.5):
        x = (_randn(4, 3, seed=15) * 3).requires_grad_()
        try:
            ok = _gradcheck(lambda t: impl.softplus(t, beta), (x,), eps=1e-6, atol=1e-5, rtol=1e-4)
        except NotImplementedError:
            raise
        except _GradcheckError as error:
            detail = "\n".join(str(error).strip().splitlines()[:8])
            raise AssertionError(
                f"torch.autograd.gradcheck(softplus, x) in float64 with beta={beta}: your backward disagrees with "
                f"finite differences.\n{detail}\nHint: d softplus_beta(x)/dx = sigmoid(beta * x) of forward's input x, "
                "not its output y (from y it is 1 - exp(-beta * y)); and the beta inside the sigmoid matters.") from None
        except RuntimeError as error:
            raise AssertionError(
                f"gradcheck(softplus, x) with beta={beta} raised RuntimeError: {str(error).splitlines()[0]}\n"
                "Hint: backward returns one value per input of forward: (grad_x, None), None for the float beta.") \
                from None
        check(ok is True, f"gradcheck(softplus, x) with beta={beta} returned {ok!r}.")


@pytest.mark.points(1)
@pytest.mark.gradients
def test_softplus_saves_tensors_with_save_for_backward(impl):
    x = _randn(6, seed=16).requires_grad_()
    packed = []
    with _saved_tensors_hooks(lambda t: (packed.append(t), t)[1], lambda t: t):
        out = expect_tensor(impl.softplus(x, 1.0), "softplus(x)")
    hint = ("Pass the tensors backward needs to ctx.save_for_backward(...) and read them from ctx.saved_tensors; "
            "a tensor kept as ctx.x = x escapes autograd's checks for in-place changes and is never freed.")
    check(out.grad_fn is not None, "softplus(x) of an x that requires grad has no grad_fn.",
          "Call Softplus.apply(x, beta), not Softplus.forward(...).")
    check(len(packed) >= 1, "softplus(x) saved no tensor with ctx.save_for_backward.", hint)
    stashed = sorted(k for k, v in vars(out.grad_fn).items() if isinstance(v, torch.Tensor)) \
        if hasattr(out.grad_fn, "__dict__") else []
    check(not stashed, f"softplus(x) keeps tensors as ctx attributes ({', '.join('ctx.' + k for k in stashed)}).", hint)


@pytest.mark.points(1)
@pytest.mark.device
def test_functions_follow_the_input_dtype_and_device(impl):
    for dtype in (torch.float16, torch.float64):
        x = torch.empty(3, 4, dtype=dtype, device="meta")
        for name, fn in (("softplus(x)", lambda t: impl.softplus(t, 2.0)),
                         ("straight_through_round(x)", impl.straight_through_round)):
            out = expect_tensor(fn(x), name)
            check(out.device.type == "meta" and out.dtype == dtype and tuple(out.shape) == (3, 4),
                  f"{name} for a (3, 4) {dtype} tensor on the meta device: expected a (3, 4) {dtype} tensor on meta, "
                  f"got {tuple(out.shape)} {out.dtype} on {out.device}.",
                  "Use tensor operations on x only; a new tensor (torch.tensor, torch.zeros) must get "
                  "dtype=x.dtype and device=x.device.")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
def test_autograd_runs_on_cuda(impl):
    x = torch.randn(4, 5, device="cuda", dtype=torch.float64, requires_grad=True)
    upstream = torch.randn(4, 5, device="cuda", dtype=torch.float64)
    grad = _backward_through("softplus(x) on CUDA", impl.softplus(x, 1.0), x, upstream, "Keep every tensor on x.device.")
    assert_tensor(grad, upstream * torch.sigmoid(x.detach()), "x.grad for softplus on CUDA")
    w = torch.randn(4, device="cuda", dtype=torch.float64, requires_grad=True)
    xs, ys = [torch.randn(3, 4, device="cuda", dtype=torch.float64)], [torch.randn(3, device="cuda", dtype=torch.float64)]
    assert_tensor(impl.accumulated_grad(w, xs, ys), 2 / 3 * xs[0].T @ (xs[0] @ w.detach() - ys[0]),
                  "accumulated_grad on CUDA")
