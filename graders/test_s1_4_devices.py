"""1.4 Devices: the promises each function of exercises/s1_4_devices.py must keep.

Without a GPU the grader fakes what torch reports (monkeypatch beside the student's code, in the observations
of graders/observations/s1_4_devices.py, undone before they return) and proves device-following on the `meta`
device; the `gpu` checks move real tensors on CUDA. Models are built beside the student's code too (an nn.Module
cannot travel): the observations report where their tensors ended up.
"""
import pytest
import torch

from graders.observations.s1_4_devices import (
    _devices,
    _model,
    batch_and_model_on,
    faked_machine_call,
    move_model_devices,
    stage_counting_pins,
    to_device_on_faked_cuda,
)
from graders.support import errors, pristine
from graders.support.assertions import assert_tensor, check, expect_tensor, say
from ptgrade.judge.remote import with_inputs

META = torch.device("meta")


def call_on_faked_machine(impl, function: str, args: tuple, cuda: int, mps: bool = False):
    """In the judge: faked_machine_call with the machine sealed."""
    return faked_machine_call(impl, function, tuple(args), pristine.seal((cuda, mps)))


def _same_device(device, expected: torch.device) -> bool:
    return isinstance(device, torch.device) and device.type == expected.type and \
        (device.index == expected.index or {device.index, expected.index} <= {None, 0})


# -- choosing a device --------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("resolve_device('auto') picks CUDA, then MPS, then the CPU",
                   ko="resolve_device('auto')는 CUDA, MPS, CPU 순으로 장치를 고릅니다")
def test_resolve_device_prefers_cuda_then_mps_then_cpu(impl):
    if torch.cuda.is_available():
        real = torch.device("cuda")
    else:
        real = torch.device("mps") if torch.backends.mps.is_available() else torch.device("cpu")
    got = impl.resolve_device("auto")
    check(_same_device(got, real), say(f"resolve_device('auto') on this machine: expected {real}, got {got!r}.",
                                       f"이 컴퓨터에서 resolve_device('auto'): {got!r}입니다. 기댓값은 {real}입니다."),
          say("Return a torch.device chosen from torch.cuda.is_available() and torch.backends.mps.is_available(); "
              "do not hard-code 'cuda'.",
              "torch.cuda.is_available(), torch.backends.mps.is_available()의 결과에 따라 고른 torch.device를 "
              "반환하세요. 'cuda'를 하드코딩하지 마세요."))
    for cuda, mps, expected in ((2, True, torch.device("cuda")), (0, True, torch.device("mps")),
                                (0, False, torch.device("cpu")), (1, False, torch.device("cuda"))):
        got = call_on_faked_machine(impl, "resolve_device", ("auto",), cuda, mps)
        machine = say(f"{cuda} CUDA device(s), MPS {'present' if mps else 'absent'}",
                      f"CUDA 장치 {cuda}개, MPS {'있음' if mps else '없음'}")
        check(_same_device(got, expected), say(f"resolve_device('auto') on a machine with {machine}: expected "
                                               f"{expected}, got {got!r}.",
                                               f"컴퓨터({machine})에서 resolve_device('auto'): 기댓값은 {expected}인데 "
                                               f"{got!r}입니다."),
              say("Ask torch.cuda.is_available() first, then torch.backends.mps.is_available(), at call time; do not "
                  "hard-code 'cuda' or decide once at import.",
                  "호출할 때 먼저 torch.cuda.is_available()로, 그다음 torch.backends.mps.is_available()로 "
                  "확인하세요. 'cuda'를 하드코딩하거나 import할 때 한 번만 정하지 마세요."))


