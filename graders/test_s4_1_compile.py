"""4.1 torch.compile: the promises of exercises/s4_1_compile.py.

Compiles are counted with a backend that records each graph it is handed and runs it as is; only
one check uses the default (inductor) backend. Everything that compiles runs beside the student's
code (the @observation functions below, in the student's process), each time with empty compile
caches and Dynamo's default settings. Expected outputs come from the grader's own copies of the
models, built here from the same seeds: nothing the student's code does to its model (compiling it
in place, say) can reach them.
"""
import contextlib

import pytest
import torch
import torch._dynamo
from torch import nn

from graders.support import errors
from graders.support.assertions import assert_scalar, assert_tensor, check, expect_tensor, say
from graders.support.tensors import randn
from ptgrade.remote import Handle, observation


@contextlib.contextmanager
def _fresh_dynamo():
    """Empty compile caches and Dynamo's default settings (whatever the student's module set)."""
    torch._dynamo.reset()
    with torch._dynamo.config.patch(capture_scalar_outputs=False, automatic_dynamic_shapes=True):
        yield
    torch._dynamo.reset()


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


def _kind(value):
    """The type of what the student's code returned, as a student would name it."""
    return value.type_name.rpartition(".")[2] if isinstance(value, Handle) else type(value).__name__


# -- compiling a module and a function ------------------------------------------------------------
@observation
def compiled_mlp_outputs(impl, seed, inputs):
    """compile_model on an _mlp(seed) built beside the student's code, with a counting backend: its
    outputs on `inputs` (without gradients) and how many graphs the backend was handed."""
    with _fresh_dynamo():
        backend = CountingBackend()
        compiled = impl.compile_model(_mlp(seed), backend=backend)
        with torch.no_grad():
            outputs = [compiled(x) for x in inputs]
        return {"outputs": outputs, "graphs": backend.graphs}


@pytest.mark.points(2)
@pytest.mark.compile
@pytest.mark.title("compile_model matches eager outputs and uses the given backend",
                   ko="compile_model은 eager와 같은 출력을 내고 주어진 백엔드를 사용합니다")
def test_compiled_module_matches_eager_with_the_given_backend(impl):
    sizes = (4, 4, 7)
    inputs = [randn(batch, 6, seed=batch) for batch in sizes]
    run = compiled_mlp_outputs(impl, 0, inputs)
    reference = _mlp()  # the grader's own copy: compile_model may compile the student's copy in place
    for batch, x, out in zip(sizes, inputs, run["outputs"]):
        with torch.no_grad():
            expected = reference(x)
        assert_tensor(out, expected, say(f"compile_model(model)(x) for a batch of {batch}",
                                         f"배치 {batch}개에 대한 compile_model(model)(x)"))
    check(run["graphs"] >= 1, say("compile_model(model, backend=b) never handed a graph to the backend b.",
                                  "compile_model(model, backend=b)가 백엔드 b에 그래프를 한 번도 넘기지 않았습니다."),
          say("Pass the backend on: torch.compile(model, backend=backend).",
              "백엔드를 그대로 넘기세요: torch.compile(model, backend=backend)."))


def _prints(x):
    y = torch.sin(x) * 2
    print("a graph break")
    return y + 1


@observation
def compiled_function_run(impl, x):
    """compile_function on cos(x) * x with a counting backend (its output, the graphs compiled), and
    whether compiling a function with a print in it raised Dynamo's error when called."""
    with _fresh_dynamo():
        backend = CountingBackend()
        compiled = impl.compile_function(lambda v: torch.cos(v) * v, backend=backend)
        out = compiled(x)
        graphs = backend.graphs
        strict = impl.compile_function(_prints, backend="eager")
        try:
            strict(x)
        except torch._dynamo.exc.TorchDynamoException:
            refused = True
        else:
            refused = False
        return {"out": out, "graphs": graphs, "graph_break_refused": refused}


@pytest.mark.points(1)
@pytest.mark.compile
@pytest.mark.title("compile_function compiles one graph and refuses graph breaks",
                   ko="compile_function은 하나의 그래프로 컴파일하고 그래프 중단을 거부합니다")
def test_compiled_function_refuses_graph_breaks(impl):
    x = randn(5, seed=1)
    run = compiled_function_run(impl, x)
    assert_tensor(run["out"], torch.cos(x) * x, say("compile_function(fn)(x) for fn(x) = cos(x) * x",
                                                    "fn(x) = cos(x) * x일 때의 compile_function(fn)(x)"))
    check(run["graphs"] == 1, say(f"compile_function(fn, backend=b) should hand b one graph, it handed {run['graphs']}.",
                                  f"compile_function(fn, backend=b)는 b에 그래프 하나를 넘겨야 하는데 {run['graphs']}개를 넘겼습니다."),
          say("Pass the backend on: torch.compile(fn, backend=backend, fullgraph=True).",
              "백엔드를 그대로 넘기세요: torch.compile(fn, backend=backend, fullgraph=True)."))
    check(run["graph_break_refused"],
          say("compile_function(fn)(x) ran a function that calls print (a graph break) without an error.",
              "compile_function(fn)(x)가 print를 호출하는 함수(그래프 중단, graph break)를 오류 없이 실행했습니다."),
          say("compile with fullgraph=True: a graph break then raises instead of silently splitting the function "
              "into several graphs.",
              "fullgraph=True로 컴파일하세요: 그러면 그래프 중단이 생길 때 함수를 조용히 여러 그래프로 나누는 대신 "
              "오류를 발생시킵니다."))


def _gelu_gate(x, w):
    return torch.nn.functional.gelu(x @ w) * torch.sigmoid(x).sum(-1, keepdim=True)


