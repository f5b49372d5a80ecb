"""1.3 Autograd: the promises each function of exercises/s1_3_autograd.py must keep.

Gradients, `requires_grad`, `.grad`, `is_leaf` and `grad_fn` belong to the process that made them: every
backward() through the student's code runs beside it, in an observation, and comes back as data; the
expected values are computed here with torch's own operators.
"""
import pytest
import torch
import torch.nn.functional as F
from torch.autograd.gradcheck import GradcheckError as _GradcheckError

from graders.observations.s1_3_autograd import (
    _cube_sum,
    _cumsum,
    _outer_square,
    _row_product_sum,
    _sin_moments,
    _softmax_rows,
    _x_sin_x_sum,
    accumulated_grad_calls,
    backward_through,
    classifier,
    grad_of_and_its_inputs,
    jacobian_and_its_input,
    per_sample_grads_and_the_model,
    sgd_fit_result,
    softplus_saved_tensors,
    softplus_vjp,
    tanh_layer_grads_of_a_plain_w,
    tanh_layer_grads_of_a_trainable_w,
    vector_jacobian_product_and_its_input,
)
from graders.support import errors
from graders.support.assertions import (
    assert_tensor,
    check,
    expect_tensor,
    expect_type,
    say,
)
from graders.support.tensors import randn
from ptgrade.judge.remote import with_inputs

_gradcheck = torch.autograd.gradcheck


class _SoftplusBesideTheStudent(torch.autograd.Function):
    """softplus whose forward and backward are the student's, each run in the student's process: what gradcheck
    (run here) probes with finite differences."""

    @staticmethod
    def forward(ctx, x, impl, beta):
        ctx.save_for_backward(x)
        ctx.impl, ctx.beta = impl, beta
        return impl.softplus(x.detach(), beta)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return softplus_vjp(ctx.impl, x.detach(), ctx.beta, grad_output.detach()), None, None


GRADIENT_COUNT_HINT = say("backward must return one gradient per input of forward (ctx aside), in the same order: "
                          "forward(ctx, x, beta) takes two, so return (grad_x, None), None for the float beta.",
                          "backward는 forward의 입력(ctx 제외)마다 변화도를 하나씩, 같은 순서로 반환해야 합니다: "
                          "forward(ctx, x, beta)는 입력이 둘이므로 (grad_x, None)을 반환하세요. float인 beta에는 None입니다.")
SAVED_TENSORS_HINT = say("ctx.saved_tensors is a tuple, even for one tensor: unpack it, `x, = ctx.saved_tensors` "
                         "(or `(x,) = ...`); `x = ctx.saved_tensors` makes x the tuple itself.",
                         "ctx.saved_tensors는 텐서가 하나여도 튜플입니다: `x, = ctx.saved_tensors`(또는 `(x,) = ...`)처럼 "
                         "풀어서 받으세요. `x = ctx.saved_tensors`라고 쓰면 x는 튜플 자체가 됩니다.")


def _backward_mistake(kind, text):
    """The cause and its hint when an error raised by backward() is one a grader recognises, else None."""
    if "incorrect number of gradients" in text:
        return (say(f"Softplus.backward returned the wrong number of gradients ({text})",
                    f"Softplus.backward가 반환한 변화도의 개수가 맞지 않습니다({text})"), GRADIENT_COUNT_HINT)
    if kind == "TypeError" and ("tuple" in text or "sequence" in text):
        return (say(f"backward used a tuple where it needed a tensor ({text}): ctx.saved_tensors was not unpacked",
                    f"backward가 텐서가 필요한 곳에 튜플을 썼습니다({text}): ctx.saved_tensors를 풀어서 받지 않았습니다"),
                SAVED_TENSORS_HINT)
    return None


def _backward_failure(what, kind, text, hint):
    """The failure for an error raised by backward() through `what`: the recognised mistake, else the error."""
    named = _backward_mistake(kind, text)
    if named is not None:
        cause, hint = named
        return AssertionError(say(f"backward() through {what}: {cause}.\nHint: {hint}",
                                  f"{what}에 대한 backward(): {cause}.\n힌트: {hint}"))
    return AssertionError(say(f"backward() through {what} raised {kind}: {text}\nHint: {hint}",
                              f"{what}에 대한 backward()에서 예외가 발생했습니다: {kind}: {text}\n힌트: {hint}"))


def _backward_through(what, seen, hint):
    """What backward_through saw; a graph cut is a failure, not a crash. Returns x.grad."""
    expect_tensor(seen["out"], what)
    check(seen["requires_grad"], say(f"{what} does not require grad: no gradient can flow back to its input.",
                                     f"{what}의 requires_grad가 False입니다: 변화도가 입력까지 거꾸로 "
                                     f"전달될 수 없습니다."), hint)
    if seen["backward_error"] is not None:
        raise _backward_failure(what, *seen["backward_error"], hint)
    return seen["grad"]


def _one_gradient(value, what):
    """`value` as grad_of returns it: torch.autograd.grad's tuple (one gradient per input) is named as such."""
    if isinstance(value, (tuple, list)) and len(value) == 1 and isinstance(value[0], torch.Tensor):
        raise AssertionError(say(f"{what} returned a {type(value).__name__} holding one tensor, not the tensor: "
                                 "torch.autograd.grad returns a tuple (one gradient per input): take [0].",
                                 f"{what}의 반환값이 텐서가 아니라 텐서 하나를 담은 {type(value).__name__} 객체입니다. "
                                 "torch.autograd.grad는 입력마다 변화도를 하나씩 담은 튜플을 반환하므로 [0]을 꺼내세요."))
    return value


# -- grad_of ------------------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("grad_of returns the analytic gradient of fn at x",
                   ko="grad_of는 x에서 fn의 변화도를 반환하며, 그 값은 해석적으로 구한 값과 같습니다")
def test_grad_of_matches_analytic_derivative(impl):
    x = randn(3, 4, seed=0, dtype=torch.float64)
    cases = (("(x ** 3).sum()", _cube_sum, 3 * x ** 2),
             ("(x * sin(x)).sum()", _x_sin_x_sum, x.sin() + x * x.cos()),
             ("(x[0] * x[1]).sum()", _row_product_sum,
              torch.cat([x[1:2], x[0:1], torch.zeros(1, 4, dtype=x.dtype)])))
    for text, fn, expected in cases:
        assert_tensor(_one_gradient(impl.grad_of(fn, x), "grad_of(fn, x)"), expected,
                      say(f"grad_of(fn, x) for fn(x) = {text}, x float64 (3, 4)",
                                                         f"grad_of(fn, x)(fn(x) = {text}, x는 shape가 (3, 4)인 float64 텐서)"),
                      hint=say("Make a leaf with x.detach().requires_grad_(), call fn(leaf).backward(), "
                               "return leaf.grad.",
                               "x.detach().requires_grad_()로 leaf를 만들고, fn(leaf).backward()를 호출한 뒤 "
                               "leaf.grad를 반환하세요."))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("grad_of leaves the caller's tensor and its .grad untouched",
                   ko="grad_of는 호출한 쪽의 텐서와 그 .grad를 건드리지 않습니다")
def test_grad_of_leaves_the_input_untouched(impl):
    x = randn(5, seed=1, dtype=torch.float64)
    w = randn(5, seed=2, dtype=torch.float64).requires_grad_()
    stale = torch.ones(5, dtype=w.dtype)  # w.grad before the call
    seen = grad_of_and_its_inputs(impl, x, w, stale)
    assert_tensor(_one_gradient(seen["out_x"], "grad_of(fn, x)"), 2 * x, say("grad_of(fn, x) for fn(x) = (x ** 2).sum()",
                                            "fn(x) = (x ** 2).sum()에 대한 grad_of(fn, x)"),
                  hint=say("Make a leaf with x.detach().requires_grad_(), call fn(leaf).backward(), return leaf.grad.",
                           "x.detach().requires_grad_()로 leaf를 만들고, fn(leaf).backward()를 호출한 뒤 "
                           "leaf.grad를 반환하세요."))
    check(not seen["x_requires_grad"] and seen["x_grad_is_none"],
          say(f"grad_of(fn, x) changed its input: afterwards x.requires_grad is {seen['x_requires_grad']} and x.grad is "
              f"{'None' if seen['x_grad_is_none'] else 'set'} (both were off).",
              f"grad_of(fn, x)가 입력을 바꿨습니다: 호출 뒤 x.requires_grad는 {seen['x_requires_grad']}, x.grad는 "
              f"{'None' if seen['x_grad_is_none'] else '값이 채워진 상태'}입니다(호출 전에는 requires_grad가 False, "
              f"grad가 None이었습니다)."),
          say("Do not call x.requires_grad_() on the caller's tensor: make your own leaf, x.detach().requires_grad_().",
              "호출한 쪽의 텐서에 x.requires_grad_()를 호출하지 마세요: x.detach().requires_grad_()로 "
              "자신만의 leaf를 만드세요."))
    assert_tensor(_one_gradient(seen["out_w"], "grad_of(fn, w)"), 2 * w.detach(),
                  say("grad_of(fn, w) for a w that already requires grad",
                      "이미 requires_grad=True인 w에 대한 grad_of(fn, w)"),
                  hint=say("Work on w.detach().requires_grad_() so w.grad is not involved.",
                           "w.grad가 끼어들지 않도록 w.detach().requires_grad_()로 작업하세요."))
    assert_tensor(seen["w_grad"], stale, say("w.grad after grad_of(fn, w)", "grad_of(fn, w) 호출 뒤의 w.grad"),
                  hint=say("grad_of must not add into the caller's .grad (requires_grad and .grad belong to the "
                           "caller): differentiate a detached copy, or use torch.autograd.grad.",
                           "grad_of는 호출한 쪽의 .grad에 더하면 안 됩니다(requires_grad와 .grad는 호출한 쪽의 "
                           "것입니다): detach한 복사본을 미분하거나 torch.autograd.grad를 쓰세요."))