def _expect_value_error(impl, spec, machine, cuda):
    """resolve_device(spec) on a machine faked with `cuda` CUDA devices must raise ValueError."""
    got, error = errors.attempt(call_on_faked_machine, impl, "resolve_device", (spec,), cuda)
    if isinstance(error, ValueError):
        text = str(error.args[0]).strip() if error.args else ""
        check(len(text.split()) >= 2,
              say(f"resolve_device({spec!r}) on a machine with {machine} raised a ValueError without a sentence saying "
                  f"why (its message: {text!r:.80}).",
                  f"컴퓨터({machine})에서 resolve_device({spec!r})가 이유를 말하는 문장 없이 ValueError를 "
                  f"발생시켰습니다(메시지: {text!r:.80})."),
              say("raise ValueError(f\"{spec!r} was asked for, but ...\"): say what is missing (CUDA, or a device with "
                  "that index), so that the user knows what to change.",
                  "raise ValueError(f\"{spec!r} was asked for, but ...\")처럼 무엇이 없는지(CUDA, 또는 그 인덱스의 "
                  "장치) 말하세요. 그래야 사용자가 무엇을 바꿔야 할지 압니다."))
        return
    if error is not None:  # any other exception is the wrong promise
        got = errors.summary(error)
    raise AssertionError(say(f"resolve_device({spec!r}) on a machine with {machine}: expected a ValueError, got "
                             f"{got!r}.\nHint: check torch.cuda.is_available() and the index against "
                             "torch.cuda.device_count(), and raise ValueError with a sentence a user can act on.",
                             f"컴퓨터({machine})에서 resolve_device({spec!r}): ValueError가 발생해야 하는데 "
                             f"{got!r}입니다.\n힌트: torch.cuda.is_available()의 결과를 확인하고 인덱스를 "
                             "torch.cuda.device_count()와 비교한 뒤, 사용자가 무엇을 해야 할지 알 수 있는 문장으로 "
                             "ValueError를 발생시키세요."))


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("resolve_device raises ValueError for a GPU that is not there",
                   ko="resolve_device는 없는 GPU를 요청받으면 ValueError를 발생시킵니다")
def test_resolve_device_refuses_a_gpu_that_is_not_there(impl):
    _expect_value_error(impl, "cuda", say("no CUDA", "CUDA 없음"), 0)
    got = call_on_faked_machine(impl, "resolve_device", ("cpu",), 0)
    check(_same_device(got, torch.device("cpu")), say(f"resolve_device('cpu'): expected cpu, got {got!r}.",
                                                      f"resolve_device('cpu'): cpu여야 하는데 {got!r}입니다."))
    got, error = errors.attempt(call_on_faked_machine, impl, "resolve_device", ("cuda",), 1)
    check(error is None and _same_device(got, torch.device("cuda")),
          say(f"resolve_device('cuda') with 1 CUDA device: expected cuda (device 0), got "
              f"{errors.summary(error) if error else repr(got)}.",
              f"CUDA 장치가 1개일 때 resolve_device('cuda'): cuda(장치 0)여야 하는데 "
              f"{errors.summary(error) if error else repr(got)}입니다."),
          say("'cuda' without an index means the current device, index 0: compare (device.index or 0) with "
              "torch.cuda.device_count().",
              "인덱스 없는 'cuda'는 현재 장치, 즉 인덱스 0입니다: (device.index or 0)을 torch.cuda.device_count()와 "
              "비교하세요."))
    got = call_on_faked_machine(impl, "resolve_device", ("cuda:1",), 2)
    check(_same_device(got, torch.device("cuda", 1)), say(f"resolve_device('cuda:1') with 2 CUDA devices: "
                                                          f"expected cuda:1, got {got!r}.",
                                                          f"CUDA 장치가 2개일 때 resolve_device('cuda:1'): cuda:1이어야 "
                                                          f"하는데 {got!r}입니다."),
          say("Keep the index the user asked for: torch.device(spec).",
              "사용자가 요청한 인덱스를 유지하세요: torch.device(spec)."))
    _expect_value_error(impl, "cuda:2", say("2 CUDA devices (indices 0 and 1)", "CUDA 장치 2개, 인덱스 0과 1"), 2)
    got = impl.resolve_device("meta")
    check(_same_device(got, META), say(f"resolve_device('meta'): expected meta, got {got!r}.",
                                       f"resolve_device('meta'): meta여야 하는데 {got!r}입니다."))


# -- moving tensors and modules -----------------------------------------------------------------

def _batch():
    generator = torch.Generator().manual_seed(0)
    return {"x": torch.randn(2, 3, generator=generator),
            "y": torch.tensor([1, 0]),
            "extra": {"ids": [torch.arange(4), torch.ones(2, dtype=torch.float16)], "name": "digits", "n": 3,
                      "none": None},
            "pair": (torch.zeros(1, dtype=torch.float64), 5)}