@observation
def default_compiled_output(impl, fn, args):
    """compile_function(fn) with the default backend, called on `args`."""
    with _fresh_dynamo():
        return impl.compile_function(fn)(*args)


@pytest.mark.points(1)
@pytest.mark.compile
@pytest.mark.slow
@pytest.mark.title("compile_function with the default inductor backend matches eager",
                   ko="기본 inductor 백엔드로 컴파일한 compile_function은 eager와 일치합니다")
def test_default_inductor_compile_matches_eager(impl):
    x, w = randn(4, 8, seed=2), randn(8, 8, seed=3)
    assert_tensor(default_compiled_output(impl, _gelu_gate, (x, w)), _gelu_gate(x, w),
                  say("compile_function(fn) with the default backend (inductor)",
                      "기본 백엔드(inductor)를 쓴 compile_function(fn)"),
                  atol=1e-4, hint=say("The default backend is inductor: torch.compile(fn, fullgraph=True).",
                                      "기본 백엔드는 inductor입니다: torch.compile(fn, fullgraph=True)."))


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


@observation
def graph_breaks_counted(impl, fn, x):
    """count_graph_breaks(fn, x), from empty caches and Dynamo's default settings."""
    with _fresh_dynamo():
        return impl.count_graph_breaks(fn, x)


@pytest.mark.points(2)
@pytest.mark.compile
@pytest.mark.title("count_graph_breaks counts the graph breaks Dynamo finds",
                   ko="count_graph_breaks는 Dynamo가 찾은 그래프 중단 수를 셉니다")
def test_count_graph_breaks_matches_dynamo(impl):
    for fn, breaks, what in ((_no_break, 0, "relu(x) * 3"), (_item, 1, "x * x.sum().item()"),
                             (_prints, 1, say("a function with one print",
                                              "print가 하나 있는 함수")), (_two_prints, 2, say("a function with two prints",
                                                                                             "print가 두 개 있는 함수"))):
        got = graph_breaks_counted(impl, fn, randn(3, 4, seed=4))
        check(type(got) is int, say(f"count_graph_breaks should return an int, got {_kind(got)}.",
                                    f"count_graph_breaks는 int를 반환해야 하는데 {_kind(got)}입니다."),
              say("Return torch._dynamo.explain(fn)(*args).graph_break_count.",
                  "torch._dynamo.explain(fn)(*args).graph_break_count를 반환하세요."))
        check(got == breaks, say(f"count_graph_breaks for {what}: expected {breaks} graph break(s), got {got}.",
                                 f"{what}에 대한 count_graph_breaks: 그래프 중단이 {breaks}개여야 하는데 {got}개입니다."),
              say("graph_break_count counts the breaks; graph_count counts the graphs (one more than the breaks).",
                  "graph_break_count는 중단 수를, graph_count는 그래프 수(중단 수보다 하나 많음)를 셉니다."))


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


def _built_smooth_net(impl):
    """(model or None, facts): SmoothNet(5, 12) built after torch.manual_seed(5), in eval mode."""
    torch.manual_seed(5)
    model = impl.SmoothNet(5, 12)
    if not isinstance(model, nn.Module):
        return None, {"module": False, "type": type(model).__name__}
    return model.eval(), {"module": True, "type": type(model).__name__,
                          "state": {k: v.detach().clone() for k, v in model.state_dict().items()}}


def _reference(facts, dtype=torch.float32):
    """The grader's BreakyNet(5, 12) in `dtype`, carrying the weights of the student's SmoothNet(5, 12)."""
    check(facts["module"], say(f"SmoothNet(5, 12) should be a Module, got {facts['type']}.",
                               f"SmoothNet(5, 12)는 Module이어야 하는데 {facts['type']}입니다."))
    reference = BreakyNet(5, 12).to(dtype)
    try:
        reference.load_state_dict(facts["state"])
    except RuntimeError as error:
        raise AssertionError(say(f"SmoothNet(5, 12)'s parameters do not match BreakyNet(5, 12)'s: "
                                 f"{str(error).splitlines()[0][:300]}\nHint: call super().__init__(features, hidden) "
                                 "and add no parameters of your own.",
                                 f"SmoothNet(5, 12)의 매개변수가 BreakyNet(5, 12)의 매개변수와 맞지 않습니다: "
                                 f"{str(error).splitlines()[0][:300]}\n힌트: super().__init__(features, hidden)을 호출하고 "
                                 "매개변수를 따로 추가하지 마세요.")) from None
    return reference.eval()


@observation
def smooth_net_explained(impl, x):
    """SmoothNet(5, 12)'s weights, and what torch._dynamo.explain saw when it ran on x."""
    with _fresh_dynamo():
        model, facts = _built_smooth_net(impl)
        if model is not None:
            explanation = torch._dynamo.explain(model)(x)
            facts.update(graph_break_count=explanation.graph_break_count, graph_count=explanation.graph_count,
                         reasons=[str(reason.reason).strip() for reason in explanation.break_reasons])
        return facts


_BREAK_HINTS = (
    ("item", say("`.item()` turns a tensor into a Python number: keep the maximum as a 0-d tensor (h.abs().max()).",
                 "`.item()`은 텐서를 Python 숫자로 바꿉니다: 최댓값을 0차원 텐서(h.abs().max())로 유지하세요.")),
    ("print", say("Remove the `print`: printing is not a tensor operation.",
                  "`print`를 지우세요: 출력은 텐서 연산이 아닙니다.")),
    ("jump", say("An `if` on a tensor value branches on data: compute both sides and select with "
                 "torch.where(h.sum() > 0, a, b).",
                 "텐서 값에 대한 `if`는 데이터에 따라 분기합니다: 양쪽을 모두 계산하고 "
                 "torch.where(h.sum() > 0, a, b)로 고르세요.")),
)


