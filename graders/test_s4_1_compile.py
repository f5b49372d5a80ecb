"""4.1 torch.compile: the promises of exercises/s4_1_compile.py.

Compiles are counted with a backend that records each graph it is handed and runs it as is; only
one check uses the default (inductor) backend. Dynamo's caches are reset before every check.
"""
import pytest
import torch
import torch._dynamo
from torch import nn

from graders.support.assertions import assert_scalar, assert_tensor, check, expect_tensor, expect_type

_reset = torch._dynamo.reset
_explain = torch._dynamo.explain
_patch_config = torch._dynamo.config.patch


@pytest.fixture(autouse=True)
def fresh_dynamo():
    """Each check starts with empty compile caches and Dynamo's default settings."""
    _reset()
    with _patch_config(capture_scalar_outputs=False, automatic_dynamic_shapes=True):
        yield
    _reset()


class CountingBackend:
    """A torch.compile backend that counts the graphs it compiles and runs them unchanged."""

    def __init__(self):
        self.graphs = 0

    def __call__(self, graph_module, example_inputs):
        self.graphs += 1
        return graph_module.forward


def _mlp(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 12), nn.GELU(), nn.Linear(12, 3))


def _randn(*shape, seed):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def _raised(error):
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0][:300] if str(error).strip() else ''}"


# -- compiling a module and a function ------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.compile
def test_compiled_module_matches_eager_with_the_given_backend(impl):
    model = _mlp()
    backend = CountingBackend()
    compiled = impl.compile_model(model, backend=backend)
    for batch in (4, 4, 7):
        x = _randn(batch, 6, seed=batch)
        with torch.no_grad():
            expected = model(x)
            assert_tensor(compiled(x), expected, f"compile_model(model)(x) for a batch of {batch}")
    check(backend.graphs >= 1, "compile_model(model, backend=b) never handed a graph to the backend b.",
          "Pass the backend on: torch.compile(model, backend=backend).")


def _prints(x):
    y = torch.sin(x) * 2
    print("a graph break")
    return y + 1


@pytest.mark.points(1)
@pytest.mark.compile
def test_compiled_function_refuses_graph_breaks(impl):
    backend = CountingBackend()
    compiled = impl.compile_function(lambda x: torch.cos(x) * x, backend=backend)
    x = _randn(5, seed=1)
    assert_tensor(compiled(x), torch.cos(x) * x, "compile_function(fn)(x) for fn(x) = cos(x) * x")
    check(backend.graphs == 1, f"compile_function(fn, backend=b) should hand b one graph, it handed {backend.graphs}.",
          "Pass the backend on: torch.compile(fn, backend=backend, fullgraph=True).")
    strict = impl.compile_function(_prints, backend="eager")
    try:
        strict(x)
    except NotImplementedError:
        raise
    except torch._dynamo.exc.TorchDynamoException:
        return
    raise AssertionError("compile_function(fn)(x) ran a function that calls print (a graph break) without an "
                         "error.\nHint: compile with fullgraph=True: a graph break then raises instead of "
                         "silently splitting the function into several graphs.")


@pytest.mark.points(1)
@pytest.mark.compile
@pytest.mark.slow
def test_default_inductor_compile_matches_eager(impl):
    def gelu_gate(x, w):
        return torch.nn.functional.gelu(x @ w) * torch.sigmoid(x).sum(-1, keepdim=True)

    compiled = impl.compile_function(gelu_gate)
    x, w = _randn(4, 8, seed=2), _randn(8, 8, seed=3)
    assert_tensor(compiled(x, w), gelu_gate(x, w), "compile_function(fn) with the default backend (inductor)",
                  atol=1e-4, hint="The default backend is inductor: torch.compile(fn, fullgraph=True).")


# -- graph breaks -------------------------------------------------------------------------------
def _no_break(x):
    return torch.relu(x) * 3


def _two_prints(x):
    y = x * 2
    print("first break")
    y = y + 1
    print("second break")
    return y.sin()


def _item(x):
    return x * x.sum().item()


@pytest.mark.points(2)
@pytest.mark.compile
def test_count_graph_breaks_matches_dynamo(impl):
    for fn, breaks, what in ((_no_break, 0, "relu(x) * 3"), (_item, 1, "x * x.sum().item()"),
                             (_prints, 1, "a function with one print"), (_two_prints, 2, "a function with two prints")):
        _reset()
        got = impl.count_graph_breaks(fn, _randn(3, 4, seed=4))
        check(type(got) is int, f"count_graph_breaks should return an int, got {type(got).__name__}.",
              "Return torch._dynamo.explain(fn)(*args).graph_break_count.")
        check(got == breaks, f"count_graph_breaks for {what}: expected {breaks} graph break(s), got {got}.",
              "graph_break_count counts the breaks; graph_count counts the graphs (one more than the breaks).")