def _walk(got, want, where):
    """Compare the moved structure `got` with the original `want`, leaf by leaf."""
    if isinstance(want, torch.Tensor):
        assert_tensor(got, torch.empty(want.shape, dtype=want.dtype, device=META), f"to_device(batch, meta){where}",
                      hint=say("tensor.to(device) returns a moved copy and leaves the tensor where it was: use its "
                               "result (value = value.to(device)), for every tensor of the structure.",
                               "tensor.to(device)는 옮겨진 복사본을 반환하고 원래 텐서는 그 자리에 둡니다: 구조 안의 "
                               "모든 텐서에 대해 그 결과를 받아 쓰세요(value = value.to(device))."))
        return
    check(type(got) is type(want), say(f"to_device(batch, meta){where}: expected a {type(want).__name__}, got "
                                       f"{type(got).__name__}.",
                                       f"to_device(batch, meta){where}: {type(want).__name__} 타입이어야 하는데 "
                                       f"{type(got).__name__} 타입입니다."),
          say("Rebuild each container with its own type; leave non-tensors as they are.",
              "각 컨테이너는 원래 타입으로 다시 만들고, 텐서가 아닌 값은 그대로 두세요."))
    if isinstance(want, dict):
        check(set(got) == set(want), say(f"to_device(batch, meta){where}: expected keys {sorted(want)}, got "
                                         f"{sorted(got)}.",
                                         f"to_device(batch, meta){where}: 키가 {sorted(got)}입니다. 기댓값은 "
                                         f"{sorted(want)}입니다."))
        for key in want:
            _walk(got[key], want[key], f"{where}[{key!r}]")
    elif isinstance(want, (list, tuple)):
        check(len(got) == len(want), say(f"to_device(batch, meta){where}: expected {len(want)} items, got {len(got)}.",
                                         f"to_device(batch, meta){where}: 항목이 {len(want)}개여야 하는데 "
                                         f"{len(got)}개입니다."))
        for index, (g, w) in enumerate(zip(got, want)):
            _walk(g, w, f"{where}[{index}]")
    else:
        check(got == want, say(f"to_device(batch, meta){where}: expected {want!r} unchanged, got {got!r}.",
                               f"to_device(batch, meta){where}: {want!r} 그대로여야 하는데 {got!r}입니다."))


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("to_device returns a nested batch with every tensor moved",
                   ko="to_device는 중첩된 배치의 모든 텐서를 옮긴 새 구조를 반환합니다")