@pytest.mark.points(2)
@pytest.mark.compile
@pytest.mark.title("SmoothNet compiles as one graph with no graph breaks",
                   ko="SmoothNet은 그래프 중단 없이 하나의 그래프로 컴파일됩니다")
def test_smooth_net_has_no_graph_breaks(impl):
    facts = smooth_net_explained(impl, randn(4, 5, seed=6))
    _reference(facts)
    texts = facts["reasons"]
    reasons = [" ".join(line.strip() for line in text.splitlines()[:2]) for text in texts]
    hints = [hint for key, hint in _BREAK_HINTS if any(key in text.lower() for text in texts)]
    check(facts["graph_break_count"] == 0 and facts["graph_count"] == 1,
          say(f"torch._dynamo.explain(SmoothNet) found {facts['graph_break_count']} graph break(s): ",
              f"torch._dynamo.explain(SmoothNet)이 그래프 중단 {facts['graph_break_count']}개를 찾았습니다: ")
          + "; ".join(reasons),
          " ".join(hints) or say("Find each break's cause in the reasons above and replace it with tensor operations.",
                                 "위의 이유에서 각 중단의 원인을 찾아 텐서 연산으로 바꾸세요."))


@observation
def smooth_net_double_outputs(impl, inputs):
    """SmoothNet(5, 12) in float64 with proj.bias zeroed: its weights, its eager outputs on `inputs`,
    and those of torch.compile(model, backend="eager", fullgraph=True) (or what that raised)."""
    with _fresh_dynamo():
        model, facts = _built_smooth_net(impl)
        if model is None:
            return facts
        model = model.double()
        with torch.no_grad():
            model.proj.bias.zero_()  # then tanh is odd: x and -x take opposite branches
            facts["state"] = {k: v.detach().clone() for k, v in model.state_dict().items()}
            compiled = torch.compile(model, backend="eager", fullgraph=True)
            facts["eager"], facts["compiled"] = [], []
            for x in inputs:
                facts["eager"].append(model(x))
                try:
                    facts["compiled"].append(compiled(x))
                except torch._dynamo.exc.TorchDynamoException as error:
                    facts["compiled"].append(errors.summary(error))
        return facts


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("SmoothNet gives the same outputs as BreakyNet on both branches",
                   ko="SmoothNet은 두 분기 모두에서 BreakyNet과 같은 출력을 냅니다")
def test_smooth_net_matches_breaky_net_on_both_branches(impl):
    x = randn(6, 5, seed=7).double() + 0.3  # float64: even the 1e-6 in the scale shows
    # Single rows too: their h.sum() lands near zero, where a condition other than "> 0" shows.
    rows = list(randn(8, 5, seed=10).double().unsqueeze(1))
    inputs = [x, -x, *rows]
    names = ["x", "-x", *(say(f"row {k}", f"행 {k}") for k in range(len(rows)))]
    facts = smooth_net_double_outputs(impl, inputs)
    reference = _reference(facts, torch.float64)  # the student's weights in float64, proj.bias zeroed
    for xs, what, eager, out in zip(inputs, names, facts["eager"], facts["compiled"]):
        with torch.no_grad():
            branch = say("the `h` branch",
                         "`h` 분기") if bool(torch.tanh(reference.proj(xs)).sum() > 0) else say("the `-h` branch",
                                                                                                 "`-h` 분기")
            expected = reference(xs)
        hint = say("BreakyNet branches on h.sum() > 0 over the whole tensor, one condition for every element: "
                   "torch.where(h.sum() > 0, head(h), head(-h)), not an element-wise condition like h > 0.",
                   "BreakyNet은 텐서 전체에 대한 h.sum() > 0 하나로 모든 원소의 분기를 정합니다: "
                   "h > 0 같은 원소별 조건이 아니라 torch.where(h.sum() > 0, head(h), head(-h))를 쓰세요.")
        assert_tensor(eager, expected, say(f"SmoothNet(5, 12)({what}) in eager mode ({branch})",
                                           f"eager 모드에서 SmoothNet(5, 12)({what}) ({branch})"), hint=hint)
        if isinstance(out, str):
            raise AssertionError(say(f"torch.compile(SmoothNet, fullgraph=True) failed: {out}\n"
                                     "Hint: a graph break remains; see the graph-break check.",
                                     f"torch.compile(SmoothNet, fullgraph=True)이 실패했습니다: {out}\n"
                                     "힌트: 그래프 중단이 남아 있습니다. 그래프 중단 검사를 보세요."))
        assert_tensor(out, expected, f"torch.compile(SmoothNet, fullgraph=True)({what}) ({branch})", hint=hint)


# -- dynamic shapes -----------------------------------------------------------------------------
@observation
def predicted_batches(impl, seed, batches):
    """predict_batches on an _mlp(seed) built beside the student's code, with a counting backend:
    what it returned and how many graphs the backend was handed."""
    with _fresh_dynamo():
        backend = CountingBackend()
        outputs = impl.predict_batches(_mlp(seed), batches, backend=backend)
        return {"outputs": outputs, "graphs": backend.graphs}


@pytest.mark.points(2)
@pytest.mark.compile
@pytest.mark.title("predict_batches compiles once and serves any batch size",
                   ko="predict_batches는 한 번만 컴파일하고 어떤 배치 크기든 처리합니다")