class BreakyNet(nn.Module):
    """The grader's copy of the model SmoothNet must reproduce."""

    def __init__(self, features=8, hidden=16):
        super().__init__()
        self.proj = nn.Linear(features, hidden)
        self.head = nn.Linear(hidden, features)

    def forward(self, x):
        h = torch.tanh(self.proj(x))
        h = h / (h.abs().max().item() + 1e-6)
        if h.sum() > 0:
            return self.head(h)
        return self.head(-h)


def _smooth_net(impl):
    torch.manual_seed(5)
    model = expect_type(impl.SmoothNet(5, 12), nn.Module, "SmoothNet(5, 12)")
    reference = BreakyNet(5, 12)
    try:
        reference.load_state_dict(model.state_dict())
    except RuntimeError as error:
        raise AssertionError(f"SmoothNet(5, 12)'s parameters do not match BreakyNet(5, 12)'s: "
                             f"{str(error).splitlines()[0][:300]}\nHint: call super().__init__(features, hidden) "
                             "and add no parameters of your own.") from None
    return model.eval(), reference.eval()


_BREAK_HINTS = (
    ("item", "`.item()` turns a tensor into a Python number: keep the maximum as a 0-d tensor (h.abs().max())."),
    ("print", "Remove the `print`: printing is not a tensor operation."),
    ("jump", "An `if` on a tensor value branches on data: compute both sides and select with "
             "torch.where(h.sum() > 0, a, b)."),
)


@pytest.mark.points(2)
@pytest.mark.compile
def test_smooth_net_has_no_graph_breaks(impl):
    model, _ = _smooth_net(impl)
    explanation = _explain(model)(_randn(4, 5, seed=6))
    texts = [reason.reason.strip() for reason in explanation.break_reasons]
    reasons = [" ".join(line.strip() for line in text.splitlines()[:2]) for text in texts]
    hints = [hint for key, hint in _BREAK_HINTS if any(key in text.lower() for text in texts)]
    check(explanation.graph_break_count == 0 and explanation.graph_count == 1,
          f"torch._dynamo.explain(SmoothNet) found {explanation.graph_break_count} graph break(s): "
          + "; ".join(reasons),
          " ".join(hints) or "Find each break's cause in the reasons above and replace it with tensor operations.")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_smooth_net_matches_breaky_net_on_both_branches(impl):
    model, reference = _smooth_net(impl)
    model, reference = model.double(), reference.double()  # float64: even the 1e-6 in the scale shows
    with torch.no_grad():
        reference.proj.bias.zero_()  # then tanh is odd: x and -x take opposite branches
        model.proj.bias.zero_()
        compiled = torch.compile(model, backend="eager", fullgraph=True)
        x = _randn(6, 5, seed=7).double() + 0.3
        for sign, what in ((1, "x"), (-1, "-x")):
            xs = x * sign
            branch = "the `h` branch" if bool(torch.tanh(reference.proj(xs)).sum() > 0) else "the `-h` branch"
            hint = ("BreakyNet branches on h.sum() > 0 over the whole tensor, one condition for every element: "
                    "torch.where(h.sum() > 0, head(h), head(-h)), not an element-wise condition like h > 0.")
            expected = reference(xs)
            assert_tensor(model(xs), expected, f"SmoothNet(5, 12)({what}) in eager mode ({branch})", hint=hint)
            try:
                out = compiled(xs)
            except NotImplementedError:
                raise
            except torch._dynamo.exc.TorchDynamoException as error:
                raise AssertionError(f"torch.compile(SmoothNet, fullgraph=True) failed: {_raised(error)}\n"
                                     "Hint: a graph break remains; see the graph-break check.") from None
            assert_tensor(out, expected, f"torch.compile(SmoothNet, fullgraph=True)({what}) ({branch})", hint=hint)


# -- dynamic shapes -----------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.compile
def test_predict_batches_compiles_once_for_any_batch_size(impl):
    model = _mlp(seed=8)
    sizes = (2, 3, 5, 8, 13)
    batches = [_randn(size, 6, seed=10 + size) for size in sizes]
    with torch.no_grad():
        expected = [model(x) for x in batches]
    backend = CountingBackend()
    outputs = expect_type(impl.predict_batches(model, [x.clone() for x in batches], backend=backend), (list, tuple),
                          "predict_batches(model, batches)")
    check(len(outputs) == len(sizes), f"predict_batches returned {len(outputs)} outputs for {len(sizes)} batches.")
    for size, out, want in zip(sizes, outputs, expected):
        assert_tensor(out, want, f"predict_batches: the output for the batch of {size}")
    check(backend.graphs == 1,
          f"predict_batches compiled {backend.graphs} graphs for batch sizes {list(sizes)}; expected exactly 1.",
          "Each new batch size fails the shape guard and recompiles: call torch._dynamo.mark_dynamic(x, 0) on "
          "the inputs (or torch.compile(..., dynamic=True)), and compile once, outside the loop."
          if backend.graphs > 1 else "Compile the model with the backend given and call the compiled model.")