# -- vector-Jacobian products -------------------------------------------------------------------

_VJP_HINT = say("Make a leaf with x.detach().requires_grad_(), compute y = fn(leaf), then y.backward(v) and return "
                "leaf.grad, or torch.autograd.grad(y, leaf, grad_outputs=v)[0]. v has y's shape; the result has x's.",
                "x.detach().requires_grad_()로 leaf를 만들고 y = fn(leaf)를 계산한 뒤 y.backward(v)를 호출해 leaf.grad를 "
                "반환하거나, torch.autograd.grad(y, leaf, grad_outputs=v)[0]을 반환하세요. v는 y와, 결과는 x와 "
                "shape가 같습니다.")


def _vjp_mistakes(ones_vjp, v, jv=None):
    """What the usual mistakes give: v left out (the gradient of fn(x).sum()), v multiplied into that gradient
    afterwards, and J v (the Jacobian-vector product) where the shapes allow it."""
    left_out = say("the gradient of fn(x).sum(): v was left out, which is v^T J only for v of ones.",
                   "fn(x).sum()의 변화도입니다. v를 쓰지 않았는데, 이는 v가 모두 1일 때만 v^T J와 같습니다.")
    mistakes = {(left_out, _VJP_HINT): ones_vjp}
    if ones_vjp.shape == v.shape:
        mistakes[(say("the gradient of fn(x).sum() multiplied by v afterwards: v must go into backward, "
                      "y.backward(v), so the chain rule carries it through J.",
                      "fn(x).sum()의 변화도에 나중에 v를 곱했습니다. v는 backward에 넘겨야(y.backward(v)) 연쇄 법칙이 "
                      "v를 J에 곱해 줍니다."), _VJP_HINT)] = ones_vjp * v
    if jv is not None:
        mistakes[(say("J v, the Jacobian-vector product (forward mode), not v^T J: J is not symmetric here.",
                      "v^T J가 아니라 J v, 즉 야코비안-벡터 곱(순방향 모드)입니다. 여기서 J는 대칭이 아닙니다."),
                  _VJP_HINT)] = jv
    return mistakes


def _reverse_cumsum(t):
    return t.flip(0).cumsum(0).flip(0)  # v^T J for J = d cumsum(x) / d x (lower-triangular ones)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("vector_jacobian_product returns v^T J for outputs that are not scalars",
                   ko="vector_jacobian_product는 스칼라가 아닌 출력에 대해 v^T J를 반환합니다")
def test_vector_jacobian_product_matches_v_transpose_j(impl):
    x, v = randn(5, seed=40, dtype=torch.float64), randn(5, seed=41, dtype=torch.float64)
    rows, w = randn(3, 4, seed=42, dtype=torch.float64), randn(3, 4, seed=43, dtype=torch.float64)
    z, u = randn(4, seed=44, dtype=torch.float64), randn(4, 4, seed=45, dtype=torch.float64)
    s = rows.softmax(-1)
    cases = (("x.cumsum(0)", "x (5,), v (5,)", _cumsum, x, v, _reverse_cumsum(v),
              _vjp_mistakes(_reverse_cumsum(torch.ones_like(v)), v, jv=v.cumsum(0))),
             ("x.softmax(-1)", "x (3, 4), v (3, 4)", _softmax_rows, rows, w, s * (w - (s * w).sum(-1, keepdim=True)),
              _vjp_mistakes(torch.zeros_like(rows), w)),
             ("x[:, None] * x[None, :]", "x (4,), v (4, 4)", _outer_square, z, u, (u + u.T) @ z,
              _vjp_mistakes(2 * z.sum() * torch.ones_like(z), u)))
    for text, shapes, fn, at, vector, expected, mistakes in cases:
        what = say(f"vector_jacobian_product(fn, x, v) for fn(x) = {text}, {shapes}, float64",
                   f"fn(x) = {text}일 때 vector_jacobian_product(fn, x, v)(float64, {shapes})")
        got = errors.calling("vector_jacobian_product(fn, x, v)", say(
            "y.backward() with no argument works only for a scalar y: pass v, y.backward(v), or use "
            "torch.autograd.grad(y, leaf, grad_outputs=v).",
            "인자 없는 y.backward()는 y가 스칼라일 때만 동작합니다. v를 넘기거나(y.backward(v)) "
            "torch.autograd.grad(y, leaf, grad_outputs=v)를 쓰세요."), impl.vector_jacobian_product, fn, at, vector)
        assert_tensor(_one_gradient(got, "vector_jacobian_product(fn, x, v)"), expected, what, hint=_VJP_HINT,
                      mistakes=mistakes)


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("vector_jacobian_product leaves the caller's tensor and its .grad untouched",
                   ko="vector_jacobian_product는 호출한 쪽의 텐서와 그 .grad를 건드리지 않습니다")
def test_vector_jacobian_product_leaves_the_input_untouched(impl):
    x, v = randn(5, seed=46, dtype=torch.float64), randn(5, seed=47, dtype=torch.float64)
    w, u = randn(5, seed=48, dtype=torch.float64), randn(5, seed=49, dtype=torch.float64)
    stale = torch.ones(5, dtype=w.dtype)  # w.grad before the call
    seen = vector_jacobian_product_and_its_input(impl, x, v, w, u, stale)
    own_leaf = say("Work on your own leaf, x.detach().requires_grad_(), or ask torch.autograd.grad(y, leaf, "
                   "grad_outputs=v): requires_grad and .grad belong to the caller.",
                   "x.detach().requires_grad_()로 만든 자신만의 leaf에서 작업하거나 torch.autograd.grad(y, leaf, "
                   "grad_outputs=v)로 요청하세요. requires_grad와 .grad는 호출한 쪽의 것입니다.")
    assert_tensor(_one_gradient(seen["out_x"], "vector_jacobian_product(fn, x, v)"), _reverse_cumsum(v),
                  say("vector_jacobian_product(fn, x, v) for fn(x) = x.cumsum(0)",
                      "fn(x) = x.cumsum(0)일 때 vector_jacobian_product(fn, x, v)"), hint=_VJP_HINT)
    check(not seen["x_requires_grad"] and seen["x_grad_is_none"],
          say(f"vector_jacobian_product(fn, x, v) changed its input: afterwards x.requires_grad is "
              f"{seen['x_requires_grad']} and x.grad is {'None' if seen['x_grad_is_none'] else 'set'} (before the "
              "call requires_grad was False and grad None).",
              f"vector_jacobian_product(fn, x, v)가 입력을 바꿨습니다. 호출 뒤 x.requires_grad는 "
              f"{seen['x_requires_grad']}, x.grad는 {'None' if seen['x_grad_is_none'] else '값이 채워진 상태'}"
              "입니다(호출 전에는 requires_grad가 False, grad가 None이었습니다)."), own_leaf)
    assert_tensor(_one_gradient(seen["out_w"], "vector_jacobian_product(fn, w, u)"), _reverse_cumsum(u),
                  say("vector_jacobian_product(fn, w, u) for a w that already requires grad",
                      "이미 requires_grad=True인 w에 대한 vector_jacobian_product(fn, w, u)"), hint=own_leaf)
    assert_tensor(seen["w_grad"], stale, say("w.grad after vector_jacobian_product(fn, w, u) (it held ones before)",
                                             "vector_jacobian_product(fn, w, u) 호출 뒤의 w.grad(호출 전에는 모두 "
                                             "1이었습니다)"), hint=own_leaf)


# -- the whole Jacobian with torch.func ----------------------------------------------------------

_JACOBIAN_HINT = say("torch.func.jacrev(fn)(x) returns J with shape fn(x).shape + x.shape, output indices first: "
                     "J[i..., j...] = d fn(x)[i...] / d x[j...]. (torch.func.jacfwd(fn)(x) gives the same J.)",
                     "torch.func.jacrev(fn)(x)는 shape가 fn(x).shape + x.shape인 J를 반환합니다. 출력의 인덱스가 "
                     "먼저입니다: J[i..., j...] = d fn(x)[i...] / d x[j...]. (torch.func.jacfwd(fn)(x)도 같은 J를 "
                     "줍니다.)")


def _judge_jacobian(fn, x):
    """J of fn at x, by torch.autograd.functional.jacobian, here in the judge."""
    return torch.autograd.functional.jacobian(fn, x)


def _jacobian_mistakes(x, expected):
    """What the usual mistakes give for J of fn at x: the input's indices first (the transpose), the gradient of
    fn(x).sum() (the sum of J's rows), and J flattened to a (outputs, inputs) matrix."""
    out_dims = expected.dim() - x.dim()
    return {(say("J with the input's indices first: that is the transpose, d fn(x)[i] / d x[j] stored at [j, i]. "
                 "The output's indices come first.",
                 "입력의 인덱스가 먼저 오는 J, 즉 전치된 값입니다. d fn(x)[i] / d x[j]가 [j, i]에 들어 있습니다. "
                 "출력의 인덱스가 먼저 와야 합니다."), _JACOBIAN_HINT):
                expected.permute(*range(out_dims, expected.dim()), *range(out_dims)),
            (say("the gradient of fn(x).sum(), the sum of J's rows: torch.func.grad (or backward) needs a scalar "
                 "and gives one VJP (v of ones), not J.",
                 "fn(x).sum()의 변화도, 즉 J의 행을 모두 더한 값입니다. torch.func.grad(또는 backward)는 스칼라 출력에만 "
                 "쓰며 VJP 하나(v가 모두 1)를 줄 뿐 J를 주지 않습니다."), _JACOBIAN_HINT):
                expected.sum(tuple(range(out_dims))),
            (say("J flattened to a (number of outputs, number of inputs) matrix: keep fn(x)'s and x's shapes, "
                 "fn(x).shape + x.shape.",
                 "J를 (출력 요소 수, 입력 요소 수) 행렬로 펼쳤습니다. fn(x)와 x의 shape를 유지해 fn(x).shape + x.shape로 "
                 "두세요."), _JACOBIAN_HINT): expected.reshape(-1, x.numel())}


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("jacobian returns the whole Jacobian, as torch.autograd.functional.jacobian does",
                   ko="jacobian은 torch.autograd.functional.jacobian과 같은 야코비안 전체를 반환합니다")