def test_predict_batches_compiles_once_for_any_batch_size(impl):
    model = _mlp(seed=8)
    sizes = (2, 3, 5, 8, 13)
    batches = [randn(size, 6, seed=10 + size) for size in sizes]
    with torch.no_grad():
        expected = [model(x) for x in batches]
    run = predicted_batches(impl, 8, [x.clone() for x in batches])
    outputs, graphs = run["outputs"], run["graphs"]
    check(isinstance(outputs, (list, tuple)),
          say(f"predict_batches(model, batches) should be a list or tuple, got {_kind(outputs)}.",
              f"predict_batches(model, batches)는 list나 tuple이어야 하는데 {_kind(outputs)}입니다."))
    check(len(outputs) == len(sizes), say(f"predict_batches returned {len(outputs)} outputs for {len(sizes)} batches.",
                                          f"predict_batches가 배치 {len(sizes)}개에 대해 출력 {len(outputs)}개를 반환했습니다."))
    for size, out, want in zip(sizes, outputs, expected):
        assert_tensor(out, want, say(f"predict_batches: the output for the batch of {size}",
                                     f"predict_batches: 크기 {size}인 배치에 대한 출력"))
    check(graphs == 1,
          say(f"predict_batches compiled {graphs} graphs for batch sizes {list(sizes)}; expected exactly 1.",
              f"predict_batches가 배치 크기 {list(sizes)}에 대해 그래프를 {graphs}개 컴파일했습니다. 정확히 1개여야 합니다."),
          say("Each new batch size fails the shape guard and recompiles: call torch._dynamo.mark_dynamic(x, 0) on "
              "the inputs (or torch.compile(..., dynamic=True)), and compile once, outside the loop.",
              "새 배치 크기마다 shape 가드(guard)에 걸려 다시 컴파일됩니다: 입력에 torch._dynamo.mark_dynamic(x, 0)을 "
              "호출하고(또는 torch.compile(..., dynamic=True)), 반복문 밖에서 한 번만 컴파일하세요.")
          if graphs > 1 else say("Compile the model with the backend given and call the compiled model.",
                                 "주어진 백엔드로 모델을 컴파일하고, 컴파일된 모델을 호출하세요."))


# -- saving a compiled model --------------------------------------------------------------------
@observation
def eager_state_dicts(impl, seed):
    """eager_state_dict of an _mlp(seed) compiled (eager backend), then of the same model plain."""
    with _fresh_dynamo():
        model = _mlp(seed)
        return [impl.eager_state_dict(torch.compile(model, backend="eager")), impl.eager_state_dict(model)]


@pytest.mark.points(1)
@pytest.mark.compile
@pytest.mark.title("eager_state_dict gives a state_dict a plain model can load",
                   ko="eager_state_dict는 일반 모델이 불러올 수 있는 state_dict를 반환합니다")
def test_eager_state_dict_loads_into_a_plain_model(impl):
    model = _mlp(seed=9)
    states = eager_state_dicts(impl, 9)
    for what, state in zip((say("a compiled model",
                                "컴파일된 모델"), say("a plain model",
                                                    "일반 모델")), states):
        check(isinstance(state, dict), say(f"eager_state_dict({what}) should be a dict, got {_kind(state)}.",
                                           f"eager_state_dict({what})는 dict여야 하는데 {_kind(state)}입니다."))
        check(sorted(state) == sorted(model.state_dict()),
              say(f"eager_state_dict({what}) should have the keys {sorted(model.state_dict())}, got {sorted(state)}.",
                  f"eager_state_dict({what})의 키는 {sorted(model.state_dict())}여야 하는데 {sorted(state)}입니다."),
              say("A compiled module wraps the original as `_orig_mod`: its keys gain an `_orig_mod.` prefix. "
                  "Take the original's state_dict (model._orig_mod) when the model is compiled.",
                  "컴파일된 모듈은 원래 모듈을 `_orig_mod`로 감쌉니다: 키 앞에 `_orig_mod.`가 붙습니다. "
                  "모델이 컴파일되어 있으면 원래 모듈(model._orig_mod)의 state_dict를 가져오세요."))
        fresh = _mlp(seed=99)
        fresh.load_state_dict(state, strict=True)
        x = randn(3, 6, seed=11)
        with torch.no_grad():
            assert_tensor(fresh(x), model(x), say(f"a plain model loaded from eager_state_dict({what})",
                                                  f"eager_state_dict({what})를 불러온 일반 모델"))


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


@observation
def benchmarked_on_a_fake_clock(impl, costs, warmup, iters, cuda=False):
    """benchmark(clock.fn, warmup, iters, timer=clock.timer) on a FakeClock(costs): what it returned,
    how many times it called fn and the clock's log. With cuda=True, CUDA is made to look available
    and its synchronize calls are logged."""
    clock = FakeClock(costs)
    patches = []
    if cuda:
        patches = [(torch.cuda, "is_available", lambda: True), (torch.cuda, "synchronize", clock.sync)]
        if hasattr(torch, "accelerator") and hasattr(torch.accelerator, "synchronize"):
            patches.append((torch.accelerator, "synchronize", clock.sync))
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, value in patches:
            setattr(owner, name, value)
        result = impl.benchmark(clock.fn, warmup=warmup, iters=iters, timer=clock.timer)
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)
    return {"result": result, "calls": clock.calls, "events": list(clock.events)}


@pytest.mark.points(2)
@pytest.mark.compile
@pytest.mark.title("benchmark leaves the warm-up calls out of the timing",
                   ko="benchmark는 워밍업 호출을 시간 측정에서 제외합니다")
