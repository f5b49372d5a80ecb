"""Assertions that speak to a student: what was checked, what was expected, what came out, a hint.

Every grader uses these instead of bare asserts. The torch functions they rely on are bound here,
when the grader is imported, before any student code runs (and the tamper guard watches them).
"""
from __future__ import annotations

import math

import torch

from graders.support.words import say  # noqa: F401 - every check module takes it from here
from ptgrade.protocol.problems import NotStarted

_Tensor = torch.Tensor
_DEFAULT_TOLERANCE = {  # (rtol, atol): loose enough for a correct solution computed another way
    torch.float16: (1e-2, 1e-3), torch.bfloat16: (2e-2, 1e-2),
    torch.float32: (1e-4, 1e-5), torch.float64: (1e-7, 1e-8),
    torch.complex64: (1e-4, 1e-5), torch.complex128: (1e-7, 1e-8),
}


def check(condition: bool, message: str, hint: str = "") -> None:
    """A promise of the student's code; `message` says what was expected and what came out."""
    if not condition:
        raise AssertionError(_with_hint(message, hint))


def not_started(name: str) -> None:
    """Report the check as *not started* when the student's stub ran somewhere the grader cannot see
    it raise (a spawned process, say). A NotImplementedError raised by grader code would not count."""
    raise NotStarted(say(f"`{name}` still raises NotImplementedError",
                         f"`{name}`에서 아직 NotImplementedError가 발생합니다"))


def expect_tensor(value, what: str, hint: str = "") -> torch.Tensor:
    """`value` must be exactly a torch.Tensor: a list, an ndarray, None or a Tensor subclass is not."""
    if type(value) is not _Tensor and type(value) is not torch.nn.Parameter:
        kind = "None" if value is None else f"{type(value).__module__}.{type(value).__qualname__}"
        raise AssertionError(_with_hint(
            say(f"{what} should be a torch.Tensor, got {'' if value is None else 'a '}{kind}.",
                f"{what}: torch.Tensor여야 하는데 {kind}입니다."),
            hint or say("Build the result with torch operations and return it.",
                        "torch 연산으로 결과를 만들어 반환하세요.")))
    return value


def expect_type(value, kind: type | tuple[type, ...], what: str, hint: str = ""):
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise AssertionError(_with_hint(say(f"{what} should be a {names}, got {type(value).__name__}.",
                                            f"{what}: {names} 타입이어야 하는데 {type(value).__name__} 타입입니다."), hint))
    return value


def assert_tensor(actual, expected: torch.Tensor, what: str, *, rtol: float | None = None,
                  atol: float | None = None, hint: str = "", check_dtype: bool = True,
                  check_device: bool = True, mistakes: dict | None = None) -> torch.Tensor:
    """`actual` is a tensor of `expected`'s shape (and dtype and device) with values close to it.

    `mistakes` diagnoses a wrong value: {what the mistake is, in both languages: the tensor that mistake gives on the
    same inputs, computed by the grader (or a list of them: the ways of writing it that differ in value)}. When `actual` is wrong and equals one of them, the message names that
    mistake (and the mistake's own advice replaces `hint`) instead of counting the values that differ."""
    try:
        return _assert_tensor(actual, expected, what, rtol=rtol, atol=atol, hint=hint, check_dtype=check_dtype,
                              check_device=check_device)
    except AssertionError:
        named = _diagnosed(actual, mistakes or {}, rtol, atol)
        if named is None:
            raise
        raise named_mistake(what, *named, hint) from None


def assert_equal(actual, expected, what: str, *, hint: str = "", mistakes: dict | None = None):
    """`actual == expected` for plain values (lists, dicts, strings); `mistakes` as in assert_tensor ({mistake: the
    value it gives on the same input, computed by the grader}): a wrong value that equals one is named."""
    if actual == expected:
        return actual
    named = next(((key if isinstance(key, tuple) else (key, "")) for key, value in (mistakes or {}).items()
                  if value != expected and actual == value), None)
    if named is not None:
        raise named_mistake(what, *named, hint) from None
    check(False, say(f"{what}: expected {expected!r}, got {actual!r}.",
                     f"{what}: {actual!r}입니다. 기댓값은 {expected!r}입니다."), hint)