def test_jacobian_matches_autograd_functional_jacobian(impl):
    cases = (("x.cumsum(0)", _cumsum, randn(5, seed=60, dtype=torch.float64)),
             ("x.softmax(-1)", _softmax_rows, randn(3, 4, seed=61, dtype=torch.float64)),
             ("x[:, None] * x[None, :]", _outer_square, randn(4, seed=62, dtype=torch.float64)),
             ("stack([sin(x).sum(), (x * x).sum(), x[0].prod(), (x[1] * cos(x[0])).sum()])", _sin_moments,
              randn(2, 3, seed=63, dtype=torch.float64)))
    for text, fn, x in cases:
        expected = _judge_jacobian(fn, x)
        what = say(f"jacobian(fn, x) for fn(x) = {text}, x float64 {tuple(x.shape)} (J of shape "
                   f"{tuple(expected.shape)})",
                   f"fn(x) = {text}일 때 jacobian(fn, x)(x는 shape가 {tuple(x.shape)}인 float64 텐서, J의 shape는 "
                   f"{tuple(expected.shape)})")
        got = errors.calling("jacobian(fn, x)", _JACOBIAN_HINT, impl.jacobian, fn, x)
        assert_tensor(got, expected, what, hint=_JACOBIAN_HINT, mistakes=_jacobian_mistakes(x, expected))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("jacobian's rows are VJPs: J^T v equals the vector-Jacobian product for any v",
                   ko="jacobian의 행은 VJP입니다: 어떤 v에 대해서도 J^T v는 벡터-야코비안 곱과 같습니다")
def test_jacobian_rows_are_vector_jacobian_products(impl):
    x = randn(2, 3, seed=64, dtype=torch.float64)
    leaf = x.clone().requires_grad_()
    y = _sin_moments(leaf)
    rows = torch.stack([torch.autograd.grad(y, leaf, grad_outputs=torch.eye(4, dtype=x.dtype)[i], retain_graph=True)[0]
                        for i in range(4)])  # a loop of VJPs with one-hot v, here in the judge
    got = errors.calling("jacobian(fn, x)", _JACOBIAN_HINT, impl.jacobian, _sin_moments, x)
    text = "stack([sin(x).sum(), (x * x).sum(), x[0].prod(), (x[1] * cos(x[0])).sum()])"
    assert_tensor(got, rows, say(f"jacobian(fn, x) for fn(x) = {text}, x float64 (2, 3) -> (4,), against a loop of 4 "
                                 "VJPs with one-hot v (row i = e_i^T J)",
                                 f"fn(x) = {text}(float64 (2, 3) -> (4,))일 때 jacobian(fn, x)를, 원-핫 v로 계산한 VJP "
                                 "4개(i번째 행 = e_i^T J)와 비교"),
                  hint=_JACOBIAN_HINT, mistakes=_jacobian_mistakes(x, rows))
    for seed in (65, 66):
        v = randn(4, seed=seed, dtype=torch.float64)
        (vjp,) = torch.autograd.grad(y, leaf, grad_outputs=v, retain_graph=True)
        assert_tensor(torch.tensordot(v, got, dims=1), vjp,
                      say("tensordot(v, jacobian(fn, x), dims=1), J^T v for a random v, against the VJP "
                          "torch.autograd.grad(fn(x), x, grad_outputs=v)",
                          "무작위 v에 대한 J^T v, 즉 tensordot(v, jacobian(fn, x), dims=1)을 VJP인 "
                          "torch.autograd.grad(fn(x), x, grad_outputs=v)와 비교"), hint=_JACOBIAN_HINT)


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("jacobian leaves the caller's tensor and its .grad untouched",
                   ko="jacobian은 호출한 쪽의 텐서와 그 .grad를 건드리지 않습니다")
def test_jacobian_leaves_the_input_untouched(impl):
    x, w = randn(4, seed=67, dtype=torch.float64), randn(4, seed=68, dtype=torch.float64)
    stale = torch.ones(4, dtype=w.dtype)  # w.grad before the call
    seen = jacobian_and_its_input(impl, x, w, stale)
    expected = torch.tril(torch.ones(4, 4, dtype=x.dtype))  # d cumsum(x)[i] / d x[j]
    own_leaf = say("Use torch.func.jacrev(fn)(x), which never touches requires_grad or .grad, or work on your own leaf, "
                   "x.detach().requires_grad_(), and ask torch.autograd.grad for each row: requires_grad and .grad "
                   "belong to the caller.",
                   "requires_grad와 .grad를 건드리지 않는 torch.func.jacrev(fn)(x)를 쓰거나, "
                   "x.detach().requires_grad_()로 만든 자신만의 leaf에서 행마다 torch.autograd.grad로 요청하세요. "
                   "requires_grad와 .grad는 호출한 쪽의 것입니다.")
    assert_tensor(seen["out_x"], expected, say("jacobian(fn, x) for fn(x) = x.cumsum(0), x float64 (4,)",
                                               "fn(x) = x.cumsum(0)일 때 jacobian(fn, x)(x는 shape가 (4,)인 float64 텐서)"),
                  hint=_JACOBIAN_HINT, mistakes=_jacobian_mistakes(x, expected))
    check(not seen["x_requires_grad"] and seen["x_grad_is_none"],
          say(f"jacobian(fn, x) changed its input: afterwards x.requires_grad is {seen['x_requires_grad']} and x.grad "
              f"is {'None' if seen['x_grad_is_none'] else 'set'} (before the call requires_grad was False and grad "
              "None).",
              f"jacobian(fn, x)가 입력을 바꿨습니다. 호출 뒤 x.requires_grad는 {seen['x_requires_grad']}, x.grad는 "
              f"{'None' if seen['x_grad_is_none'] else '값이 채워진 상태'}입니다(호출 전에는 requires_grad가 False, "
              "grad가 None이었습니다)."), own_leaf)
    assert_tensor(seen["out_w"], expected, say("jacobian(fn, w) for a w that already requires grad",
                                               "이미 requires_grad=True인 w에 대한 jacobian(fn, w)"), hint=own_leaf)
    assert_tensor(seen["w_grad"], stale, say("w.grad after jacobian(fn, w) (it held ones before): jacobian(fn, w) "
                                             "changed its input",
                                             "jacobian(fn, w) 호출 뒤의 w.grad(호출 전에는 모두 1이었습니다). "
                                             "jacobian(fn, w)가 입력을 바꿨습니다"), hint=own_leaf)


# -- leaves and non-leaves ----------------------------------------------------------------------

def _tanh_mistakes(x, grad_h):
    """{mistake: (the grad_w it gives, the grad_h it gives)}: the pair returned in the wrong order, and the mean of
    tanh(h) differentiated instead of its sum."""
    grad_w = x.T @ grad_h
    return {(say("the pair is in the wrong order: (grad_h, grad_w) was returned, the docstring asks for (d loss / d w, "
                 "d loss / d h).",
                 "순서가 바뀌었습니다. (grad_h, grad_w)를 반환했지만 docstring은 (d loss / d w, d loss / d h)를 "
                 "요구합니다."),
             say("Return w's gradient first, then h's.", "w의 변화도를 먼저, 그다음 h의 변화도를 반환하세요.")):
            (grad_h, grad_w),
            (say("the loss is tanh(h).mean(), not tanh(h).sum(): every gradient is divided by the number of elements "
                 "of h.",
                 "손실이 tanh(h).sum()이 아니라 tanh(h).mean()입니다. 그래서 모든 변화도가 h의 요소 개수로 나눠졌습니다."),
             say("loss = tanh(h).sum(), as the docstring says.", "docstring에 적힌 대로 loss = tanh(h).sum()입니다.")):
            (grad_w / grad_h.numel(), grad_h / grad_h.numel())}


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("tanh_layer_grads returns the gradients of w and of the hidden h",
                   ko="tanh_layer_grads는 w와 은닉 텐서 h의 변화도를 함께 반환합니다")