def test_benchmark_excludes_warmup_calls(impl):
    for warmup, iters in ((3, 20), (2, 5)):
        costs = [30.0] + [0.5] * (warmup - 1) + [0.01]  # compile, still warming, then steady
        run = benchmarked_on_a_fake_clock(impl, costs, warmup, iters)
        check(run["calls"] == warmup + iters,
              say(f"benchmark(fn, warmup={warmup}, iters={iters}) called fn {run['calls']} times; expected "
                  f"{warmup + iters}.",
                  f"benchmark(fn, warmup={warmup}, iters={iters})가 fn을 {run['calls']}번 호출했습니다. "
                  f"{warmup + iters}번이어야 합니다."), say("Call fn `warmup` times untimed, then `iters` times timed.",
                                        "fn을 시간 측정 없이 `warmup`번 호출한 뒤, 시간을 재며 `iters`번 호출하세요."))
        check("read" in run["events"], say("benchmark never read the clock it was given (the `timer` argument).",
                                           "benchmark가 주어진 시계(`timer` 인자)를 한 번도 읽지 않았습니다."),
              say("Measure with timer(), the argument, not time.perf_counter directly.",
                  "time.perf_counter를 직접 쓰지 말고 인자로 받은 timer()로 재세요."))
        assert_scalar(run["result"], 0.01, say(f"benchmark(fn, warmup={warmup}, iters={iters}) where the first {warmup} "
                                               "calls are slow (compilation) and every later call takes 0.01 s",
                                               f"처음 {warmup}번의 호출은 (컴파일 때문에) 느리고 그 뒤 호출은 모두 0.01초 걸릴 때의 "
                                               f"benchmark(fn, warmup={warmup}, iters={iters})"), rtol=1e-6, atol=1e-9,
                      hint=say("Run the warm-up calls before the first reading of the clock: the first calls of a "
                               "compiled function include compilation and must not be timed.",
                               "시계를 처음 읽기 전에 워밍업 호출을 하세요: 컴파일된 함수의 첫 호출들에는 컴파일 시간이 들어 있으므로 "
                               "측정하면 안 됩니다."))


@pytest.mark.points(1)
@pytest.mark.compile
@pytest.mark.title("benchmark returns the mean seconds per timed call as a float",
                   ko="benchmark는 측정한 호출당 평균 시간(초)을 float로 반환합니다")
def test_benchmark_reports_seconds_per_timed_call(impl):
    for warmup, iters in ((1, 4), (0, 7)):
        result = benchmarked_on_a_fake_clock(impl, [0.25], warmup, iters)["result"]
        assert_scalar(result, 0.25, say(f"benchmark(fn, warmup={warmup}, iters={iters}) for calls of 0.25 s each",
                                        f"호출마다 0.25초 걸릴 때의 benchmark(fn, warmup={warmup}, iters={iters})"),
                      rtol=1e-6, atol=1e-9,
                      hint=say("Return the mean time per timed call: the total timed time divided by iters.",
                               "측정한 호출당 평균 시간을 반환하세요: 측정한 전체 시간을 iters로 나눈 값입니다."))
        check(type(result) is float, say(f"benchmark should return a Python float, got {_kind(result)}.",
                                         f"benchmark는 Python float를 반환해야 하는데 {_kind(result)}입니다."))


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("benchmark synchronizes CUDA before it reads the clock",
                   ko="benchmark는 시간을 읽기 전에 CUDA를 동기화합니다")
def test_benchmark_synchronizes_cuda_before_reading_the_clock(impl):
    events = benchmarked_on_a_fake_clock(impl, [0.1], 2, 3, cuda=True)["events"]
    check(events.count("call") == 5, say(f"benchmark(fn, warmup=2, iters=3) called fn {events.count('call')} times; "
                                         "expected 5.",
                                         f"benchmark(fn, warmup=2, iters=3)가 fn을 {events.count('call')}번 호출했습니다. 5번이어야 합니다."), say("Call fn `warmup` times untimed, then `iters` times timed.",
                             "fn을 시간 측정 없이 `warmup`번 호출한 뒤, 시간을 재며 `iters`번 호출하세요."))
    pending = False  # a call whose (asynchronous, on CUDA) work has not been waited for
    for index, event in enumerate(events):
        if event == "call":
            pending = True
        elif event == "sync":
            pending = False
        elif pending:
            raise AssertionError(
                say(f"With CUDA available, benchmark read the clock right after calling fn without "
                    f"torch.cuda.synchronize() (events: {' '.join(events[:index + 1])}).\n"
                    "Hint: CUDA kernels run asynchronously; call torch.cuda.synchronize() after the calls and "
                    "before each reading of the clock that follows them (after the warm-up too).",
                    f"CUDA를 쓸 수 있는데 benchmark가 fn을 호출한 직후 torch.cuda.synchronize() 없이 시계를 읽었습니다 "
                    f"(이벤트: {' '.join(events[:index + 1])}).\n"
                    "힌트: CUDA 커널은 비동기로 실행됩니다. 호출 뒤, 그리고 그다음 시계를 읽기 전마다 "
                    "torch.cuda.synchronize()를 호출하세요(워밍업 뒤에도)."))


@observation
def cuda_compiled_and_timed(impl, seed, x):
    """compile_model (aot_eager) on a CUDA _mlp(seed): its output on x, and benchmark of that call."""
    with _fresh_dynamo():
        model = _mlp(seed).cuda()
        compiled = impl.compile_model(model, backend="aot_eager")
        with torch.no_grad():
            out = compiled(x)
        return {"out": out, "seconds": impl.benchmark(lambda: compiled(x), warmup=2, iters=5)}


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("compile_model matches eager on CUDA and benchmark times it",
                   ko="compile_model은 CUDA에서 eager와 일치하고 benchmark로 시간을 잽니다")
