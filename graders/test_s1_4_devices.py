"""1.4 Devices: the promises each function of exercises/s1_4_devices.py must keep.

Without a GPU the grader fakes what torch reports (monkeypatch, undone inside each check) and
proves device-following on the `meta` device; the `gpu` checks move real tensors on CUDA.
"""
import pytest
import torch
from torch import nn

from graders.support.assertions import assert_tensor, check, expect_tensor, expect_type

META = torch.device("meta")
_real_pin_memory = torch.Tensor.pin_memory


def _fake_machine(m, cuda: int, mps: bool = False) -> None:
    """Make torch report `cuda` CUDA devices (0: none) and MPS present or not."""
    m.setattr(torch.cuda, "is_available", lambda: cuda > 0)
    m.setattr(torch.cuda, "device_count", lambda: cuda)
    m.setattr(torch.backends.mps, "is_available", lambda: mps)


def _call(what, fn, *args, hint):
    """Call student code; a device error (mixed devices, no driver) becomes a failure with a hint."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise
    except (RuntimeError, AssertionError) as error:
        raise AssertionError(f"{what} raised {type(error).__name__}: {str(error).strip().splitlines()[0]}\n"
                             f"Hint: {hint}") from None


def _same_device(device, expected: torch.device) -> bool:
    return isinstance(device, torch.device) and device.type == expected.type and \
        (device.index == expected.index or {device.index, expected.index} <= {None, 0})


# -- choosing a device --------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.device
def test_resolve_device_prefers_cuda_then_mps_then_cpu(impl, monkeypatch):
    if torch.cuda.is_available():
        real = torch.device("cuda")
    else:
        real = torch.device("mps") if torch.backends.mps.is_available() else torch.device("cpu")
    got = impl.resolve_device("auto")
    check(_same_device(got, real), f"resolve_device('auto') on this machine: expected {real}, got {got!r}.",
          "Return a torch.device chosen from torch.cuda.is_available() and torch.backends.mps.is_available(); "
          "do not hard-code 'cuda'.")
    for cuda, mps, expected in ((2, True, torch.device("cuda")), (0, True, torch.device("mps")),
                                (0, False, torch.device("cpu")), (1, False, torch.device("cuda"))):
        with monkeypatch.context() as m:
            _fake_machine(m, cuda, mps)
            got = impl.resolve_device("auto")
        machine = f"{cuda} CUDA device(s), MPS {'present' if mps else 'absent'}"
        check(_same_device(got, expected), f"resolve_device('auto') on a machine with {machine}: expected "
              f"{expected}, got {got!r}.",
              "Ask torch.cuda.is_available() first, then torch.backends.mps.is_available(), at call time; do not "
              "hard-code 'cuda' or decide once at import.")


def _expect_value_error(impl, spec, machine):
    try:
        got = impl.resolve_device(spec)
    except NotImplementedError:
        raise
    except ValueError:
        return
    except Exception as error:  # noqa: BLE001 - any other exception is the wrong promise
        got = f"{type(error).__name__}: {error}"
    raise AssertionError(f"resolve_device({spec!r}) on a machine with {machine}: expected a ValueError, got "
                         f"{got!r}.\nHint: check torch.cuda.is_available() and the index against "
                         "torch.cuda.device_count(), and raise ValueError with a sentence a user can act on.")


@pytest.mark.points(1)
@pytest.mark.device
def test_resolve_device_refuses_a_gpu_that_is_not_there(impl, monkeypatch):
    with monkeypatch.context() as m:
        _fake_machine(m, 0)
        _expect_value_error(impl, "cuda", "no CUDA")
        got = impl.resolve_device("cpu")
        check(_same_device(got, torch.device("cpu")), f"resolve_device('cpu'): expected cpu, got {got!r}.")
    with monkeypatch.context() as m:
        _fake_machine(m, 2)
        got = impl.resolve_device("cuda:1")
        check(_same_device(got, torch.device("cuda", 1)), f"resolve_device('cuda:1') with 2 CUDA devices: "
              f"expected cuda:1, got {got!r}.", "Keep the index the user asked for: torch.device(spec).")
        _expect_value_error(impl, "cuda:2", "2 CUDA devices (indices 0 and 1)")
    got = impl.resolve_device("meta")
    check(_same_device(got, META), f"resolve_device('meta'): expected meta, got {got!r}.")


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
        got = expect_tensor(got, f"to_device(batch, meta){where}")
        check(got.device.type == "meta" and got.dtype == want.dtype and got.shape == want.shape,
              f"to_device(batch, meta){where}: expected a {tuple(want.shape)} {want.dtype} tensor on meta, got "
              f"{tuple(got.shape)} {got.dtype} on {got.device}.",
              "tensor.to(device) returns a moved copy and leaves the tensor where it was: use its result "
              "(value = value.to(device)), for every tensor of the structure.")
        return
    check(type(got) is type(want), f"to_device(batch, meta){where}: expected a {type(want).__name__}, got "
          f"{type(got).__name__}.", "Rebuild each container with its own type; leave non-tensors as they are.")
    if isinstance(want, dict):
        check(set(got) == set(want), f"to_device(batch, meta){where}: expected keys {sorted(want)}, got "
              f"{sorted(got)}.")
        for key in want:
            _walk(got[key], want[key], f"{where}[{key!r}]")
    elif isinstance(want, (list, tuple)):
        check(len(got) == len(want), f"to_device(batch, meta){where}: expected {len(want)} items, got {len(got)}.")
        for index, (g, w) in enumerate(zip(got, want)):
            _walk(g, w, f"{where}[{index}]")
    else:
        check(got == want, f"to_device(batch, meta){where}: expected {want!r} unchanged, got {got!r}.")


@pytest.mark.points(2)
@pytest.mark.device
def test_to_device_moves_every_tensor_of_a_nested_batch(impl):
    batch = _batch()
    moved = _call("to_device(batch, meta)", impl.to_device, batch, META,
                  hint="Move tensors with .to(device); never .cuda(), which only knows one kind of device.")
    _walk(moved, _batch(), "")
    check(batch["x"].device.type == "cpu" and batch["extra"]["ids"][0].device.type == "cpu",
          "to_device(batch, meta) changed the caller's batch; it should return a new structure.")
    single = expect_tensor(impl.to_device(torch.ones(3, dtype=torch.int32), META), "to_device(tensor, meta)")
    check(single.device.type == "meta" and single.dtype == torch.int32,
          f"to_device(t, meta) for a bare int32 tensor: expected int32 on meta, got {single.dtype} on {single.device}.",
          "A tensor on its own is a batch too: return tensor.to(device).")


@pytest.mark.points(1)
@pytest.mark.device
def test_move_model_moves_parameters_and_buffers(impl):
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    moved = expect_type(_call("move_model(model, meta)", impl.move_model, model, META,
                              hint="Use model.to(device); never .cuda()."), nn.Module, "move_model(model, meta)")
    for label, module in (("the returned model", moved), ("the model passed in", model)):
        for kind, named in (("parameter", module.named_parameters()), ("buffer", module.named_buffers())):
            for name, tensor in named:
                check(tensor.device.type == "meta",
                      f"after move_model(model, meta), {label}'s {kind} {name} is on {tensor.device}, expected meta.",
                      "model.to(device) moves every parameter and buffer (BatchNorm's running_mean, running_var) "
                      "in place. p.to(device) on one parameter returns a copy and moves nothing, and moving only "
                      "model.parameters() leaves the buffers behind.")


# -- new tensors follow the input ---------------------------------------------------------------

@pytest.mark.points(1)
@pytest.mark.device
def test_positions_follow_the_tokens_device(impl):
    tokens = torch.randint(0, 100, (3, 5))
    assert_tensor(impl.positions_like(tokens), torch.arange(5).repeat(3, 1), "positions_like(tokens) for (3, 5) "
                  "tokens", hint="out[b, t] = t: torch.arange(time) broadcast (expand) over the batch.")
    meta_tokens = torch.empty(2, 7, dtype=torch.int64, device=META)
    out = expect_tensor(_call("positions_like(tokens on meta)", impl.positions_like, meta_tokens,
                              hint="Create the positions with device=tokens.device."), "positions_like(tokens)")
    check(out.device.type == "meta" and out.dtype == torch.int64 and tuple(out.shape) == (2, 7),
          f"positions_like(tokens) for (2, 7) tokens on the meta device: expected a (2, 7) int64 tensor on meta, "
          f"got {tuple(out.shape)} {out.dtype} on {out.device}.",
          "torch.arange(n) alone is created on the CPU: pass device=tokens.device.")


_NORMALIZE_HINT = ("Create mean and std with torch.tensor(..., dtype=x.dtype, device=x.device) (or x.new_tensor(...)), "
                   "and view them as (C, 1, 1): a plain (C,) vector broadcasts along the last axis, W, not C.")


@pytest.mark.points(1)
@pytest.mark.numerics
def test_normalize_channels_values(impl):
    generator = torch.Generator().manual_seed(1)
    mean, std = [0.5, -1.0, 2.0], [0.25, 2.0, 4.0]
    for shape in ((2, 3, 3, 3), (1, 3, 2, 5)):  # H = W = C first: a wrong broadcast keeps the shape
        x = torch.randn(shape, generator=generator, dtype=torch.float64)
        expected = torch.stack([(x[:, c] - mean[c]) / std[c] for c in range(3)], dim=1)
        assert_tensor(impl.normalize_channels(x, mean, std), expected,
                      f"normalize_channels(x, mean, std) for float64 x of shape {shape}", hint=_NORMALIZE_HINT)


@pytest.mark.points(2)
@pytest.mark.device
def test_normalize_channels_follows_input_dtype_and_device(impl):
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    x = torch.empty(2, 3, 4, 4, dtype=torch.bfloat16, device=META)
    out = expect_tensor(_call("normalize_channels(x on meta)", impl.normalize_channels, x, mean, std,
                              hint=_NORMALIZE_HINT), "normalize_channels(x, mean, std)")
    check(out.device.type == "meta" and out.dtype == torch.bfloat16 and tuple(out.shape) == (2, 3, 4, 4),
          f"normalize_channels for a (2, 3, 4, 4) bfloat16 batch on the meta device: expected bfloat16 on meta, got "
          f"{tuple(out.shape)} {out.dtype} on {out.device}.", _NORMALIZE_HINT)
    half = torch.rand(2, 3, 4, 4, generator=torch.Generator().manual_seed(2)).to(torch.float16)
    out = expect_tensor(impl.normalize_channels(half, mean, std), "normalize_channels(x, mean, std)")
    check(out.dtype == torch.float16, f"normalize_channels for a float16 CPU batch returned {out.dtype}; expected "
          "float16 (a float32 constant promotes the result).", _NORMALIZE_HINT)


# -- pinned memory ------------------------------------------------------------------------------

@pytest.mark.points(1)
@pytest.mark.device
def test_stage_for_device_pins_only_for_cuda(impl, monkeypatch):
    x = torch.randn(4, 3, generator=torch.Generator().manual_seed(3))
    pinned = []
    with monkeypatch.context() as m:
        _fake_machine(m, 1)  # even where CUDA exists, a copy to the CPU or meta needs no pinning
        m.setattr(torch.Tensor, "pin_memory", lambda self, *a, **k: (pinned.append(1), self)[1])
        to_cpu = impl.stage_for_device(x, torch.device("cpu"))
        to_meta = impl.stage_for_device(x, META)
    hint = "Pin only when device.type == 'cuda': pinning needs CUDA and is pure overhead for any other target."
    check(not pinned, f"stage_for_device(x, cpu/meta) called pin_memory() {len(pinned)} time(s).", hint)
    assert_tensor(to_cpu, x, "stage_for_device(x, cpu)", hint=hint)
    to_meta = expect_tensor(to_meta, "stage_for_device(x, meta)")
    check(to_meta.device.type == "meta" and to_meta.shape == x.shape and to_meta.dtype == x.dtype,
          f"stage_for_device(x, meta): expected a (4, 3) float32 tensor on meta, got {tuple(to_meta.shape)} "
          f"{to_meta.dtype} on {to_meta.device}.", "Return x.to(device) (and use the result).")


# -- real CUDA ----------------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.gpu
@pytest.mark.device
def test_batch_and_model_run_on_cuda(impl):
    cuda = torch.device("cuda")
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).eval()
    batch = _batch()
    expected = model(batch["x"])
    moved = impl.to_device(batch, cuda)
    model = impl.move_model(model, cuda)
    check(all(t.is_cuda for t in list(model.parameters()) + list(model.buffers())),
          "move_model(model, cuda) left some parameters or buffers off the GPU.")
    x = expect_tensor(moved["x"], "to_device(batch, cuda)['x']")
    check(x.is_cuda and moved["extra"]["ids"][1].is_cuda, "to_device(batch, cuda) left tensors off the GPU.")
    assert_tensor(model(x), expected.detach().to(cuda), "the model's output on CUDA", rtol=1e-3, atol=1e-4)
    images = torch.rand(2, 3, 4, 4, device=cuda)
    out = expect_tensor(impl.normalize_channels(images, [0.5] * 3, [0.5] * 3), "normalize_channels on CUDA")
    assert_tensor(out, images * 2 - 1, "normalize_channels for a CUDA batch")
    assert_tensor(impl.positions_like(torch.zeros(2, 3, dtype=torch.int64, device=cuda)),
                  torch.arange(3, device=cuda).repeat(2, 1), "positions_like for CUDA tokens")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
def test_stage_for_device_pins_and_copies_to_cuda(impl, monkeypatch):
    x = torch.randn(64, 32)
    pinned = []
    with monkeypatch.context() as m:
        m.setattr(torch.Tensor, "pin_memory", lambda self, *a, **k: (pinned.append(1), _real_pin_memory(self, *a, **k))[1])
        out = impl.stage_for_device(x, torch.device("cuda"))
    check(len(pinned) >= 1, "stage_for_device(x, cuda) did not pin the tensor before copying.",
          "x.pin_memory().to(device, non_blocking=True).")
    assert_tensor(out, x.cuda(), "stage_for_device(x, cuda)")