# -- saving a compiled model --------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.compile
def test_eager_state_dict_loads_into_a_plain_model(impl):
    model = _mlp(seed=9)
    for what, candidate in (("a compiled model", torch.compile(model, backend="eager")), ("a plain model", model)):
        state = expect_type(impl.eager_state_dict(candidate), dict, f"eager_state_dict({what})")
        check(sorted(state) == sorted(model.state_dict()),
              f"eager_state_dict({what}) should have the keys {sorted(model.state_dict())}, got {sorted(state)}.",
              "A compiled module wraps the original as `_orig_mod`: its keys gain an `_orig_mod.` prefix. "
              "Take the original's state_dict (model._orig_mod) when the model is compiled.")
        fresh = _mlp(seed=99)
        fresh.load_state_dict(state, strict=True)
        x = _randn(3, 6, seed=11)
        with torch.no_grad():
            assert_tensor(fresh(x), model(x), f"a plain model loaded from eager_state_dict({what})")


# -- benchmarking -------------------------------------------------------------------------------
class FakeClock:
    """Virtual time that only moves when the benchmarked function runs, with a log of events."""

    def __init__(self, costs):
        self.costs = costs  # seconds each call costs, by call index (the last repeats)
        self.now = 0.0
        self.calls = 0
        self.events = []

    def fn(self):
        self.now += self.costs[min(self.calls, len(self.costs) - 1)]
        self.calls += 1
        self.events.append("call")

    def timer(self):
        self.events.append("read")
        return self.now

    def sync(self, *args, **kwargs):
        self.events.append("sync")


@pytest.mark.points(2)
@pytest.mark.compile
def test_benchmark_excludes_warmup_calls(impl):
    for warmup, iters in ((3, 20), (2, 5)):
        clock = FakeClock([30.0] + [0.5] * (warmup - 1) + [0.01])  # compile, still warming, then steady
        result = impl.benchmark(clock.fn, warmup=warmup, iters=iters, timer=clock.timer)
        check(clock.calls == warmup + iters,
              f"benchmark(fn, warmup={warmup}, iters={iters}) called fn {clock.calls} times; expected {warmup + iters}.",
              "Call fn `warmup` times untimed, then `iters` times timed.")
        check("read" in clock.events, "benchmark never read the clock it was given (the `timer` argument).",
              "Measure with timer(), the argument, not time.perf_counter directly.")
        assert_scalar(result, 0.01, f"benchmark(fn, warmup={warmup}, iters={iters}) where the first {warmup} calls "
                      "are slow (compilation) and every later call takes 0.01 s", rtol=1e-6, atol=1e-9,
                      hint="Run the warm-up calls before the first reading of the clock: the first calls of a "
                           "compiled function include compilation and must not be timed.")


@pytest.mark.points(1)
@pytest.mark.compile
def test_benchmark_reports_seconds_per_timed_call(impl):
    for warmup, iters in ((1, 4), (0, 7)):
        clock = FakeClock([0.25])
        result = impl.benchmark(clock.fn, warmup=warmup, iters=iters, timer=clock.timer)
        assert_scalar(result, 0.25, f"benchmark(fn, warmup={warmup}, iters={iters}) for calls of 0.25 s each",
                      rtol=1e-6, atol=1e-9,
                      hint="Return the mean time per timed call: the total timed time divided by iters.")
        check(type(result) is float, f"benchmark should return a Python float, got {type(result).__name__}.")


@pytest.mark.points(1)
@pytest.mark.device
def test_benchmark_synchronizes_cuda_before_reading_the_clock(impl, monkeypatch):
    clock = FakeClock([0.1])
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "synchronize", clock.sync)
    if hasattr(torch, "accelerator") and hasattr(torch.accelerator, "synchronize"):
        monkeypatch.setattr(torch.accelerator, "synchronize", clock.sync)
    impl.benchmark(clock.fn, warmup=2, iters=3, timer=clock.timer)
    pending = False  # a call whose (asynchronous, on CUDA) work has not been waited for
    for index, event in enumerate(clock.events):
        if event == "call":
            pending = True
        elif event == "sync":
            pending = False
        elif pending:
            raise AssertionError(
                f"With CUDA available, benchmark read the clock right after calling fn without "
                f"torch.cuda.synchronize() (events: {' '.join(clock.events[:index + 1])}).\n"
                "Hint: CUDA kernels run asynchronously; call torch.cuda.synchronize() after the calls and "
                "before each reading of the clock that follows them (after the warm-up too).")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
def test_compiled_module_matches_eager_on_cuda(impl):
    model = _mlp(seed=12).cuda()
    compiled = impl.compile_model(model, backend="aot_eager")
    x = _randn(5, 6, seed=13).cuda()
    with torch.no_grad():
        out = expect_tensor(compiled(x), "compile_model(model)(x) on CUDA")
        assert_tensor(out, model(x), "compile_model(model)(x) for a CUDA model", atol=1e-5)
    seconds = impl.benchmark(lambda: compiled(x), warmup=2, iters=5)
    check(type(seconds) is float and seconds > 0, f"benchmark of a CUDA model should give a positive float, got "
          f"{seconds!r}.")
