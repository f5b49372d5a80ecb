"""4.1 torch.compile: what the student's process observes.

Everything that compiles runs here, beside the student's code, each time with empty compile caches and Dynamo's
default settings: the student's compile_model, compile_function, predict_batches and SmoothNet given the grader's
marking backends (each graph's outputs carry k * delta, delta sent by the judge) or inductor with a pass that marks
its outputs, on small models and functions built here from seeds (the judge builds its own copies); count_graph_breaks
on the grader's functions and on drawn ones (their source sent by the judge); eager_state_dict; benchmark on a fake
clock and compare_compile_speed on a virtual one (their costs sent by the judge), and both on CUDA. It returns what
it saw; the checks in graders/test_s4_1_compile.py read the marks and compute the expected numbers themselves.
"""
import contextlib

import torch
import torch._dynamo
from torch import nn

from graders.support.raised import explaining_line
from ptgrade.protocol.observation import observation


@contextlib.contextmanager
def _fresh_dynamo():
    """Empty compile caches and Dynamo's default settings (whatever the student's module set)."""
    torch._dynamo.reset()
    with torch._dynamo.config.patch(capture_scalar_outputs=False, automatic_dynamic_shapes=True):
        yield
    torch._dynamo.reset()


def marking_backend(delta: float):
    """A torch.compile backend that runs each graph it is handed unchanged and adds k * delta to every floating-point
    output of the k-th graph it compiled (k = 1, 2, ...): an output that carries a mark went through that graph."""
    compiled = [0]

    def backend(graph_module, example_inputs):
        compiled[0] += 1
        mark = compiled[0] * delta

        def run(*args):
            outputs = graph_module.forward(*args)
            marked = [o + mark if isinstance(o, torch.Tensor) and o.is_floating_point() else o for o in outputs]
            return type(outputs)(marked) if isinstance(outputs, tuple) else marked
        return run
    return backend


def _mlp(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 12), nn.GELU(), nn.Linear(12, 3))


def drawn_function(source: str):
    """The function `f` the drawn source defines (with torch in its globals), wherever it runs."""
    namespace = {"torch": torch}
    exec(compile(source, f"<drawn {abs(hash(source)) % 10 ** 8}>", "exec"), namespace)  # noqa: S102 - the grader's own
    return namespace["f"]


# -- compiling a module and a function -------------------------------------------------------------
@observation
def compiled_mlp_outputs(impl, seed, inputs, delta):
    """compile_model on an _mlp(seed) built beside the student's code, with a marking backend: its outputs on
    `inputs` (without gradients)."""
    with _fresh_dynamo():
        compiled = impl.compile_model(_mlp(seed), backend=marking_backend(delta))
        with torch.no_grad():
            return {"outputs": [compiled(x) for x in inputs]}


def _prints(x):
    y = torch.sin(x) * 2
    print("a graph break")
    return y + 1


@observation
def compiled_function_run(impl, x, delta, breaking):
    """compile_function on cos(x) * x with a marking backend (its output), and, for the function with a print and each
    drawn function with a graph break (sources), whether calling its compile_function raised Dynamo's error."""
    with _fresh_dynamo():
        out = impl.compile_function(lambda v: torch.cos(v) * v, backend=marking_backend(delta))(x)
    refused = []
    for source in [None, *breaking]:
        with _fresh_dynamo():
            strict = impl.compile_function(_prints if source is None else drawn_function(source),
                                           backend=marking_backend(delta))
            try:
                strict(x)
            except torch._dynamo.exc.TorchDynamoException:
                refused.append(True)
            else:
                refused.append(False)
    return {"out": out, "refused": refused}


def _gelu_gate(x, w):
    return torch.nn.functional.gelu(x @ w) * torch.sigmoid(x).sum(-1, keepdim=True)


try:  # a CustomGraphPass with a uuid keeps inductor's FX graph cache on (a plain callable turns it off)
    from torch._inductor.custom_graph_pass import CustomGraphPass as _GraphPass
except ImportError:  # pragma: no cover - older torch
    _GraphPass = object


class InductorMark(_GraphPass):
    """An inductor post-grad pass (torch._inductor.config.post_grad_custom_post_pass) that adds `delta` to every
    floating-point output of the graph inductor compiles: the outputs carry it only if inductor compiled them."""

    def __init__(self, delta: float):
        self.delta = delta

    def __call__(self, graph):
        output = next(node for node in graph.nodes if node.op == "output")
        marked = []
        for value in output.args[0]:
            meta = getattr(value, "meta", {}).get("val") if isinstance(value, torch.fx.Node) else None
            if isinstance(meta, torch.Tensor) and meta.is_floating_point():
                with graph.inserting_before(output):
                    value = graph.call_function(torch.ops.aten.add.Tensor, (value, self.delta))
            marked.append(value)
        output.args = (tuple(marked),)

    def uuid(self):
        return ("ptgrade-inductor-mark", self.delta)


@observation
def default_compiled_output(impl, fn, args, delta):
    """compile_function(fn) with the default backend, called on `args`, with inductor marking what it compiles."""
    import torch._inductor.config
    with _fresh_dynamo(), torch._inductor.config.patch(post_grad_custom_post_pass=InductorMark(delta)):
        return impl.compile_function(fn)(*args)


# -- graph breaks ----------------------------------------------------------------------------------
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
    """count_graph_breaks(fn, x), from empty caches and Dynamo's default settings; `fn` a function, or the source of
    a drawn one."""
    with _fresh_dynamo():
        return impl.count_graph_breaks(drawn_function(fn) if isinstance(fn, str) else fn, x)