def test_tanh_layer_grads_include_the_hidden_gradient(impl):
    x, w = randn(6, 4, seed=3, dtype=torch.float64), randn(4, 3, seed=4, dtype=torch.float64)
    result = expect_type(impl.tanh_layer_grads(x, w), tuple, "tanh_layer_grads(x, w)")
    check(len(result) == 2, say(f"tanh_layer_grads(x, w) should return (grad_w, grad_h), got {len(result)} items.",
                                f"tanh_layer_grads(x, w)는 (grad_w, grad_h)를 반환해야 하는데 항목이 "
                                f"{len(result)}개입니다."))
    grad_w, grad_h = result
    expected_h = 1 - torch.tanh(x @ w) ** 2
    hint = say("h = x @ w is not a leaf, so autograd drops its gradient: call h.retain_grad() before backward() "
               "(or torch.autograd.grad(loss, [w, h])).",
               "h = x @ w는 leaf가 아니어서 Autograd가 그 변화도를 버립니다: backward() 전에 h.retain_grad()를 "
               "호출하세요(또는 torch.autograd.grad(loss, [w, h])).")
    mistakes = _tanh_mistakes(x, expected_h)
    assert_tensor(grad_h, expected_h, say("grad_h (d loss / d h = 1 - tanh(h)^2) for x (6, 4), w (4, 3)",
                                          "shape가 (6, 4)인 x와 (4, 3)인 w에 대한 grad_h(d loss / d h = 1 - tanh(h)^2)"), hint=hint,
                  mistakes={key: values[1] for key, values in mistakes.items()})
    assert_tensor(grad_w, x.T @ expected_h, "grad_w (d loss / d w = x^T (1 - tanh(h)^2))",
                  hint=say("Make w a leaf with w.detach().requires_grad_() and read its .grad after backward().",
                           "w.detach().requires_grad_()로 w를 leaf로 만들고, backward() 뒤에 그 .grad를 읽으세요."),
                  mistakes={key: values[0] for key, values in mistakes.items()})
    # The docstring's other case: w already requires grad, and its .grad holds someone's earlier work.
    seen = tanh_layer_grads_of_a_trainable_w(impl, x, w, torch.full_like(w, 100.0))
    own_leaf = say("Make your own leaf from w with w.detach().requires_grad_(): w.clone() of a w that requires grad "
                   "is not a leaf (its .grad stays None), and using w itself adds into the .grad it arrived with.",
                   "w.detach().requires_grad_()로 w에서 자신만의 leaf를 만드세요: requires_grad=True인 w의 w.clone()은 "
                   "leaf가 아니고(.grad가 None으로 남습니다), w 자체를 쓰면 w가 가지고 온 .grad에 더해집니다.")
    result = expect_type(seen["result"], tuple, say("tanh_layer_grads(x, w) for a w that requires grad",
                                                    "requires_grad=True인 w에 대한 tanh_layer_grads(x, w)"))
    check(len(result) == 2, say(f"tanh_layer_grads(x, w) should return (grad_w, grad_h), got {len(result)} items.",
                                f"tanh_layer_grads(x, w)는 (grad_w, grad_h)를 반환해야 하는데 항목이 "
                                f"{len(result)}개입니다."))
    assert_tensor(result[0], x.T @ expected_h,
                  say("grad_w for a w that already requires grad and whose .grad holds a stale 100",
                      "이미 requires_grad=True이고 .grad에 오래된 값 100이 들어 있는 w에 대한 grad_w"), hint=own_leaf)
    assert_tensor(seen["w_grad"], torch.full_like(w, 100.0),
                  say("the caller's w.grad after tanh_layer_grads(x, w) (it should be left as it was)",
                      "tanh_layer_grads(x, w) 호출 뒤 호출한 쪽의 w.grad(그대로 남아 있어야 합니다)"), hint=own_leaf)


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("tanh_layer_grads leaves the caller's w as it was",
                   ko="tanh_layer_grads는 호출한 쪽의 w를 그대로 둡니다")
def test_tanh_layer_grads_leave_the_callers_w_untouched(impl):
    x, w = randn(5, 3, seed=17, dtype=torch.float64), randn(3, 2, seed=18, dtype=torch.float64)
    seen = tanh_layer_grads_of_a_plain_w(impl, x, w)
    result = expect_type(seen["result"], tuple, say("tanh_layer_grads(x, w) for a w that does not require grad",
                                                    "requires_grad=False인 w에 대한 tanh_layer_grads(x, w)"))
    check(len(result) == 2, say(f"tanh_layer_grads(x, w) should return (grad_w, grad_h), got {len(result)} items.",
                                f"tanh_layer_grads(x, w)는 (grad_w, grad_h)를 반환해야 하는데 항목이 "
                                f"{len(result)}개입니다."))
    grad_h = 1 - torch.tanh(x @ w) ** 2
    assert_tensor(result[0], x.T @ grad_h, say("grad_w for x (5, 3), w (3, 2)",
                                               "shape가 (5, 3)인 x와 (3, 2)인 w에 대한 grad_w"))
    switched = seen["w_requires_grad"] is not False
    check(not switched and seen["w_grad_is_none"],
          say(("tanh_layer_grads(x, w) switched on requires_grad of the caller's w" if switched else
               "tanh_layer_grads(x, w) wrote into the caller's w.grad")
              + f": afterwards w.requires_grad is {seen['w_requires_grad']} and w.grad is "
              f"{'None' if seen['w_grad_is_none'] else 'set'} (before the call requires_grad was False and grad None).",
              ("tanh_layer_grads(x, w)가 호출한 쪽 w의 requires_grad를 켰습니다" if switched else
               "tanh_layer_grads(x, w)가 호출한 쪽 w의 .grad에 값을 썼습니다")
              + f". 호출 뒤 w.requires_grad는 {seen['w_requires_grad']}, w.grad는 "
              f"{'None' if seen['w_grad_is_none'] else '값이 채워진 상태'}입니다(호출 전에는 requires_grad가 False, "
              "grad가 None이었습니다)."),
          say("Make your own leaf with w.detach().requires_grad_() and differentiate that: w.requires_grad_() on the "
              "caller's w changes a tensor that is not yours, and every later operation on it is recorded.",
              "w.detach().requires_grad_()로 자신만의 leaf를 만들어 그것을 미분하세요. 호출한 쪽의 w에 "
              "w.requires_grad_()를 호출하면 내 것이 아닌 텐서를 바꾸게 되고, 그 뒤 w에 대한 모든 연산이 "
              "기록됩니다."))


# -- accumulation and zeroing -------------------------------------------------------------------

def _micro_batches(seed):
    generator = torch.Generator().manual_seed(seed)
    sizes = (5, 2, 3)  # unequal sizes: the last micro-batch alone is never the answer
    xs = [torch.randn(n, 4, generator=generator, dtype=torch.float64) for n in sizes]
    ys = [torch.randn(n, generator=generator, dtype=torch.float64) for n in sizes]
    w = torch.randn(4, generator=generator, dtype=torch.float64)
    expected = sum(2 / len(y) * x.T @ (x @ w - y) for x, y in zip(xs, ys)) / len(xs)
    return w, xs, ys, expected


def _accumulation_mistakes(w, xs, ys, expected):
    """What the usual accumulation mistakes give on these micro-batches (for assert_tensor's diagnosis)."""
    per_batch = [2 / len(y) * x.T @ (x @ w.detach() - y) for x, y in zip(xs, ys)]  # each micro-batch's mean loss's
    last = per_batch[-1]
    return {(say("only the last micro-batch's gradient is left: .grad is cleared inside the loop.",
                  "마지막 마이크로 배치의 변화도만 남았습니다. 루프 안에서 .grad를 비웠습니다."), _ACCUMULATE_HINT):
            [last / len(xs), last],
            (say("the micro-batches' gradients are summed, not averaged: each loss was not divided by K, the number of "
                 "micro-batches.",
                 "마이크로 배치의 변화도를 평균하지 않고 합했습니다. 각 손실을 마이크로 배치 수 K로 나누지 않았습니다."),
             _ACCUMULATE_HINT): expected * len(xs),
            (say("each loss is divided by its micro-batch's size, not by K, the number of micro-batches.",
                 "각 손실을 마이크로 배치 수 K가 아니라 그 마이크로 배치의 크기로 나눴습니다."),
             say("The loss of micro-batch k is already a mean over its samples; divide it by K = len(xs) before "
                 "backward().",
                 "마이크로 배치 k의 손실은 이미 샘플에 대한 평균입니다. backward() 전에 K = len(xs)로 나누세요.")):
            sum(gradient / len(y) for gradient, y in zip(per_batch, ys)),
            (say("the gradient of the mean over all samples (every squared error summed and divided by the total "
                 "number of samples), which weighs the micro-batches by their size; the docstring asks for the mean "
                 "of the K micro-batch losses.",
                 "모든 샘플에 대한 평균(제곱 오차를 모두 더해 전체 샘플 수로 나눈 값)의 변화도입니다. 이는 마이크로 "
                 "배치에 크기만큼 가중치를 줍니다. docstring은 마이크로 배치 손실 K개의 평균을 요구합니다."),
             say("Take each micro-batch's own mean, ((x @ w - y) ** 2).mean(), then divide it by K.",
                 "마이크로 배치마다 자신의 평균 ((x @ w - y) ** 2).mean()을 구한 뒤 K로 나누세요.")):
            sum(gradient * len(y) for gradient, y in zip(per_batch, ys)) / sum(len(y) for y in ys),
            (say("each micro-batch's squared errors are summed, not averaged: its loss is .sum(), not .mean().",
                 "마이크로 배치마다 제곱 오차를 평균하지 않고 합했습니다. 손실에 .mean()이 아니라 .sum()을 썼습니다."),
             say("The loss of micro-batch k is ((x @ w - y) ** 2).mean(), divided by K.",
                 "마이크로 배치 k의 손실은 ((x @ w - y) ** 2).mean()을 K로 나눈 값입니다.")):
            sum(gradient * len(y) for gradient, y in zip(per_batch, ys)) / len(xs)}


_ACCUMULATE_HINT = say("Clear w.grad once before the loop, not inside it: every backward() adds into .grad, so "
                       "zeroing inside the loop keeps only the last micro-batch. Divide each loss by K "
                       "(the number of micro-batches) before backward().",
                       "w.grad는 루프 안이 아니라 루프 전에 한 번 비우세요: backward()는 매번 .grad에 "
                       "더하므로, 루프 안에서 0으로 만들면 마지막 마이크로 배치만 남습니다. backward() 전에 각 손실을 "
                       "마이크로 배치 수 K로 나누세요.")


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("accumulated_grad averages the gradients of every micro-batch",
                   ko="accumulated_grad는 모든 마이크로 배치의 변화도를 누적해 평균을 냅니다")