def named_mistake(what: str, mistake: str, advice: str = "", hint: str = "") -> AssertionError:
    """The failure of a value a known mistake gives. It carries the mistake (`ptgrade_mistake`) so that the judge tells
    a later check failing for the same mistake to say so instead of repeating it (judge/outcomes.py)."""
    error = AssertionError(_with_hint(say(f"{what}: your result is what this mistake gives: {mistake}",
                                          f"{what}: 결과가 다음 실수를 했을 때 나오는 값과 같습니다: {mistake}"),
                                      advice or hint))
    error.ptgrade_mistake = mistake
    return error


def _diagnosed(actual, mistakes: dict, rtol: float | None, atol: float | None):
    """(mistake, advice) of the known mistake whose value `actual` equals, or None. A key is the mistake's sentence,
    or a (sentence, advice) pair. When the values of two mistakes are both within tolerance (they can be close on
    small inputs), the nearer one names it: the first listed is not the likelier."""
    if type(actual) is not _Tensor or actual.device.type == "meta":
        return None
    matches = []
    for mistake, values in mistakes.items():
        sentence, advice = mistake if isinstance(mistake, tuple) else (mistake, "")
        for value in values if isinstance(values, (list, tuple)) else [values]:
            try:
                _assert_tensor(actual, value, "", rtol=rtol, atol=atol, check_dtype=False, check_device=False)
            except AssertionError:
                continue
            matches.append((_distance(actual, value), len(matches), sentence, advice))
    return min(matches)[2:] if matches else None


def _distance(actual: torch.Tensor, value: torch.Tensor) -> float:
    """How far `actual` is from a mistake's value it already matches within tolerance (largest absolute difference;
    NaN and infinities that matched count as equal)."""
    wide = torch.complex128 if actual.is_complex() or value.is_complex() else torch.float64
    got, want = actual.detach().to("cpu", wide), value.detach().to("cpu", wide)
    difference = (got - want).abs().nan_to_num(nan=0.0, posinf=0.0)
    return float(difference.max()) if difference.numel() else 0.0


def _assert_tensor(actual, expected: torch.Tensor, what: str, *, rtol: float | None = None,
                   atol: float | None = None, hint: str = "", check_dtype: bool = True,
                   check_device: bool = True) -> torch.Tensor:
    actual = expect_tensor(actual, what, hint)
    check(tuple(actual.shape) == tuple(expected.shape),
          say(f"{what}: expected shape {tuple(expected.shape)}, got {tuple(actual.shape)}.",
              f"{what}: shape가 {tuple(actual.shape)}입니다. 기댓값은 {tuple(expected.shape)}입니다."), hint)
    if check_dtype:
        check(actual.dtype == expected.dtype,
              say(f"{what}: expected dtype {expected.dtype}, got {actual.dtype}.",
                  f"{what}: dtype이 {actual.dtype}입니다. 기댓값은 {expected.dtype}입니다."), hint)
    if check_device:
        check(actual.device == expected.device,
              say(f"{what}: expected a tensor on {expected.device}, got one on {actual.device}.",
                  f"{what}: {expected.device}에 있는 텐서여야 하는데 {actual.device}에 있습니다."), hint)
    if actual.device.type == "meta":
        return actual
    got = actual.detach().to("cpu")
    want = expected.detach().to("cpu")
    if not (got.is_floating_point() or got.is_complex()) and not (want.is_floating_point() or want.is_complex()):
        mismatched = got.to(want.dtype) != want
    else:
        default_rtol, default_atol = _DEFAULT_TOLERANCE.get(want.dtype, (1e-4, 1e-5))
        rtol = default_rtol if rtol is None else rtol
        atol = default_atol if atol is None else atol
        got, want = got.to(torch.promote_types(got.dtype, want.dtype)), want.to(torch.promote_types(got.dtype, want.dtype))
        error = (got - want).abs()
        mismatched = (error > atol + rtol * want.abs()) | (got.isnan() != want.isnan())
        mismatched &= ~(got.isnan() & want.isnan())
        mismatched |= (got.isinf() | want.isinf()) & (got != want)
    count = int(mismatched.sum())
    if count:
        index = tuple(int(i) for i in mismatched.nonzero()[0])
        at = say(f" at index {index}", f"(인덱스 {index})") if index else ""
        raise AssertionError(_with_hint(say(
            f"{what}: {count} of {want.numel()} values differ{at}: expected {_value(want, index)}, "
            f"got {_value(got, index)}.{_preview(want, got)}",
            f"{what}: 값 {want.numel()}개 중 {count}개가 다릅니다{at}: 기댓값은 {_value(want, index)}인데 "
            f"결과는 {_value(got, index)}입니다.{_preview(want, got)}") + _pattern(got, want, rtol, atol), hint))
    return actual