def test_to_device_moves_every_tensor_of_a_nested_batch(impl):
    moved, (batch, _), _ = errors.calling("to_device(batch, meta)",
                                        say("Move tensors with .to(device); never .cuda(), which only knows one kind "
                                            "of device.",
                                            "텐서는 .to(device)로 옮기세요. 한 종류의 장치만 아는 .cuda()는 절대 "
                                            "쓰지 마세요."),
                                        lambda *args: with_inputs(impl.to_device, *args), _batch(), META)
    _walk(moved, _batch(), "")
    # the caller's batch as the call left it (with_inputs): every tensor still on the CPU, with its values
    original = _batch()
    kept = [(batch["x"], original["x"]), (batch["y"], original["y"]), (batch["extra"]["ids"][0], original["extra"]["ids"][0]),
            (batch["extra"]["ids"][1], original["extra"]["ids"][1]), (batch["pair"][0], original["pair"][0])]
    check(all(isinstance(got, torch.Tensor) and got.device.type == "cpu" and got.dtype == want.dtype
              and got.shape == want.shape and bool((got == want).all()) for got, want in kept),
          say("to_device(batch, meta) changed the caller's batch; it should return a new structure.",
              "to_device(batch, meta)가 호출한 쪽의 배치를 바꿨습니다. 새 구조를 반환해야 합니다."))
    assert_tensor(impl.to_device(torch.ones(3, dtype=torch.int32), META), torch.empty(3, dtype=torch.int32, device=META),
                  say("to_device(t, meta) for a bare int32 tensor", "int32 텐서 하나에 대한 to_device(t, meta)"),
                  hint=say("A tensor on its own is a batch too: return tensor.to(device).",
                           "텐서 하나만 있어도 배치입니다: tensor.to(device)를 반환하세요."))
    # a CUDA target on a faked machine: each copy to CUDA is answered with a meta tensor, and whether it was asked for
    # non_blocking is recorded beside it (the record can only fail the check)
    seen = errors.calling("to_device(batch, cuda)", say("Move tensors with .to(device, non_blocking=True).",
                                                        "텐서는 .to(device, non_blocking=True)로 옮기세요."),
                          to_device_on_faked_cuda, impl, {"x": torch.ones(2), "ids": [torch.arange(3), "a"],
                                                          "pair": (torch.zeros(1, dtype=torch.float64), 5)})
    moved, flags = seen["moved"], seen["non_blocking"]
    leaves = [moved["x"], moved["ids"][0], moved["pair"][0]] if isinstance(moved, dict) else []
    check(len(leaves) == 3 and all(isinstance(t, torch.Tensor) and t.device.type == "meta" for t in leaves),
          say("to_device(batch, cuda) on a machine with one (faked) CUDA device did not copy every tensor with "
              "tensor.to(device).",
              "CUDA 장치가 하나 있는(채점기가 흉내 낸) 컴퓨터에서 to_device(batch, cuda)가 모든 텐서를 "
              "tensor.to(device)로 복사하지 않았습니다."),
          say("Use tensor.to(device, non_blocking=True) for every tensor of the structure.",
              "구조 안의 모든 텐서에 tensor.to(device, non_blocking=True)를 쓰세요."))
    check(flags and all(flags),
          say(f"to_device(batch, cuda) copied {flags.count(False)} of {len(flags)} tensors to CUDA without "
              "non_blocking=True: each copy waits for the GPU instead of overlapping with the host's work.",
              f"to_device(batch, cuda)가 텐서 {len(flags)}개 중 {flags.count(False)}개를 non_blocking=True 없이 "
              "CUDA로 복사했습니다: 복사할 때마다 호스트의 작업과 겹치지 못하고 GPU를 기다립니다."),
          say("When the target is CUDA, pass non_blocking=True: tensor.to(device, non_blocking=device.type == 'cuda').",
              "대상이 CUDA이면 non_blocking=True를 넘기세요: tensor.to(device, non_blocking=device.type == 'cuda')."))


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("move_model moves every parameter and buffer of the model",
                   ko="move_model은 모델의 모든 매개변수와 버퍼를 옮깁니다")
def test_move_model_moves_parameters_and_buffers(impl):
    # model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)), built beside the code
    seen = errors.calling("move_model(model, meta)",
                          say("Use model.to(device); never .cuda().", "model.to(device)를 쓰세요. .cuda()는 쓰지 마세요."),
                          move_model_devices, impl, META)
    want = {(kind, name) for kind, name, _ in _devices(_model())}
    check({(kind, name) for kind, name, _ in seen["before"]} == want and
          all(device == "cpu" for _, _, device in seen["before"]),
          say("the model built beside your code is not the grader's: nn.Sequential, nn.Linear or nn.BatchNorm1d were "
              "changed in your code's process, so move_model cannot be graded.",
              "작성한 코드와 같은 프로세스에서 만든 모델이 채점기의 모델과 다릅니다. 그 프로세스에서 nn.Sequential, "
              "nn.Linear 또는 nn.BatchNorm1d가 바뀌어 move_model을 채점할 수 없습니다."))
    check(seen["is_module"], say(f"move_model(model, meta) should be a Module, got {seen['type']}.",
                                 f"move_model(model, meta)는 Module이어야 하는데 {seen['type']}입니다."))
    check(seen["same"], say(f"move_model(model, meta) returned another {seen['type']}, not the model it was given "
                            "(moved in place).",
                            f"move_model(model, meta)가 전달받은 모델(제자리에서 옮긴 모델)이 아닌 다른 "
                            f"{seen['type']} 객체를 반환했습니다."),
          say("model.to(device) moves the module in place and returns it: return that.",
              "model.to(device)는 모듈을 제자리에서 옮기고 그 모듈을 반환합니다: 그것을 반환하세요."))
    for label, devices in ((say("the returned model", "반환된 모델"), seen["returned"]),
                           (say("the model passed in", "전달된 모델"), seen["model"])):
        names = {(kind, name) for kind, name, _ in devices}
        check(names == want, say(f"after move_model(model, meta), {label} has the parameters and buffers "
                                 f"{sorted(name for _, name in names)}; expected {sorted(name for _, name in want)}.",
                                 f"move_model(model, meta) 뒤에 {label}의 매개변수와 버퍼는 "
                                 f"{sorted(name for _, name in names)}입니다. "
                                 f"기댓값은 {sorted(name for _, name in want)}입니다."),
              say("Move the model with model.to(device); do not remove or replace its tensors.",
                  "model.to(device)로 모델을 옮기세요. 텐서를 지우거나 바꾸지 마세요."))
        for kind, name, device in devices:
            check(device == "meta",
                  say(f"after move_model(model, meta), {label}'s {kind} {name} is on {device}, expected meta.",
                      f"move_model(model, meta) 뒤에 {label}에서 {({'parameter': '매개변수', 'buffer': '버퍼'}).get(kind, kind)} "
                      f"{name}의 장치가 {device}입니다. "
                      f"meta여야 합니다."),
                  say("model.to(device) moves every parameter and buffer (BatchNorm's running_mean, running_var) "
                      "in place. p.to(device) on one parameter returns a copy and moves nothing, and moving only "
                      "model.parameters() leaves the buffers behind.",
                      "model.to(device)는 모든 매개변수와 버퍼(BatchNorm의 running_mean, running_var)를 "
                      "제자리에서 옮깁니다. 매개변수 하나에 p.to(device)를 쓰면 복사본을 반환할 뿐 "
                      "아무것도 옮기지 않고, model.parameters()만 옮기면 버퍼는 옮겨지지 않고 그대로 "
                      "남습니다."))