def _built_smooth_net(impl):
    """(model or None, facts): SmoothNet(5, 12) built after torch.manual_seed(5), in eval mode."""
    torch.manual_seed(5)
    model = impl.SmoothNet(5, 12)
    if not isinstance(model, nn.Module):
        return None, {"module": False, "type": type(model).__name__}
    return model.eval(), {"module": True, "type": type(model).__name__,
                          "state": {k: v.detach().clone() for k, v in model.state_dict().items()}}


@observation
def smooth_net_explained(impl, x, delta):
    """SmoothNet(5, 12)'s weights; its eager output on x and that of torch.compile(model, fullgraph=True) with a
    marking backend (or what that raised); what torch._dynamo.explain saw when it ran on x (for the message)."""
    with _fresh_dynamo():
        model, facts = _built_smooth_net(impl)
        if model is None:
            return facts
        with torch.no_grad():
            facts["eager"] = model(x)
            try:
                facts["compiled"] = torch.compile(model, backend=marking_backend(delta), fullgraph=True)(x)
            except torch._dynamo.exc.TorchDynamoException as error:
                facts["compiled"] = explaining_line(error)
    with _fresh_dynamo():
        explanation = torch._dynamo.explain(model)(x)
        facts.update(graph_break_count=explanation.graph_break_count, graph_count=explanation.graph_count,
                     reasons=[str(reason.reason).strip() for reason in explanation.break_reasons])
    return facts


@observation
def smooth_net_double_outputs(impl, inputs, delta):
    """SmoothNet(5, 12) in float64 with proj.bias zeroed: its weights, its eager outputs on `inputs`,
    and those of torch.compile(model, backend=<a marking backend>, fullgraph=True) (or what that raised)."""
    with _fresh_dynamo():
        model, facts = _built_smooth_net(impl)
        if model is None:
            return facts
        model = model.double()
        with torch.no_grad():
            model.proj.bias.zero_()  # then tanh is odd: x and -x take opposite branches
            facts["state"] = {k: v.detach().clone() for k, v in model.state_dict().items()}
            compiled = torch.compile(model, backend=marking_backend(delta), fullgraph=True)
            facts["eager"], facts["compiled"] = [], []
            for x in inputs:
                facts["eager"].append(model(x))
                try:
                    facts["compiled"].append(compiled(x))
                except torch._dynamo.exc.TorchDynamoException as error:
                    facts["compiled"].append(explaining_line(error))
        return facts


# -- dynamic shapes --------------------------------------------------------------------------------
@observation
def predicted_batches(impl, seed, batches, delta):
    """predict_batches on an _mlp(seed) built beside the student's code, with a marking backend: what it returned."""
    with _fresh_dynamo():
        return {"outputs": impl.predict_batches(_mlp(seed), batches, backend=marking_backend(delta))}


# -- saving a compiled model -----------------------------------------------------------------------
@observation
def eager_state_dicts(impl, seed):
    """eager_state_dict of an _mlp(seed) compiled (eager backend), then of the same model plain."""
    with _fresh_dynamo():
        model = _mlp(seed)
        return [impl.eager_state_dict(torch.compile(model, backend="eager")), impl.eager_state_dict(model)]


# -- benchmarking ----------------------------------------------------------------------------------
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


@observation
def cuda_compiled_and_timed(impl, seed, x, delta):
    """compile_model (a marking backend) on a CUDA _mlp(seed): its output on x, and benchmark of that call."""
    with _fresh_dynamo():
        model = _mlp(seed).cuda()
        compiled = impl.compile_model(model, backend=marking_backend(delta))
        with torch.no_grad():
            out = compiled(x)
        return {"out": out, "seconds": impl.benchmark(lambda: compiled(x), warmup=2, iters=5)}


# -- is compiling worth it? ------------------------------------------------------------------------
_COMPILE_SECONDS = 60.0  # virtual seconds one compilation costs
_VIRTUAL = None  # the virtual clock of the compare_compile_speed run in progress (in the student's process)


class VirtualTime:
    """A clock that moves only when TimedNet runs eagerly, is compiled, or runs compiled; with a log."""

    def __init__(self, model, example, costs):
        self.now = 0.0
        self.model, self.example, self.costs = model, example, dict(costs)
        self.modes = []  # the mode of each graph the backend compiled
        self.compiled_calls = {}  # mode -> calls of the graph compiled in that mode
        self.eager_calls = self.other_model = self.other_input = 0

    def timer(self):
        return self.now

    def eager(self, model, x):
        self.now += self.costs["eager"]
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
        cost = clock.costs.get(mode, 1.0)

        def run(*args):
            clock.now += cost
            clock.compiled_calls[mode] = clock.compiled_calls.get(mode, 0) + 1
            return graph_module.forward(*args)
        return run


@observation
def compile_speeds_on_a_virtual_clock(impl, x, modes, warmup, iters, costs):
    """compare_compile_speed(TimedNet(), x, modes, warmup, iters) with the virtual clock as `timer` and a
    TimingBackend, from empty caches: what it returned, the modes the backend compiled, the calls of each
    compiled version, and the eager calls (how many, how many on another model or input)."""
    global _VIRTUAL
    torch.manual_seed(14)
    model = TimedNet()
    _VIRTUAL = clock = VirtualTime(model, x, costs)
    try:
        with _fresh_dynamo():
            rows = impl.compare_compile_speed(model, x, modes=modes, warmup=warmup, iters=iters, timer=clock.timer,
                                              backend=TimingBackend())
    finally:
        _VIRTUAL = None
    return {"rows": rows, "modes": clock.modes, "compiled_calls": dict(clock.compiled_calls),
            "eager_calls": clock.eager_calls, "other_model": clock.other_model, "other_input": clock.other_input}


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