def test_accumulated_grad_sums_every_micro_batch(impl):
    w, xs, ys, expected = _micro_batches(5)
    seen = accumulated_grad_calls(impl, w.requires_grad_(), xs, ys)
    assert_tensor(seen["results"][0], expected, say("accumulated_grad(w, xs, ys) for 3 micro-batches of sizes 5, 2, 3",
                                                    "크기 5, 2, 3인 마이크로 배치 3개에 대한 accumulated_grad(w, xs, ys)"),
                  hint=_ACCUMULATE_HINT, mistakes=_accumulation_mistakes(w, xs, ys, expected))
    assert_tensor(seen["w_grad"], expected, say("w.grad after accumulated_grad(w, xs, ys)",
                                                "accumulated_grad(w, xs, ys) 호출 뒤의 w.grad"),
                  hint=say("Accumulate with backward() into w.grad and return w.grad.",
                           "backward()로 w.grad에 누적하고 w.grad를 반환하세요."))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("accumulated_grad clears stale gradients before it accumulates",
                   ko="accumulated_grad는 누적하기 전에 이전에 남아 있던 변화도를 비웁니다")
def test_accumulated_grad_clears_stale_gradients(impl):
    w, xs, ys, expected = _micro_batches(6)
    # w.grad holds 100.0 left over from an earlier step; then a second call on the same w
    seen = accumulated_grad_calls(impl, w.requires_grad_(), xs, ys, torch.full_like(w, 100.0), 2)
    hint = say("w.grad held a stale gradient from earlier work and backward() added onto it: set w.grad = None "
               "(or zero it) once before the loop.",
               "w.grad에 이전 작업에서 남은 오래된 변화도가 있었고 backward()가 그 위에 더했습니다: "
               "루프 전에 한 번 w.grad = None으로 두세요(또는 0으로 만드세요).")
    stale = {say("the stale 100.0 in w.grad is still in the result: backward() added onto it.",
                 "w.grad에 남아 있던 100.0이 결과에 그대로 있습니다. backward()가 그 위에 더했습니다."): expected + 100.0}
    assert_tensor(seen["results"][0], expected, say("accumulated_grad(w, xs, ys) when w.grad already "
                                                    "held 100.0 everywhere",
                                                    "w.grad가 이미 모두 100.0이었을 때의 accumulated_grad(w, xs, ys)"),
                  hint=hint, mistakes=stale)
    assert_tensor(seen["results"][1], expected, say("a second accumulated_grad(w, xs, ys) call",
                                                    "두 번째 accumulated_grad(w, xs, ys) 호출"),
                  hint=hint)


def _gd_reference(w0, x, y, lr, steps, keep_gradients=False):
    """Gradient descent on mean squared error; `keep_gradients`: the mistake of never clearing .grad, so each step
    also applies every earlier step's gradient."""
    w, kept = w0.clone(), torch.zeros_like(w0)
    for _ in range(steps):
        gradient = 2 / len(y) * x.T @ (x @ w - y) + kept
        kept = gradient if keep_gradients else kept
        w = w - lr * gradient
    return w


def _gd_mistakes(w0, x, y, lr, steps):
    """What sgd_fit gives for the usual mistakes of a descent step (judge-side, from the same start)."""
    return {(say("w is still w0: no step changed it (the gradient was cleared before the update, or the loop never "
                 "ran).",
                 "w가 여전히 w0와 같습니다. 어떤 단계도 w를 바꾸지 않았습니다(갱신 전에 변화도를 비웠거나 반복문이 한 번도 "
                 "돌지 않았습니다)."),
             say("Each step: loss, backward(), the update with w.grad under torch.no_grad(), and only then clear "
                 "w.grad.",
                 "각 단계의 순서는 손실, backward(), torch.no_grad() 안에서 w.grad로 갱신이며, 그다음에야 w.grad를 "
                 "비웁니다.")): w0,
            (say("w moves up the gradient (w += lr * w.grad): that is gradient ascent, the loss grows.",
                 "w가 변화도 방향으로 움직입니다(w += lr * w.grad). 이는 경사 상승이라 손실이 커집니다."),
             say("Subtract: w -= lr * w.grad, a step against the gradient.",
                 "빼세요: w -= lr * w.grad. 변화도의 반대 방향으로 한 단계 움직입니다.")):
            _gd_reference(w0, x, y, -lr, steps),
            (say(f"the loop runs one step too few or too many (asked for {steps}).",
                 f"반복문이 요청한 단계 수보다 한 번 적게 또는 많이 돕니다(요청한 단계 수: {steps})."),
             say("for _ in range(steps) runs exactly `steps` steps.", "for _ in range(steps)는 정확히 `steps`번 돕니다.")):
            [_gd_reference(w0, x, y, lr, n) for n in (steps - 1, steps + 1) if n > 0],
            (say("the loss sums the squared errors instead of averaging them, so every step is len(y) times too long.",
                 "손실에서 제곱 오차를 평균하지 않고 합해서 모든 단계가 len(y)배 너무 깁니다."),
             say("The loss is ((x @ w - y) ** 2).mean(), as the docstring says.",
                 "docstring에 적힌 대로 손실은 ((x @ w - y) ** 2).mean()입니다.")):
            _gd_reference(w0, x, y, lr * len(y), steps)}


def _fit(fit, *args, hint=None):
    return errors.calling("sgd_fit", hint or say(
        "update in place inside `with torch.no_grad():` (w -= lr * w.grad); outside no_grad an in-place "
        "update of a leaf is refused, and w = w - lr * w.grad makes w a non-leaf whose .grad is None.",
        "`with torch.no_grad():` 안에서 제자리(in-place)로 갱신하세요(w -= lr * w.grad). no_grad 밖에서는 "
        "leaf의 제자리 갱신이 거부되고, w = w - lr * w.grad는 w를 .grad가 None인 non-leaf로 만듭니다."), fit, *args)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("sgd_fit takes exact gradient-descent steps and leaves w0 as it was",
                   ko="sgd_fit은 경사 하강 단계를 정확히 수행하고 w0는 그대로 둡니다")
def test_sgd_fit_follows_exact_gradient_descent(impl):
    generator = torch.Generator().manual_seed(7)
    x = torch.randn(12, 3, generator=generator, dtype=torch.float64)
    y = torch.randn(12, generator=generator, dtype=torch.float64)
    w0 = torch.randn(3, generator=generator, dtype=torch.float64)
    for steps in (6, 1):  # the longer run first: it tells a loop one step short from a w that never moves
        w, (w0_after, *_), _ = _fit(lambda *args: with_inputs(impl.sgd_fit, *args), w0, x, y, 0.1, steps)
        w = expect_tensor(w, f"sgd_fit(w0, x, y, lr=0.1, steps={steps})")
        kept = {say("w.grad is never cleared, so each step also applies every earlier step's gradient.",
                    "w.grad를 비우지 않아서 각 단계가 이전 단계의 변화도까지 모두 적용합니다."):
                _gd_reference(w0, x, y, 0.1, steps, keep_gradients=True)} if steps > 1 else {}
        assert_tensor(w.detach(), _gd_reference(w0, x, y, 0.1, steps),
                      say(f"w after {steps} gradient-descent step(s) on a 12x3 least-squares problem",
                          f"12x3 최소제곱 문제에서 경사 하강 {steps}단계 뒤의 w"),
                      mistakes={**kept, **_gd_mistakes(w0, x, y, 0.1, steps)},
                      hint=say("Zero the gradient after every step (w.grad = None or w.grad.zero_()): .grad accumulates, "
                               "so without zeroing each step also applies all the earlier gradients.",
                               "매 단계 뒤에 변화도를 0으로 만드세요(w.grad = None 또는 "
                               "w.grad.zero_()). .grad는 누적되므로, 비우지 않으면 각 단계가 이전 변화도까지 모두 "
                               "적용합니다."))
        assert_tensor(w0_after, w0, say("w0 after sgd_fit (as the call left the caller's tensor)",
                                        "sgd_fit 호출 뒤 호출한 쪽에 남은 w0"),
                      hint=say("Train a copy: w0.detach().clone().requires_grad_().",
                               "복사본을 학습하세요: w0.detach().clone().requires_grad_()."))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("sgd_fit returns a leaf with requires_grad=True and no history",
                   ko="sgd_fit은 연산 기록이 없고 requires_grad=True인 leaf 텐서를 반환합니다")