# -- new tensors follow the input ---------------------------------------------------------------

@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("positions_like creates the positions on the tokens' device",
                   ko="positions_like는 tokens와 같은 장치에 위치 인덱스를 만듭니다")
def test_positions_follow_the_tokens_device(impl):
    tokens = torch.randint(0, 100, (3, 5))
    assert_tensor(impl.positions_like(tokens), torch.arange(5).repeat(3, 1), say("positions_like(tokens) for (3, 5) "
                                                                                 "tokens",
                                                                                 "shape가 (3, 5)인 tokens에 대한 positions_like(tokens)"),
                  hint=say("out[b, t] = t: torch.arange(time) broadcast (expand) over the batch.",
                           "out[b, t] = t: torch.arange(time)을 배치 방향으로 브로드캐스트(expand)하세요."))
    short = torch.randint(0, 100, (2, 4), dtype=torch.int32)  # int32 token ids: the positions are int64 all the same
    assert_tensor(impl.positions_like(short), torch.arange(4).repeat(2, 1),
                  say("positions_like(tokens) for (2, 4) int32 tokens", "shape가 (2, 4)인 int32 tokens에 대한 "
                                                                        "positions_like(tokens)"),
                  hint=say("The positions are int64 whatever the tokens' dtype: torch.arange(time, device=tokens.device) "
                           "is int64 by default.",
                           "tokens의 dtype이 무엇이든 위치 인덱스는 int64입니다: torch.arange(time, "
                           "device=tokens.device)의 기본 dtype이 int64입니다."),
                  mistakes={(say("the positions take the tokens' dtype (int32), not int64 (dtype=tokens.dtype, "
                                 "zeros_like or ones_like of the tokens)",
                                 "위치 인덱스가 int64가 아니라 tokens의 dtype(int32)을 따릅니다(dtype=tokens.dtype, "
                                 "또는 tokens의 zeros_like나 ones_like)"),
                             say("Give the positions dtype int64 (torch.arange's default): only the device follows the "
                                 "tokens.",
                                 "위치 인덱스의 dtype은 int64(torch.arange의 기본값)로 두세요. tokens를 따르는 것은 "
                                 "장치뿐입니다.")): torch.arange(4, dtype=torch.int32).repeat(2, 1)})
    meta_tokens = torch.empty(2, 7, dtype=torch.int64, device=META)
    out = errors.calling(say("positions_like(tokens on meta)", "positions_like(meta에 있는 tokens)"),
                         say("Create the positions with device=tokens.device.",
                             "위치 인덱스를 device=tokens.device로 만드세요."), impl.positions_like, meta_tokens)
    assert_tensor(out, torch.empty(2, 7, dtype=torch.int64, device=META),
                  say("positions_like(tokens) for (2, 7) tokens on the meta device",
                      "meta 장치에 있고 shape가 (2, 7)인 tokens에 대한 positions_like(tokens)"),
                  hint=say("torch.arange(n) alone is created on the CPU: pass device=tokens.device.",
                           "torch.arange(n)만 쓰면 CPU에 만들어집니다: device=tokens.device를 넘기세요."))