def test_compiled_module_matches_eager_on_cuda(impl):
    x = randn(5, 6, seed=13).cuda()
    run = cuda_compiled_and_timed(impl, 12, x)
    reference = _mlp(seed=12).cuda()  # the grader's own copy: compile_model may compile in place
    with torch.no_grad():
        out = expect_tensor(run["out"], say("compile_model(model)(x) on CUDA",
                                            "CUDA에서의 compile_model(model)(x)"))
        assert_tensor(out, reference(x), say("compile_model(model)(x) for a CUDA model",
                                             "CUDA 모델에 대한 compile_model(model)(x)"), atol=1e-5)
    seconds = run["seconds"]
    check(type(seconds) is float and seconds > 0, say(f"benchmark of a CUDA model should give a positive float, got "
                                                      f"{seconds!r}.",
                                                      f"CUDA 모델의 benchmark는 양의 float여야 하는데 {seconds!r}입니다."))


# -- is compiling worth it? ---------------------------------------------------------------------
_SPEED_MODES = ("max-autotune", "default", "reduce-overhead")  # not in the default order
_SPEED_COSTS = {"eager": 0.04, "default": 0.02, "reduce-overhead": 0.005, "max-autotune": 0.01}  # virtual s per call
_COMPILE_SECONDS = 60.0  # virtual seconds one compilation costs
_VIRTUAL = None  # the virtual clock of the compare_compile_speed run in progress (in the student's process)


class VirtualTime:
    """A clock that moves only when TimedNet runs eagerly, is compiled, or runs compiled; with a log."""

    def __init__(self, model, example):
        self.now = 0.0
        self.model, self.example = model, example
        self.modes = []  # the mode of each graph the backend compiled
        self.compiled_calls = {}  # mode -> calls of the graph compiled in that mode
        self.eager_calls = self.other_model = self.other_input = 0

    def timer(self):
        return self.now

    def eager(self, model, x):
        self.now += _SPEED_COSTS["eager"]
        self.eager_calls += 1
        self.other_model += model is not self.model
        self.other_input += not (isinstance(x, torch.Tensor) and x.shape == self.example.shape
                                 and torch.equal(x, self.example))


class TimedNet(nn.Module):
    """A small model whose eager calls cost virtual time; its compiled graph leaves that out."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        if not torch.compiler.is_compiling():  # Dynamo reads this as False: not part of the graph
            _VIRTUAL.eager(self, x)
        return torch.tanh(self.lin(x))


class TimingBackend:
    """A backend that records the mode it was asked for, costs _COMPILE_SECONDS of virtual time per graph
    and makes each call of the compiled graph cost that mode's time; the graph runs unchanged."""

    def __call__(self, graph_module, example_inputs, mode="default", options=None):
        clock = _VIRTUAL
        clock.modes.append(mode)
        clock.now += _COMPILE_SECONDS
        cost = _SPEED_COSTS.get(mode, 1.0)

        def run(*args):
            clock.now += cost
            clock.compiled_calls[mode] = clock.compiled_calls.get(mode, 0) + 1
            return graph_module.forward(*args)
        return run


@observation
def compile_speeds_on_a_virtual_clock(impl, x, modes, warmup, iters):
    """compare_compile_speed(TimedNet(), x, modes, warmup, iters) with the virtual clock as `timer` and a
    TimingBackend, from empty caches: what it returned, the modes the backend compiled, the calls of each
    compiled version, and the eager calls (how many, how many on another model or input)."""
    global _VIRTUAL
    torch.manual_seed(14)
    model = TimedNet()
    _VIRTUAL = clock = VirtualTime(model, x)
    try:
        with _fresh_dynamo():
            rows = impl.compare_compile_speed(model, x, modes=modes, warmup=warmup, iters=iters, timer=clock.timer,
                                              backend=TimingBackend())
    finally:
        _VIRTUAL = None
    return {"rows": rows, "modes": clock.modes, "compiled_calls": dict(clock.compiled_calls),
            "eager_calls": clock.eager_calls, "other_model": clock.other_model, "other_input": clock.other_input}


_SPEED_WARMUP, _SPEED_ITERS = 2, 5


@pytest.fixture(scope="module")
def speed_run(impl):
    """One compare_compile_speed run on the virtual clock, read by both of its checks."""
    return compile_speeds_on_a_virtual_clock(impl, randn(3, 4, seed=14), _SPEED_MODES, _SPEED_WARMUP, _SPEED_ITERS)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@pytest.mark.points(1)
@pytest.mark.compile
@pytest.mark.title("compare_compile_speed compiles the model in each mode asked",
                   ko="compare_compile_speed는 요청한 모드마다 모델을 컴파일합니다")
def test_compare_compile_speed_compiles_each_mode(impl, speed_run):
    warmup, iters = _SPEED_WARMUP, _SPEED_ITERS
    run = speed_run
    seen = run["modes"]
    check(seen, say("compare_compile_speed(model, x, modes, backend=b) never handed a graph to the backend b.",
                    "compare_compile_speed(model, x, modes, backend=b)가 백엔드 b에 그래프를 한 번도 넘기지 않았습니다."),
          say("Compile with the backend given: torch.compile(model, backend=backend, mode=mode).",
              "주어진 백엔드로 컴파일하세요: torch.compile(model, backend=backend, mode=mode)."))
    missing = [mode for mode in _SPEED_MODES if mode not in seen]
    check(not missing,
          say(f"compare_compile_speed(model, x, modes={list(_SPEED_MODES)}) compiled graphs in the modes {seen}, "
              f"never with {missing}.",
              f"compare_compile_speed(model, x, modes={list(_SPEED_MODES)})가 모드 {seen}로 그래프를 컴파일했고, "
              f"{missing}로는 한 번도 컴파일하지 않았습니다."),
          say("Pass each mode on to torch.compile (its mode= argument); without it every version is compiled in "
              "the default mode and the comparison compares nothing.",
              "각 모드를 torch.compile에 넘기세요(mode= 인자). 넘기지 않으면 모든 버전이 기본 모드로 컴파일되어 "
              "아무것도 비교하지 않게 됩니다."))
    for mode in _SPEED_MODES:
        calls = run["compiled_calls"].get(mode, 0)
        check(calls >= warmup + iters,
              say(f"compare_compile_speed(..., warmup={warmup}, iters={iters}) called the version compiled in mode "
                  f"{mode!r} {calls} times; benchmark(fn, warmup, iters, timer) calls it {warmup + iters} times.",
                  f"compare_compile_speed(..., warmup={warmup}, iters={iters})가 모드 {mode!r}로 컴파일한 버전을 "
                  f"{calls}번 호출했습니다. benchmark(fn, warmup, iters, timer)는 {warmup + iters}번 호출합니다."),
              say("Time each compiled version with your benchmark, with the warmup and iters given.",
                  "컴파일한 각 버전을 주어진 warmup과 iters로, 여러분의 benchmark로 측정하세요."))