def test_sgd_fit_returns_a_trainable_leaf(impl):
    x, y = randn(8, 2, seed=8, dtype=torch.float64), randn(8, seed=9, dtype=torch.float64)
    w0 = torch.zeros(2, dtype=torch.float64)
    for requires_grad in (False, True):
        when = say(" for a w0 that requires grad", " (w0가 requires_grad=True일 때)") if requires_grad else ""
        copy_hint = say("This w0 requires grad: start from w0.detach().clone().requires_grad_(). w0.clone() keeps w0's "
                        "history, so the copy is not a leaf and its .grad stays None.",
                        "이 w0는 requires_grad=True입니다: w0.detach().clone().requires_grad_()에서 시작하세요. w0.clone()은 "
                        "w0의 연산 기록을 이어받아 leaf가 아니므로 그 .grad는 None으로 남습니다.")
        seen = _fit(lambda *args, asked=requires_grad: sgd_fit_result(impl, *args, w0_requires_grad=asked),
                    w0, x, y, 0.05, 3, hint=copy_hint if requires_grad else None)
        w = expect_tensor(seen["w"], "sgd_fit(w0, x, y, lr=0.05, steps=3)" + when)
        check(seen["is_leaf"] and seen["requires_grad"] and seen["grad_fn"] is None,
              say(f"sgd_fit{when} should return a leaf that requires grad and has no history; got "
                  f"is_leaf={seen['is_leaf']}, requires_grad={seen['requires_grad']}, grad_fn={seen['grad_fn']}.",
                  f"sgd_fit{when}: requires_grad=True이고 연산 기록이 없는 leaf를 반환해야 하는데 "
                  f"is_leaf={seen['is_leaf']}, requires_grad={seen['requires_grad']}, grad_fn={seen['grad_fn']}입니다."),
              say("Start from w0.detach().clone().requires_grad_() (w0.clone() of a w0 that requires grad is not a "
                  "leaf), and do the update inside torch.no_grad() and in place (w -= ...), so w stays the same leaf.",
                  "w0.detach().clone().requires_grad_()에서 시작하고(requires_grad=True인 w0의 w0.clone()은 leaf가 "
                  "아닙니다), 갱신은 torch.no_grad() 안에서 제자리에서 하세요(w -= ...). 그래야 w가 같은 "
                  "leaf로 남습니다."))
        assert_tensor(w, _gd_reference(w0, x, y, 0.05, 3),
                      say(f"w after 3 gradient-descent steps on an 8x2 least-squares problem{when}",
                          f"8x2 최소제곱 문제에서 경사 하강 3단계 뒤의 w{when}"),
                      hint=say("Zero the gradient after every step (w.grad = None or w.grad.zero_()).",
                               "매 단계 뒤에 변화도를 0으로 만드세요(w.grad = None 또는 "
                               "w.grad.zero_())."))


# -- detach -------------------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("straight_through_round rounds but lets the gradient pass unchanged",
                   ko="straight_through_round는 값을 반올림하되 변화도는 그대로 통과시킵니다")
def test_straight_through_round_passes_gradient(impl):
    x = (randn(4, 5, seed=10, dtype=torch.float64) * 3).requires_grad_()
    upstream = randn(4, 5, seed=11, dtype=torch.float64)
    seen = backward_through(impl, "straight_through_round", x, upstream)
    hint = say("Detach only the correction: x + (x.round() - x).detach(). Detaching the whole result (or x itself) "
               "cuts the path that carries the gradient back to x.",
               "보정값만 detach하세요: x + (x.round() - x).detach(). 결과 전체(또는 "
               "x 자체)를 detach하면 변화도를 x로 되돌려 보내는 경로가 끊깁니다.")
    out = expect_tensor(seen["out"], "straight_through_round(x)")
    assert_tensor(out.detach(), x.detach().round(), say("straight_through_round(x) values",
                                                        "straight_through_round(x)의 값"), hint=hint,
                  mistakes={(say("the values are x itself, not rounded: the detach is on the wrong term, "
                                 "x.round() + (x - x.round()).detach() adds back what rounding removed.",
                                 "값이 반올림되지 않은 x 그대로입니다. detach를 엉뚱한 항에 붙였습니다. "
                                 "x.round() + (x - x.round()).detach()는 반올림으로 없앤 만큼을 다시 더합니다."), hint):
                             x.detach()})
    grad = _backward_through("straight_through_round(x)", seen, hint)
    assert_tensor(grad, upstream, say("x.grad after (straight_through_round(x) * g).sum().backward() "
                                      "(the identity passes g through)",
                                      "(straight_through_round(x) * g).sum().backward() 뒤의 x.grad"
                                      "(항등 함수는 g를 그대로 통과시킵니다)"), hint=hint,
                  mistakes={(say("the gradient is 0 everywhere: that is round's own gradient, so the result is "
                                 "x.round() without the straight-through trick.",
                                 "변화도가 모든 곳에서 0입니다. 이는 round 자체의 변화도이므로, 결과가 straight-through "
                                 "기법 없이 x.round()만 계산한 것입니다."),
                             say("Write the output as x plus a detached correction, x + (x.round() - x).detach(): its "
                                 "value is rounded and its gradient is the identity's.",
                                 "출력을 x에 detach한 보정값을 더한 형태로 쓰세요: x + (x.round() - x).detach(). 값은 "
                                 "반올림되고 변화도는 항등 함수의 것이 됩니다.")): torch.zeros_like(upstream)})


# -- the custom Function ------------------------------------------------------------------------

def _softplus_mistakes(x, beta):
    """What the usual slips in the stable form give: the division by beta forgotten, |z| written as z."""
    z = beta * x
    mistakes = {(say("the abs is missing: relu(z) + log1p(exp(-z)) equals softplus only for z >= 0; for z < 0 it is "
                     "log(1 + exp(|z|)), and exp(-z) overflows for large negative z.",
                     "절댓값이 빠졌습니다. relu(z) + log1p(exp(-z))는 z >= 0일 때만 softplus와 같습니다. z < 0이면 "
                     "log(1 + exp(|z|))가 되고, 절댓값이 큰 음수 z에서는 exp(-z)가 오버플로됩니다."),
                 say("relu(z) + log1p(exp(-|z|)): the exp only ever sees -|z| <= 0.",
                     "relu(z) + log1p(exp(-|z|))입니다. exp에는 항상 -|z| <= 0만 들어갑니다.")):
                (torch.relu(z) + torch.log1p(torch.exp(-z))) / beta}
    if beta != 1.0:
        mistakes[(say("the division by beta is missing: this is softplus(beta * x), not softplus(beta * x) / beta.",
                      "beta로 나누는 부분이 빠졌습니다. softplus(beta * x) / beta가 아니라 softplus(beta * x)입니다."),
                  say("softplus_beta(x) = log(1 + exp(beta * x)) / beta: divide the stable form by beta.",
                      "softplus_beta(x) = log(1 + exp(beta * x)) / beta입니다. 안정적인 형태를 beta로 나누세요."))] = \
            F.softplus(z)
    return mistakes


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("softplus computes the same values as F.softplus for any beta",
                   ko="softplus는 어떤 beta에서도 F.softplus와 같은 값을 계산합니다")