_NORMALIZE_HINT = say("Create mean and std with torch.tensor(..., dtype=x.dtype, device=x.device) (or x.new_tensor(...)), "
                      "and view them as (C, 1, 1): a plain (C,) vector broadcasts along the last axis, W, not C.",
                      "mean과 std는 torch.tensor(..., dtype=x.dtype, device=x.device)(또는 x.new_tensor(...))로 "
                      "만들고 (C, 1, 1)로 view하세요: shape가 (C,)인 벡터를 그대로 쓰면 C가 아니라 마지막 축 W를 따라 "
                      "브로드캐스트됩니다.")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("normalize_channels normalizes each channel by its own mean and std",
                   ko="normalize_channels는 각 채널을 그 채널의 평균과 표준편차로 정규화합니다")
def test_normalize_channels_values(impl):
    generator = torch.Generator().manual_seed(1)
    mean, std = [0.5, -1.0, 2.0], [0.25, 2.0, 4.0]
    for shape in ((2, 3, 3, 3), (1, 3, 2, 5)):  # H = W = C first: a wrong broadcast keeps the shape
        x = torch.randn(shape, generator=generator, dtype=torch.float64)
        expected = torch.stack([(x[:, c] - mean[c]) / std[c] for c in range(3)], dim=1)
        assert_tensor(impl.normalize_channels(x, mean, std), expected,
                      say(f"normalize_channels(x, mean, std) for float64 x of shape {shape}",
                          f"shape가 {shape}인 float64 x에 대한 normalize_channels(x, mean, std)"), hint=_NORMALIZE_HINT,
                      mistakes=_normalize_mistakes(x, mean, std))


def _normalize_mistakes(x, mean, std):
    """What normalize_channels gives for the mistakes learners make with per-channel constants."""
    m, s = torch.tensor(mean, dtype=x.dtype), torch.tensor(std, dtype=x.dtype)
    mistakes = {
        (say("mean and std were swapped: (x - std) / mean.", "mean과 std가 뒤바뀌었습니다: (x - std) / mean."),
         say("Subtract the mean, then divide by the standard deviation.", "평균을 빼고 표준편차로 나누세요.")):
            (x - s.view(3, 1, 1)) / m.view(3, 1, 1),
        (say("the result is multiplied by std instead of divided by it.", "결과를 std로 나누지 않고 곱했습니다."),
         say("(x - mean) / std: dividing by the spread makes each channel's values comparable.",
             "(x - mean) / std입니다: 퍼진 정도로 나누어야 채널의 값들을 비교할 수 있습니다.")):
            (x - m.view(3, 1, 1)) * s.view(3, 1, 1),
        (say("the constants have shape (C, 1): they broadcast along the height, not the channels.",
             "상수의 shape가 (C, 1)입니다: 채널이 아니라 높이를 따라 브로드캐스트됩니다."), _NORMALIZE_HINT):
            (x - m.view(3, 1)) / s.view(3, 1) if x.shape[2] == 3 else [],
        (say("the constants have shape (C,): they broadcast along the last axis, the width, not the channels.",
             "상수의 shape가 (C,)입니다: 채널이 아니라 마지막 축인 너비를 따라 브로드캐스트됩니다."), _NORMALIZE_HINT):
            (x - m) / s if x.shape[3] == 3 else [],
    }
    return mistakes


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("normalize_channels keeps the input's dtype and device",
                   ko="normalize_channels는 입력의 dtype과 장치를 유지합니다")