def assert_gradients(loss: torch.Tensor, leaves, expected, names, what: str, hint: str = "") -> None:
    """The gradients of the student's scalar `loss` with respect to `leaves` equal `expected`
    (computed by the grader through torch's own operators), each named in the message."""
    got = torch.autograd.grad(loss, leaves, allow_unused=True)
    for name, gradient, want in zip(names, got, expected):
        check(gradient is not None, say(f"{what}: no gradient reached {name}.",
                                        f"{what}: {name}에 변화도(gradient)가 전달되지 않았습니다."), hint)
        assert_tensor(gradient, want, say(f"{what} with respect to {name}", f"{name}에 대한 {what}"), hint=hint)


def assert_scalar(actual, expected: float, what: str, *, rtol: float = 1e-4, atol: float = 1e-6,
                  hint: str = "", mistakes: dict | None = None) -> float:
    """A Python number (or a 0-d tensor) close to `expected`; `mistakes` as in assert_tensor ({mistake: the number
    it gives}): a wrong number that equals one is named."""
    if type(actual) is _Tensor and actual.numel() == 1:
        actual = actual.item()
    check(isinstance(actual, (int, float)) and not isinstance(actual, bool),
          say(f"{what} should be a number, got {type(actual).__name__}.",
              f"{what}: 숫자여야 하는데 {type(actual).__name__}입니다."), hint)
    close = abs(actual - expected) <= atol + rtol * abs(expected)
    if not close and mistakes:
        named = _diagnosed(torch.tensor(float(actual), dtype=torch.float64),
                           {mistake: torch.tensor(float(value), dtype=torch.float64)
                            for mistake, value in mistakes.items()}, rtol, atol)
        if named is not None:
            raise named_mistake(what, *named, hint)
    check(close,
          say(f"{what}: expected {expected:.6g}, got {actual:.6g}.",
              f"{what}: {actual:.6g}입니다. 기댓값은 {expected:.6g}입니다.") + _scalar_pattern(actual, expected), hint)
    return float(actual)


def _scalar_pattern(actual: float, expected: float) -> str:
    """A wrong number that is the opposite, a whole multiple or a whole fraction of the expected one (the sign
    flipped, a sum for a mean, a size divided twice) says so; "" otherwise."""
    if not (math.isfinite(actual) and math.isfinite(expected)) or expected == 0 or actual == 0:
        return ""

    def whole(x: float) -> int:  # x as a whole number (to 1e-4 relative), or 0
        return round(x) if abs(x - round(x)) <= 1e-4 * abs(x) else 0

    ratio = actual / expected
    if whole(ratio) == -1:
        return say(" Your number is the opposite of the expected one (the sign is flipped).",
                   " 결과가 기댓값과 부호만 반대입니다.")
    if abs(whole(ratio)) >= 2:
        return say(f" Your number is {whole(ratio)} times the expected one.",
                   f" 결과가 기댓값의 {whole(ratio)}배입니다.")
    if abs(whole(1 / ratio)) >= 2:
        return say(f" Your number is 1/{whole(1 / ratio)} of the expected one.",
                   f" 결과가 기댓값의 1/{whole(1 / ratio)}입니다.")
    return ""