def test_softplus_forward_matches_torch(impl):
    x = randn(5, 6, seed=12, dtype=torch.float64) * 4
    out = impl.softplus(x)
    assert_tensor(out, F.softplus(x), say("softplus(x), beta left at its default (1.0)",
                                          "beta를 기본값(1.0)으로 둔 softplus(x)"), mistakes=_softplus_mistakes(x, 1.0),
                  hint=say("Keep the signature softplus(x, beta=1.0).", "시그니처 softplus(x, beta=1.0)을 유지하세요."))
    for beta in (1.0, 2.0, 0.5):
        out = impl.softplus(x, beta)
        assert_tensor(out, F.softplus(x, beta=beta), say(f"softplus(x, beta={beta}) for float64 x in about [-15, 15]",
                                                         f"대략 [-15, 15] 범위의 float64 x에 대한 softplus(x, beta={beta})"),
                      mistakes=_softplus_mistakes(x, beta),
                      hint=say("softplus_beta(x) = (relu(beta*x) + log1p(exp(-|beta*x|))) / beta; do not forget the "
                               "division by beta.",
                               "softplus_beta(x) = (relu(beta*x) + log1p(exp(-|beta*x|))) / beta. beta로 나누는 것을 "
                               "잊지 마세요."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("softplus and its gradient stay exact for very large inputs",
                   ko="softplus와 그 변화도는 아주 큰 입력에서도 오버플로 없이 정확합니다")
def test_softplus_is_stable_for_large_inputs(impl):
    x = torch.tensor([-1000.0, -60.0, 0.0, 60.0, 1000.0], requires_grad=True)
    hint = say("exp(beta * x) overflows to inf in float32 past about 88: use the stable form relu(z) + log1p(exp(-|z|)) "
               "in forward, and sigmoid (not exp(z) / (1 + exp(z))) in backward.",
               "float32에서 exp(beta * x)는 약 88을 넘으면 inf로 오버플로됩니다. 순전파(forward)에서는 "
               "안정적인 형태 relu(z) + log1p(exp(-|z|))를, 역전파(backward)에서는 (exp(z) / (1 + exp(z))가 아닌) "
               "sigmoid를 쓰세요.")
    seen = backward_through(impl, "softplus", x, torch.ones(5), 1.0)
    out = expect_tensor(seen["out"], say("softplus(x) for x = [-1000, -60, 0, 60, 1000]",
                                         "x = [-1000, -60, 0, 60, 1000]에 대한 softplus(x)"))
    assert_tensor(out.detach(), F.softplus(x.detach()), say("softplus(x) for x = [-1000, -60, 0, 60, 1000] (float32)",
                                                            "x = [-1000, -60, 0, 60, 1000](float32)에 대한 softplus(x)"),
                  hint=hint)
    grad = _backward_through("softplus(x)", seen, hint)
    assert_tensor(grad, torch.sigmoid(x.detach()), say("d softplus / dx for x = [-1000, -60, 0, 60, 1000]",
                                                       "x = [-1000, -60, 0, 60, 1000]에 대한 d softplus / dx"),
                  hint=hint)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("softplus backward scales the upstream gradient by sigmoid(beta * x)",
                   ko="softplus의 역전파는 위에서 전달된 변화도에 sigmoid(beta * x)를 곱합니다")
def test_softplus_backward_multiplies_upstream_gradient(impl):
    x = (randn(3, 7, seed=13, dtype=torch.float64) * 3).requires_grad_()
    upstream = randn(3, 7, seed=14, dtype=torch.float64)
    hint = say("backward gets grad_output = d loss / d out and must return grad_output * sigmoid(beta * x): "
               "forgetting to multiply by grad_output is right only when the loss is out.sum().",
               "backward는 grad_output = d loss / d out을 받아 grad_output * sigmoid(beta * x)를 반환해야 합니다: "
               "grad_output을 곱하지 않아도 맞는 경우는 손실이 out.sum()일 때뿐입니다.")
    grad = _backward_through("softplus(x, beta=1.5)", backward_through(impl, "softplus", x, upstream, 1.5), hint)
    assert_tensor(grad, upstream * torch.sigmoid(1.5 * x.detach()), say("x.grad after (softplus(x, 1.5) * g).sum()"
                                                                        ".backward() with a random g",
                                                                        "무작위 g로 (softplus(x, 1.5) * g).sum()"
                                                                        ".backward()를 한 뒤의 x.grad"), hint=hint)


def _largest_jacobian_difference(impl, x, beta, eps=1e-6):
    """Where the student's backward and central finite differences of the student's forward disagree most on
    d softplus(x)[i] / d x[j] (both from the student's process, compared here): one sentence, not the Jacobians."""
    n = x.numel()
    analytic, numerical = torch.zeros(n, n, dtype=x.dtype), torch.zeros(n, n, dtype=x.dtype)
    for i in range(n):
        e = torch.zeros(n, dtype=x.dtype)
        e[i] = 1.0
        e = e.view_as(x)
        analytic[i] = expect_tensor(softplus_vjp(impl, x, beta, e), "x.grad").reshape(-1)  # d out[i] / d x
        numerical[:, i] = ((expect_tensor(impl.softplus(x + eps * e, beta), "softplus(x)")
                            - impl.softplus(x - eps * e, beta)) / (2 * eps)).reshape(-1)  # d out / d x[i]
    difference = (analytic - numerical).abs()
    worst = int(difference.argmax())
    i, j = divmod(worst, n)
    at_i, at_j = tuple(int(a) for a in torch.unravel_index(torch.tensor(i), x.shape)), \
        tuple(int(a) for a in torch.unravel_index(torch.tensor(j), x.shape))
    return say(f"Input 0 (x, shape {tuple(x.shape)}): the largest difference, {float(difference.max()):.3g}, is at "
               f"d out{list(at_i)} / d x{list(at_j)}: your backward gives {float(analytic[i, j]):.6g}, finite "
               f"differences {float(numerical[i, j]):.6g} (x{list(at_j)} = {float(x[at_j]):.4g}).",
               f"입력 0(x, shape {tuple(x.shape)}): 가장 큰 차이({float(difference.max()):.3g})는 "
               f"d out{list(at_i)} / d x{list(at_j)}에서 나옵니다: 작성한 backward는 {float(analytic[i, j]):.6g}, "
               f"유한 차분은 {float(numerical[i, j]):.6g}입니다(x{list(at_j)} = {float(x[at_j]):.4g}).")


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("softplus backward agrees with finite differences in gradcheck",
                   ko="softplus의 역전파는 gradcheck의 유한 차분 검사를 통과합니다")
def test_softplus_passes_gradcheck(impl):
    for beta in (1.0, 2.5):
        x = (randn(4, 3, seed=15, dtype=torch.float64) * 3).requires_grad_()
        try:
            # the student's forward and backward, each run beside the student's code (_SoftplusBesideTheStudent)
            ok = _gradcheck(lambda t, beta=beta: _SoftplusBesideTheStudent.apply(t, impl, beta), (x,), eps=1e-6, atol=1e-5,
                            rtol=1e-4)
        except NotImplementedError:
            raise
        except _GradcheckError:
            detail = _largest_jacobian_difference(impl, x.detach(), beta)
            raise AssertionError(say(
                f"torch.autograd.gradcheck(softplus, x) in float64 with beta={beta}: your backward disagrees with "
                f"finite differences.\n{detail}\nHint: d softplus_beta(x)/dx = sigmoid(beta * x) of forward's input x, "
                "not its output y (from y it is 1 - exp(-beta * y)); and the beta inside the sigmoid matters.",
                f"float64, beta={beta}에서 torch.autograd.gradcheck(softplus, x): 작성한 backward가 유한 차분 결과와 "
                f"다릅니다.\n{detail}\n힌트: d softplus_beta(x)/dx = sigmoid(beta * x)이며, 여기서 x는 forward의 "
                "출력 y가 아니라 입력 x입니다(y로 쓰면 1 - exp(-beta * y)). sigmoid 안의 beta도 중요합니다.")) from None
        except (RuntimeError, TypeError) as error:
            text = (str(error).strip().splitlines() or [""])[0]
            if _backward_mistake(errors.kind(error), text) is not None:
                raise _backward_failure(f"gradcheck(softplus, x) with beta={beta}", errors.kind(error), text,
                                        GRADIENT_COUNT_HINT) from None
            raise AssertionError(say(
                f"gradcheck(softplus, x) with beta={beta} raised {errors.kind(error)}: {text}\n"
                "Hint: gradcheck runs your forward and your backward: the error came from one of them.",
                f"beta={beta}에서 gradcheck(softplus, x)가 예외를 발생시켰습니다: {errors.kind(error)}: "
                f"{text}\n"
                "힌트: gradcheck는 작성한 forward와 backward를 실행합니다: 오류는 그 둘 중 하나에서 발생했습니다.")) \
                from None
        check(ok is True, say(f"gradcheck(softplus, x) with beta={beta} returned {ok!r}.",
                              f"beta={beta}에서 gradcheck(softplus, x)의 반환값이 {ok!r}입니다."))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("softplus keeps what backward needs with ctx.save_for_backward",
                   ko="softplus는 역전파에 필요한 텐서를 ctx.save_for_backward로 저장합니다")
def test_softplus_saves_tensors_with_save_for_backward(impl):
    x = randn(6, seed=16, dtype=torch.float64).requires_grad_()
    seen = softplus_saved_tensors(impl, x, 1.0)
    out = expect_tensor(seen["out"], "softplus(x)")
    hint = say("Pass the tensors backward needs to ctx.save_for_backward(...) and read them from ctx.saved_tensors; "
               "a tensor kept as ctx.x = x escapes autograd's checks for in-place changes and is never freed.",
               "backward에 필요한 텐서는 ctx.save_for_backward(...)에 넘기고 ctx.saved_tensors에서 읽으세요. "
               "ctx.x = x처럼 보관한 텐서는 Autograd의 제자리(in-place) 변경 검사를 벗어나고 메모리에서 해제되지도 "
               "않습니다.")
    assert_tensor(out, F.softplus(x.detach()), say("softplus(x) for float64 x of shape (6,)",
                                                   "shape가 (6,)인 float64 x에 대한 softplus(x)"))
    check(seen["has_grad_fn"] and seen["function_node"],
          say("softplus(x) of an x that requires grad has no grad_fn." if not seen["has_grad_fn"] else
              "softplus(x) was not computed by your autograd.Function: its grad_fn is the node of a built-in operation.",
              "requires_grad=True인 x에 대한 softplus(x)에 grad_fn이 없습니다." if not seen["has_grad_fn"] else
              "softplus(x)가 작성한 autograd.Function으로 계산되지 않았습니다: grad_fn이 내장 연산의 노드입니다."),
          say("Call Softplus.apply(x, beta), not Softplus.forward(...).",
              "Softplus.forward(...)가 아니라 Softplus.apply(x, beta)를 호출하세요."))
    check(seen["saved"] >= 1, say("softplus(x) saved no tensor with ctx.save_for_backward.",
                                  "softplus(x)가 ctx.save_for_backward로 저장한 텐서가 없습니다."), hint)
    stashed = sorted(seen["stashed"])
    check(not stashed, say(f"softplus(x) keeps tensors as ctx attributes ({', '.join('ctx.' + k for k in stashed)}).",
                           f"softplus(x)가 텐서를 ctx 속성으로 보관합니다({', '.join('ctx.' + k for k in stashed)})."),
          hint)


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("softplus and straight_through_round keep the input's dtype and device",
                   ko="softplus와 straight_through_round는 입력의 dtype과 장치를 유지합니다")
def test_functions_follow_the_input_dtype_and_device(impl):
    for dtype in (torch.float16, torch.float64):
        x = torch.empty(3, 4, dtype=dtype, device="meta")
        for name, fn in (("softplus(x)", lambda t: impl.softplus(t, 2.0)),
                         ("straight_through_round(x)", impl.straight_through_round)):
            assert_tensor(fn(x), torch.empty(3, 4, dtype=dtype, device="meta"),
                          say(f"{name} for a (3, 4) {dtype} tensor on the meta device",
                              f"meta 장치에 있고 shape가 (3, 4), dtype이 {dtype}인 텐서에 대한 {name}"),
                          hint=say("Use tensor operations on x only; a new tensor (torch.tensor, torch.zeros) must get "
                                   "dtype=x.dtype and device=x.device.",
                                   "x에 대한 텐서 연산만 쓰세요. 새 텐서(torch.tensor, torch.zeros)를 만들 때는 "
                                   "dtype=x.dtype, device=x.device를 지정해야 합니다."))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("softplus and accumulated_grad compute gradients on CUDA",
                   ko="softplus와 accumulated_grad는 CUDA에서도 변화도를 계산합니다")
def test_autograd_runs_on_cuda(impl):
    x = torch.randn(4, 5, device="cuda", dtype=torch.float64, requires_grad=True)
    upstream = torch.randn(4, 5, device="cuda", dtype=torch.float64)
    grad = _backward_through(say("softplus(x) on CUDA", "CUDA에서의 softplus(x)"),
                             backward_through(impl, "softplus", x, upstream, 1.0),
                             say("Keep every tensor on x.device.", "모든 텐서를 x.device에 두세요."))
    assert_tensor(grad, upstream * torch.sigmoid(x.detach()), say("x.grad for softplus on CUDA",
                                                                  "CUDA에서 softplus에 대한 x.grad"))
    w = torch.randn(4, device="cuda", dtype=torch.float64, requires_grad=True)
    xs, ys = [torch.randn(3, 4, device="cuda", dtype=torch.float64)], [torch.randn(3, device="cuda", dtype=torch.float64)]
    assert_tensor(accumulated_grad_calls(impl, w, xs, ys)["results"][0],
                  2 / 3 * xs[0].T @ (xs[0] @ w.detach() - ys[0]), say("accumulated_grad on CUDA",
                                                                      "CUDA에서의 accumulated_grad"))


# -- per-sample gradients with torch.func --------------------------------------------------------

def _classifier(seed):
    """Seeded weights for observations.classifier (Linear(4, 6), Tanh, Linear(6, 3), float64), the grader's own copy
    of that model, and 7 samples with their classes."""
    generator = torch.Generator().manual_seed(seed)
    shapes = {"0.weight": (6, 4), "0.bias": (6,), "2.weight": (3, 6), "2.bias": (3,)}
    weights = {name: torch.randn(shape, generator=generator, dtype=torch.float64) for name, shape in shapes.items()}
    x = torch.randn(7, 4, generator=generator, dtype=torch.float64)
    y = torch.randint(0, 3, (7,), generator=generator)
    return weights, classifier(weights), x, y


def _per_sample_loop(model, x, y):
    """{name: (N, *shape)}: the gradient of each sample's own cross-entropy, one backward per sample (the loop
    torch.func replaces), on the grader's own model."""
    names = [name for name, _ in model.named_parameters()]
    rows = [torch.autograd.grad(F.cross_entropy(model(x[i:i + 1]), y[i:i + 1]), list(model.parameters()))
            for i in range(len(x))]
    return {name: torch.stack([row[k] for row in rows]) for k, name in enumerate(names)}


_PER_SAMPLE_HINT = say("Write the loss of ONE sample as a function of the parameters, run the model with "
                       "torch.func.functional_call(model, params, (xi.unsqueeze(0),)), and map "
                       "torch.func.grad(sample_loss) over the batch with torch.func.vmap(..., in_dims=(None, 0, 0)).",
                       "샘플 하나의 손실을 매개변수의 함수로 쓰고, 모델은 torch.func.functional_call(model, params, "
                       "(xi.unsqueeze(0),))로 실행한 다음, torch.func.vmap(..., in_dims=(None, 0, 0))으로 "
                       "torch.func.grad(sample_loss)를 배치 전체에 적용하세요.")


def _per_sample_mistakes(expected, n):
    """What the usual mistakes give for one parameter: the batch's gradient for every sample, and a loop that never
    clears .grad (row i the sum of the first i + 1 samples' gradients)."""
    mean = expected.mean(0, keepdim=True).expand_as(expected)
    return {(say("the batch's gradient, the same for every sample: the loss was taken over the whole batch, so the "
                 "samples' gradients were summed (or averaged) together.",
                 "모든 샘플의 값이 배치 전체의 변화도 하나로 같습니다. 손실을 배치 전체에 대해 계산해서 샘플들의 변화도가 하나로 "
                 "합쳐졌습니다(또는 평균되었습니다)."), _PER_SAMPLE_HINT): [mean, mean * n],
            (say("row i holds the sum of the first i + 1 samples' gradients: a loop over the samples never cleared "
                 ".grad between backward() calls, so each one added onto the last.",
                 "i번째 행에 처음 i + 1개 샘플의 변화도 합이 들어 있습니다. 샘플을 도는 반복문에서 backward() 호출 "
                 "사이에 .grad를 비우지 않아 매번 앞의 값에 더해졌습니다."),
             say("Use torch.func (nothing accumulates), or in a loop ask torch.autograd.grad(loss, params) per sample "
                 "instead of backward() into .grad.",
                 "torch.func를 쓰거나(아무것도 누적되지 않습니다), 반복문에서는 .grad에 쌓는 backward() 대신 샘플마다 "
                 "torch.autograd.grad(loss, params)를 요청하세요.")): expected.cumsum(0)}


def _per_sample_result(result, names, what):
    """The student's result as a dict with exactly the model's parameter names."""
    result = expect_type(result, dict, what, _PER_SAMPLE_HINT)
    check(sorted(result) == sorted(names),
          say(f"{what} should have one key per name of model.named_parameters(), {names}; got {sorted(result)}.",
              f"{what}에는 model.named_parameters()의 이름마다 키가 하나씩 있어야 합니다({names}). 결과의 키는 "
              f"{sorted(result)}입니다."),
          say("Key the gradients by parameter name: torch.func.grad of a function of a dict {name: tensor} returns "
              "a dict with the same keys.",
              "변화도의 키는 매개변수 이름으로 하세요. {이름: 텐서} 딕셔너리를 받는 함수에 torch.func.grad를 쓰면 "
              "같은 키를 가진 딕셔너리가 반환됩니다."))
    return result


@pytest.mark.points(3)
@pytest.mark.gradients
@pytest.mark.title("per_sample_grads gives each sample's own gradient, as a loop over the samples does",
                   ko="per_sample_grads는 샘플을 하나씩 도는 반복문과 같은 샘플별 변화도를 반환합니다")
def test_per_sample_grads_match_a_loop_over_samples(impl):
    weights, model, x, y = _classifier(50)
    expected = _per_sample_loop(model, x, y)
    seen = per_sample_grads_and_the_model(impl, weights, x, y)
    what = say("per_sample_grads(model, x, y) for Linear(4, 6), Tanh, Linear(6, 3) in float64 and 7 samples",
               "float64 Linear(4, 6), Tanh, Linear(6, 3) 모델과 샘플 7개에 대한 per_sample_grads(model, x, y)")
    result = _per_sample_result(seen["result"], list(expected), what)
    for name, want in expected.items():
        assert_tensor(result[name], want,
                      say(f"per_sample_grads(model, x, y)['{name}'] (shape (7, *{tuple(want.shape[1:])}), row i the "
                          "gradient of sample i's cross-entropy alone)",
                          f"per_sample_grads(model, x, y)['{name}'](shape가 (7, *{tuple(want.shape[1:])})이고, i번째 "
                          "행은 샘플 i 하나의 교차 엔트로피에 대한 변화도)"),
                      hint=_PER_SAMPLE_HINT, mistakes=_per_sample_mistakes(want, len(x)))


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("per_sample_grads leaves the model's parameters and their .grad untouched",
                   ko="per_sample_grads는 모델의 매개변수와 그 .grad를 건드리지 않습니다")
def test_per_sample_grads_leave_the_model_untouched(impl):
    weights, model, x, y = _classifier(51)
    expected = _per_sample_loop(model, x, y)
    stale = {name: torch.full_like(parameter, 100.0) for name, parameter in weights.items()}
    seen = per_sample_grads_and_the_model(impl, weights, x, y, stale)
    what = say("per_sample_grads(model, x, y) for a model whose parameters' .grad held 100.0",
               "매개변수의 .grad가 100.0이던 모델에 대한 per_sample_grads(model, x, y)")
    result = _per_sample_result(seen["result"], list(expected), what)
    untouched = say("Read the parameters without changing them: torch.func.functional_call runs the model on the "
                    "tensors you pass and never writes .grad; a loop with backward() adds into every parameter's "
                    ".grad, which belongs to the caller (use torch.autograd.grad there).",
                    "매개변수는 바꾸지 말고 읽기만 하세요. torch.func.functional_call은 넘긴 텐서로 모델을 실행하고 "
                    ".grad에 쓰지 않습니다. backward()를 쓰는 반복문은 모든 매개변수의 .grad에 더하는데, .grad는 "
                    "호출한 쪽의 것입니다(반복문에서는 torch.autograd.grad를 쓰세요).")
    for name, parameter in model.named_parameters():
        assert_tensor(result[name], expected[name], say(f"per_sample_grads(model, x, y)['{name}']",
                                                        f"per_sample_grads(model, x, y)['{name}']"),
                      hint=_PER_SAMPLE_HINT, mistakes=_per_sample_mistakes(expected[name], len(x)))
        assert_tensor(seen["parameters"][name], parameter.detach(),
                      say(f"the model's {name} after per_sample_grads", f"per_sample_grads 호출 뒤 모델의 {name}"),
                      hint=untouched)
        assert_tensor(seen["grads"][name], stale[name],
                      say(f"the model's {name}.grad after per_sample_grads (it held 100.0 before)",
                          f"per_sample_grads 호출 뒤 모델의 {name}.grad(호출 전에는 모두 100.0이었습니다)"),
                      hint=untouched)
    switched = sorted(name for name, training in seen["modes"].items() if not training)
    check(not switched,
          say(f"per_sample_grads switched the model to eval mode: afterwards training is False for {switched} (the "
              "model came in training mode).",
              f"per_sample_grads가 모델을 평가 모드로 바꿨습니다. 호출 뒤 training이 False인 모듈: {switched}"
              "(모델은 학습 모드로 들어왔습니다)."),
          say("Leave the model in the mode it came in: do not call model.eval() (or model.train()) on the caller's "
              "model. If a mode matters for your computation, note model.training first and restore it before "
              "returning.",
              "모델은 들어온 모드 그대로 두세요. 호출한 쪽의 모델에 model.eval()(또는 model.train())을 호출하지 "
              "마세요. 계산에 모드가 중요하다면 먼저 model.training을 기억해 두고 반환하기 전에 되돌리세요."))