@pytest.mark.points(2)
@pytest.mark.compile
@pytest.mark.title("compare_compile_speed times after warm-up; speed-up is eager / compiled",
                   ko="compare_compile_speed는 워밍업 뒤에 시간을 재고, speed-up은 eager 시간 / 컴파일된 시간입니다")
def test_compare_compile_speed_times_after_warmup_against_eager(impl, speed_run):
    warmup, iters = _SPEED_WARMUP, _SPEED_ITERS
    run = speed_run
    rows, order = run["rows"], ("eager",) + _SPEED_MODES
    check(isinstance(rows, (list, tuple)), say(f"compare_compile_speed should return a list of rows, got {_kind(rows)}.",
                                               f"compare_compile_speed는 행(row)의 list를 반환해야 하는데 {_kind(rows)}입니다."))
    check(all(isinstance(row, dict) and {"mode", "seconds", "speedup"} <= set(row) for row in rows),
          say(f"each row should be a dict with the keys mode, seconds and speedup, got {rows!r}"[:400] + ".",
              f"각 행은 mode, seconds, speedup 키를 가진 dict여야 하는데 {rows!r}"[:400] + "입니다."))
    got = [row["mode"] for row in rows]
    check(got == list(order), say(f"compare_compile_speed(model, x, modes={list(_SPEED_MODES)}) returned rows for the "
                                  f"modes {got}; expected {list(order)}: eager first, then the modes in the order given.",
                                  f"compare_compile_speed(model, x, modes={list(_SPEED_MODES)})가 모드 {got}의 행을 "
                                  f"반환했습니다. eager가 먼저, 그다음 주어진 순서대로의 모드인 {list(order)}여야 합니다."))
    eager_hint = say("Time `model` itself, uncompiled (torch.compile returns a new module: do not compile `model` in "
                     "place with model.compile()), on `example`, with benchmark(fn, warmup, iters, timer).",
                     "컴파일하지 않은 `model` 자체를 `example`로, benchmark(fn, warmup, iters, timer)로 측정하세요"
                     "(torch.compile은 새 모듈을 반환합니다: model.compile()로 `model` 자체를 컴파일하지 마세요).")
    check(run["eager_calls"] > 0, say("compare_compile_speed never ran `model` in eager mode, so the eager row measured "
                                      "something else.",
                                      "compare_compile_speed가 `model`을 eager 모드로 한 번도 실행하지 않았으므로, eager 행은 "
                                      "다른 것을 측정했습니다."), eager_hint)
    check(run["other_model"] == 0, say(f"{run['other_model']} eager call(s) ran another model than the `model` given.",
                                       f"eager 호출 {run['other_model']}번이 주어진 `model`이 아닌 다른 모델을 실행했습니다."),
          eager_hint)
    check(run["other_input"] == 0, say(f"{run['other_input']} eager call(s) ran `model` on another input than `example`.",
                                       f"eager 호출 {run['other_input']}번이 `example`이 아닌 다른 입력으로 `model`을 "
                                       "실행했습니다."), eager_hint)
    costs = say(f"on a clock where a call takes {_SPEED_COSTS['eager']} s eager, "
                + ", ".join(f"{_SPEED_COSTS[mode]} s in mode {mode!r}" for mode in _SPEED_MODES)
                + f" and each compilation {_COMPILE_SECONDS:g} s",
                f"호출 한 번이 eager로 {_SPEED_COSTS['eager']}초, "
                + ", ".join(f"모드 {mode!r}로 {_SPEED_COSTS[mode]}초" for mode in _SPEED_MODES)
                + f" 걸리고 컴파일 한 번에 {_COMPILE_SECONDS:g}초 걸리는 시계에서")
    for row, mode in zip(rows, order):
        want, seconds = _SPEED_COSTS[mode], row["seconds"]
        if mode == "eager":
            hint = eager_hint
        elif _number(seconds) and seconds > want + 1.0:  # calls cost at most 0.04 s: only a compile adds more
            hint = say("The compilation was timed: it happens in the first call of a compiled model, so it belongs "
                       "in benchmark's untimed warm-up (pass the warmup given), never in the measured calls.",
                       "컴파일이 측정되었습니다: 컴파일은 컴파일된 모델의 첫 호출에서 일어나므로, 측정하는 호출이 아니라 "
                       "benchmark의 시간을 재지 않는 워밍업(주어진 warmup을 넘기세요)에 들어가야 합니다.")
        elif _number(seconds) and any(abs(seconds - cost) <= 1e-9 for other, cost in _SPEED_COSTS.items()
                                      if other not in (mode, "eager")):
            hint = say("This row timed a version compiled in another mode: pass the mode to torch.compile "
                       "(mode=mode).",
                       "이 행은 다른 모드로 컴파일한 버전을 측정했습니다: 모드를 torch.compile에 넘기세요(mode=mode).")
        else:
            hint = say("Time each compiled version on `example` with benchmark(fn, warmup, iters, timer), reading "
                       "the clock only through `timer`.",
                       "컴파일한 각 버전을 `example`로 benchmark(fn, warmup, iters, timer)로 측정하고, 시계는 "
                       "`timer`로만 읽으세요.")
        assert_scalar(seconds, want, say(f"the seconds of the {mode!r} row, {costs}",
                                         f"{costs} {mode!r} 행의 seconds"), rtol=1e-6, atol=1e-9, hint=hint)
    eager = _SPEED_COSTS["eager"]
    for row, mode in zip(rows, order):
        want, speedup = eager / _SPEED_COSTS[mode], row["speedup"]
        inverted = _number(speedup) and mode != "eager" and abs(speedup - 1 / want) <= 1e-6 / want
        hint = say("The speed-up is inverted: it is eager seconds / compiled seconds (above 1.0 when the compiled "
                   "model is faster), not compiled / eager.",
                   "speed-up이 뒤집혔습니다: 컴파일된 시간 / eager 시간이 아니라 eager 시간 / 컴파일된 시간입니다"
                   "(컴파일된 모델이 더 빠르면 1.0보다 큽니다).") if inverted else \
            say("speedup = the eager row's seconds / this row's seconds (1.0 for eager itself).",
                "speedup = eager 행의 seconds / 이 행의 seconds입니다(eager 자신은 1.0).")
        assert_scalar(speedup, want, say(f"the speed-up of the {mode!r} row ({eager} s per call eager, "
                                         f"{_SPEED_COSTS[mode]} s in mode {mode!r})",
                                         f"{mode!r} 행의 speed-up(호출 한 번에 eager로 {eager}초, 모드 {mode!r}로 "
                                         f"{_SPEED_COSTS[mode]}초)"), rtol=1e-6, atol=1e-9, hint=hint)