def test_normalize_channels_follows_input_dtype_and_device(impl):
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    x = torch.empty(2, 3, 4, 4, dtype=torch.bfloat16, device=META)
    out = errors.calling(say("normalize_channels(x on meta)", "normalize_channels(meta에 있는 x)"), _NORMALIZE_HINT,
                         impl.normalize_channels, x, mean, std)
    assert_tensor(out, torch.empty(2, 3, 4, 4, dtype=torch.bfloat16, device=META),
                  say("normalize_channels for a (2, 3, 4, 4) bfloat16 batch on the meta device",
                      "meta 장치에 있고 shape가 (2, 3, 4, 4)인 bfloat16 배치에 대한 normalize_channels"), hint=_NORMALIZE_HINT)
    half = torch.rand(2, 3, 4, 4, generator=torch.Generator().manual_seed(2)).to(torch.float16)
    out = expect_tensor(impl.normalize_channels(half, mean, std), "normalize_channels(x, mean, std)")
    check(out.dtype == torch.float16, say(f"normalize_channels for a float16 CPU batch returned {out.dtype}; expected "
                                          "float16 (a float32 constant promotes the result).",
                                          f"CPU에 있는 float16 배치에 대해 normalize_channels가 반환한 결과의 dtype이 "
                                          f"{out.dtype}입니다. float16이어야 합니다(float32 상수가 결과를 float32로 "
                                          "승격시킵니다)."), _NORMALIZE_HINT)


# -- pinned memory ------------------------------------------------------------------------------

@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("stage_for_device pins memory only when the target is CUDA",
                   ko="stage_for_device는 CUDA로 보낼 때만 pin_memory를 호출합니다")
def test_stage_for_device_pins_only_for_cuda(impl):
    x = torch.randn(4, 3, generator=torch.Generator().manual_seed(3))
    # even where CUDA exists (1 faked device), a copy to the CPU or meta needs no pinning
    seen = stage_counting_pins(impl, x, [torch.device("cpu"), META], 1)
    to_cpu, to_meta = seen["results"]
    hint = say("Pin only when device.type == 'cuda': pinning needs CUDA and is pure overhead for any other target.",
               "device.type == 'cuda'일 때만 pin_memory()를 호출하세요. 메모리 고정에는 CUDA가 필요하고, 다른 "
               "대상에는 불필요한 오버헤드일 뿐입니다.")
    check(not seen["pinned"] and not any(seen["in_pinned_memory"]),
          say(f"stage_for_device(x, cpu/meta) called pin_memory() {seen['pinned']} time(s)"
              + (" and returned a tensor in pinned memory." if any(seen["in_pinned_memory"]) else "."),
              f"stage_for_device(x, cpu/meta)가 pin_memory()를 {seen['pinned']}번 호출했습니다"
              + (". 게다가 고정된 메모리에 있는 텐서를 반환했습니다." if any(seen["in_pinned_memory"]) else ".")),
          hint)
    assert_tensor(to_cpu, x, "stage_for_device(x, cpu)", hint=hint)
    assert_tensor(to_meta, torch.empty(x.shape, dtype=x.dtype, device=META), "stage_for_device(x, meta)",
                  hint=say("Return x.to(device) (and use the result).", "x.to(device)를 반환하세요(그 결과를 사용하세요)."))
    # a CUDA target on the faked machine: pin_memory returns a stand-in for the pinned tensor, and the copy to CUDA is
    # answered with a meta tensor; what the student's process records beside it can only fail the check
    seen = stage_counting_pins(impl, x, [torch.device("cuda")], 1)
    copies = seen["copies"]
    cuda_hint = say("x.pin_memory().to(device, non_blocking=True): pin_memory returns the pinned copy, which is the one "
                    "to send.",
                    "x.pin_memory().to(device, non_blocking=True)를 쓰세요: pin_memory는 고정된 메모리에 있는 "
                    "복사본을 반환하고, 보내야 하는 것은 그 복사본입니다.")
    assert_tensor(seen["results"][0], torch.empty(x.shape, dtype=x.dtype, device=META),
                  say("stage_for_device(x, cuda) on a machine with one (faked) CUDA device, each copy to CUDA answered "
                      "with a meta tensor",
                      "CUDA 장치가 하나 있는(채점기가 흉내 낸) 컴퓨터에서 CUDA로의 복사를 meta 텐서로 대신 받은 "
                      "stage_for_device(x, cuda)"), hint=cuda_hint)
    check(seen["pinned"] >= 1, say("stage_for_device(x, cuda) did not pin the tensor before copying it to CUDA.",
                                   "stage_for_device(x, cuda)가 CUDA로 복사하기 전에 텐서를 pin_memory로 고정하지 "
                                   "않았습니다."), cuda_hint)
    check(bool(copies) and all(from_pinned for _, from_pinned in copies),
          say("stage_for_device(x, cuda) called pin_memory() but copied x itself, not the pinned tensor it returned: "
              "pin_memory() returns a new tensor and leaves x where it was.",
              "stage_for_device(x, cuda)가 pin_memory()를 호출했지만 그 반환값인 고정된 텐서가 아니라 x 자체를 "
              "복사했습니다: pin_memory()는 새 텐서를 반환하고 x는 그대로 둡니다."), cuda_hint)
    check(all(non_blocking for non_blocking, _ in copies),
          say("stage_for_device(x, cuda) copied the pinned tensor to CUDA without non_blocking=True: the copy blocks "
              "the host, and pinning bought nothing.",
              "stage_for_device(x, cuda)가 고정된 텐서를 non_blocking=True 없이 CUDA로 복사했습니다: 복사가 호스트를 "
              "멈추게 하므로 메모리를 고정한 이득이 없습니다."), cuda_hint)