def _value(tensor: torch.Tensor, index: tuple) -> str:
    value = tensor[index] if index else tensor
    return f"{value.item():.6g}" if value.numel() == 1 else str(value)


def _pattern(got: torch.Tensor, want: torch.Tensor, rtol: float | None, atol: float | None) -> str:
    """How a wrong tensor relates to the expected one as a whole, when it does in a way a learner can act on: the
    opposite sign, a constant factor or offset, the transpose, the right values in other places, NaN or infinity
    where the expected values are finite. Said as what was measured, never as a guess at the code; "" otherwise."""
    if not (got.is_floating_point() and want.is_floating_point()) or want.numel() < 2:
        return ""
    rtol = 1e-4 if rtol is None else rtol
    atol = 1e-5 if atol is None else atol
    got, want = got.double(), want.double()

    def close(a, b):
        return bool(((a - b).abs() <= atol + rtol * b.abs()).all())

    if want.isfinite().all() and not got.isfinite().all():
        return say(" Your result holds NaN or infinity where every expected value is finite: look for a division "
                   "by zero, a log of 0 or of a negative number, or exp of a large number.",
                   " 기댓값은 모두 유한한데 결과에 NaN이나 무한대가 있습니다: 0으로 나누기, 0이나 음수의 log, 큰 수의 "
                   "exp가 있는지 살펴보세요.")
    if not (got.isfinite().all() and want.isfinite().all()) or not want.abs().max() > 0:
        return ""
    if bool((got == got.flatten()[0]).all()):
        return say(f" Every value of your result is the same, {float(got.flatten()[0]):.4g}.",
                   f" 결과의 모든 값이 같습니다: {float(got.flatten()[0]):.4g}.")
    if close(-got, want):
        return say(" Every value has the opposite sign of the expected one.",
                   " 모든 값의 부호가 기댓값과 반대입니다.")
    ratio = float((got * want).sum() / (want * want).sum())
    if abs(ratio - 1.0) > 1e-3 and close(got, ratio * want):
        return say(f" Every value is {ratio:.4g} times the expected one: a factor is missing or extra (a sum for a "
                   "mean, a scale, a size).",
                   f" 모든 값이 기댓값의 {ratio:.4g}배입니다: 어떤 계수가 빠졌거나 더 곱해졌습니다(평균 대신 합, 스케일, "
                   "크기 등).")
    offset = float((got - want).mean())
    if abs(offset) > atol and close(got - offset, want):
        return say(f" Every value differs from the expected one by the same {offset:.4g}.",
                   f" 모든 값이 기댓값과 똑같이 {offset:.4g}만큼 차이 납니다.")
    if want.dim() >= 2 and want.shape[-1] == want.shape[-2] and close(got.transpose(-1, -2), want):
        return say(" Your result is the expected one transposed (its last two dimensions swapped).",
                   " 결과가 기댓값을 전치한 것입니다(마지막 두 차원이 뒤바뀌었습니다).")
    if close(got.flatten().sort().values, want.flatten().sort().values):
        return say(" Your result holds the expected values, in other places: check the order, an axis that was "
                   "swapped or a reshape that should have been a transpose.",
                   " 결과에 기댓값들이 모두 있지만 위치가 다릅니다: 순서, 뒤바뀐 축, transpose 대신 쓴 reshape가 있는지 "
                   "확인하세요.")
    return ""


def _preview(want: torch.Tensor, got: torch.Tensor) -> str:
    if want.numel() > 12:
        return ""
    return say(f"\nexpected: {want.flatten().tolist()}\ngot:      {got.flatten().tolist()}",
               f"\n기댓값: {want.flatten().tolist()}\n실제 값: {got.flatten().tolist()}")


def _with_hint(message: str, hint: str) -> str:
    return f"{message}\n{say('Hint', '힌트')}: {hint}" if hint else message