class LaunchBound(nn.Module):
    """Many tiny element-wise operations on a small tensor: in eager mode each one is a kernel launch, so
    the launches, not the arithmetic, take the time."""

    def forward(self, x):
        for step in range(32):
            x = torch.sin(x) * 0.9 + 0.01 * step
        return x


@observation
def launch_bound_speeds_on_cuda(impl, x):
    """compare_compile_speed(LaunchBound(), x, modes=("reduce-overhead",)) with the default backend and
    clock, from empty caches: the rows it returned."""
    with _fresh_dynamo():
        return impl.compare_compile_speed(LaunchBound(), x, modes=("reduce-overhead",), warmup=5, iters=200)


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.compile
@pytest.mark.title("reduce-overhead beats eager on a launch-bound model on CUDA",
                   ko="CUDA에서 reduce-overhead 모드는 커널 실행이 많은 모델에서 eager보다 빠릅니다")
def test_reduce_overhead_beats_eager_on_a_launch_bound_model(impl):
    x = randn(256, seed=15).cuda()
    rows = launch_bound_speeds_on_cuda(impl, x)
    check(isinstance(rows, (list, tuple)) and len(rows) == 2
          and all(isinstance(row, dict) and _number(row.get("seconds")) and row["seconds"] > 0
                  and _number(row.get("speedup")) for row in rows),
          say(f"compare_compile_speed(model, x, modes=('reduce-overhead',)) should return two rows (eager, "
              f"reduce-overhead) with positive seconds and a speedup, got {rows!r}"[:400] + ".",
              f"compare_compile_speed(model, x, modes=('reduce-overhead',))는 양수 seconds와 speedup을 가진 두 행"
              f"(eager, reduce-overhead)을 반환해야 하는데 {rows!r}"[:400] + "입니다."))
    eager, graphs = rows
    ratio = eager["seconds"] / graphs["seconds"]
    check(abs(graphs["speedup"] - ratio) <= 1e-3 * ratio,
          say(f"the reduce-overhead row's speedup is {graphs['speedup']:.4g}, but its eager / compiled seconds give "
              f"{ratio:.4g}.",
              f"reduce-overhead 행의 speedup은 {graphs['speedup']:.4g}인데, eager / 컴파일된 seconds는 "
              f"{ratio:.4g}입니다."),
          say("speedup = the eager row's seconds / this row's seconds.",
              "speedup = eager 행의 seconds / 이 행의 seconds입니다."))
    check(ratio >= 2.0,
          say(f"On CUDA, mode 'reduce-overhead' ran a launch-bound model (96 tiny element-wise operations on 256 "
              f"numbers) only {ratio:.2f} times as fast as eager ({eager['seconds'] * 1e6:.0f} µs against "
              f"{graphs['seconds'] * 1e6:.0f} µs per call); CUDA graphs should make it at least 2 times as fast.",
              f"CUDA에서 'reduce-overhead' 모드가 커널 실행이 많은 모델(숫자 256개에 대한 작은 원소별 연산 96개)을 "
              f"eager보다 {ratio:.2f}배만 빠르게 실행했습니다(호출 한 번에 {eager['seconds'] * 1e6:.0f} µs 대 "
              f"{graphs['seconds'] * 1e6:.0f} µs). CUDA 그래프라면 적어도 2배는 빨라야 합니다."),
          say("Compile with mode=mode and the backend given, keep the compilation and the CUDA graph recording "
              "in the untimed warm-up, and synchronize CUDA before reading the clock.",
              "mode=mode와 주어진 백엔드로 컴파일하고, 컴파일과 CUDA 그래프 기록은 시간을 재지 않는 워밍업에 두며, "
              "시계를 읽기 전에 CUDA를 동기화하세요."))