# -- real CUDA ----------------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("The batch, the model and new tensors all work on a real GPU",
                   ko="배치, 모델, 새로 만든 텐서가 모두 실제 GPU에서 동작합니다")
def test_batch_and_model_run_on_cuda(impl):
    cuda = torch.device("cuda")
    model = _model().eval()
    batch = _batch()
    expected = model(batch["x"])
    # the same model (its state) built beside the student's code, moved there with to_device and move_model
    seen = batch_and_model_on(impl, model.state_dict(), batch, cuda)
    moved, model = seen["moved"], seen["model"]
    check(all(device == "cuda" for _, _, device in seen["devices"]),
          say("move_model(model, cuda) left some parameters or buffers off the GPU.",
              "move_model(model, cuda) 뒤에도 일부 매개변수나 버퍼가 GPU 밖에 남아 있습니다."))
    x = expect_tensor(moved["x"], "to_device(batch, cuda)['x']")
    check(x.is_cuda and moved["extra"]["ids"][1].is_cuda, say("to_device(batch, cuda) left tensors off the GPU.",
                                                              "to_device(batch, cuda) 뒤에도 GPU 밖에 남은 텐서가 "
                                                              "있습니다."))
    assert_tensor(model(x), expected.detach().to(cuda), say("the model's output on CUDA", "CUDA에서의 모델 출력"),
                  rtol=1e-3, atol=1e-4)
    images = torch.rand(2, 3, 4, 4, device=cuda)
    out = expect_tensor(impl.normalize_channels(images, [0.5] * 3, [0.5] * 3),
                        say("normalize_channels on CUDA", "CUDA에서의 normalize_channels"))
    assert_tensor(out, images * 2 - 1, say("normalize_channels for a CUDA batch", "CUDA 배치에 대한 normalize_channels"))
    assert_tensor(impl.positions_like(torch.zeros(2, 3, dtype=torch.int64, device=cuda)),
                  torch.arange(3, device=cuda).repeat(2, 1), say("positions_like for CUDA tokens",
                                                                 "CUDA에 있는 tokens에 대한 positions_like"))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("stage_for_device pins the tensor, then copies it to CUDA",
                   ko="stage_for_device는 텐서를 pin_memory로 고정한 뒤 CUDA로 복사합니다")
def test_stage_for_device_pins_and_copies_to_cuda(impl):
    x = torch.randn(64, 32)
    seen = stage_counting_pins(impl, x, [torch.device("cuda")], pin=True)  # pin_memory pins for real, counted
    out = seen["results"][0]
    check(seen["pinned"] >= 1, say("stage_for_device(x, cuda) did not pin the tensor before copying.",
                                   "stage_for_device(x, cuda)가 복사하기 전에 텐서를 pin_memory로 고정하지 "
                                   "않았습니다."),
          say("x.pin_memory().to(device, non_blocking=True).", "x.pin_memory().to(device, non_blocking=True)를 쓰세요."))
    assert_tensor(out, x.cuda(), "stage_for_device(x, cuda)")
