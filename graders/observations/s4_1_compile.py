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

from graders.support import pristine
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
    `inputs` (without gradients), and whether what it returned is a module (the name of its class)."""
    with _fresh_dynamo():
        compiled = impl.compile_model(_mlp(seed), backend=marking_backend(delta))
        with torch.no_grad():
            return {"outputs": [compiled(x) for x in inputs], "module": pristine.is_instance(compiled, nn.Module),
                    "type": pristine.class_name(compiled)}


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
        self.with_grad = 0  # calls of the model, eager or compiled, made with autograd on

    def timer(self):
        return self.now

    def eager(self, model, x):
        self.now += self.costs["eager"]
        self.eager_calls += 1
        self.with_grad += pristine.grad_enabled()
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
            clock.with_grad += pristine.grad_enabled()
            return graph_module.forward(*args)
        return run


@observation
def compile_speeds_on_a_virtual_clock(impl, x, modes, warmup, iters, costs):
    """compare_compile_speed(TimedNet(), x, modes, warmup, iters) with the virtual clock as `timer` and a
    TimingBackend, from empty caches: what it returned, the modes the backend compiled, the calls of each
    compiled version, the eager calls (how many, how many on another model or input), how many calls of the model
    ran with autograd on, and whether the model was left compiled in place (model.compile() sets its
    _compiled_call_impl; a compiled forward may also be stored on it), as Python stores the module."""
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
    state = pristine.instance_dict(model)
    return {"rows": rows, "modes": clock.modes, "compiled_calls": dict(clock.compiled_calls),
            "eager_calls": clock.eager_calls, "other_model": clock.other_model, "other_input": clock.other_input,
            "with_grad": clock.with_grad,
            "compiled_in_place": state.get("_compiled_call_impl") is not None or "forward" in state}


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


# -- profiling -------------------------------------------------------------------------------------
PROFILE_LABELS = ("forward", "backward", "optimizer_step")


def _profile_net(widths, seed):
    """The grader's model for profile_step: Linear layers of the given widths with Tanh between them."""
    torch.manual_seed(seed)
    layers = []
    for index, (width_in, width_out) in enumerate(zip(widths, widths[1:])):
        layers += [nn.Linear(width_in, width_out)] + ([nn.Tanh()] if index < len(widths) - 2 else [])
    return nn.Sequential(*layers)


def _enclosing_label(event):
    """The innermost of PROFILE_LABELS that encloses a profiler event on the CPU, or None."""
    parent = event.cpu_parent
    while parent is not None:
        if parent.name in PROFILE_LABELS:
            return parent.name
        parent = parent.cpu_parent
    return None


@observation
def profiled_step(impl, widths, seed, x, y, lr, left_gradients):
    """profile_step on the grader's _profile_net(widths, seed) with SGD(lr), each parameter's .grad holding what a
    previous step left (`left_gradients`, by name): the parameters after the step, and from the profiler it returned,
    each label's count, where the matrix products ran (which label enclosed each aten::addmm and aten::mm) and the
    input shapes recorded for aten::addmm."""
    model = _profile_net(widths, seed)
    for name, parameter in model.named_parameters():
        parameter.grad = left_gradients[name].clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    prof = impl.profile_step(model, x, y, optimizer)
    facts = {"type": type(prof).__name__,
             "params": {name: p.detach().clone() for name, p in model.named_parameters()}}
    if not (callable(getattr(prof, "key_averages", None)) and callable(getattr(prof, "events", None))):
        return facts
    facts["labels"] = {row.key: int(row.count) for row in prof.key_averages() if row.key in PROFILE_LABELS}
    products = {}
    for event in prof.events():
        if event.name in ("aten::addmm", "aten::mm"):
            where = f"{event.name} in {_enclosing_label(event)}"
            products[where] = products.get(where, 0) + 1
    facts["products"] = products
    facts["addmm_shapes"] = [[[int(d) for d in shape] for shape in (row.input_shapes or [])[:3]]
                             for row in prof.key_averages(group_by_input_shape=True) for _ in range(int(row.count))
                             if row.key == "aten::addmm"]
    return facts


class TableProfile:
    """Stands in for a finished profiler: key_averages() gives the rows the judge wrote, as the profiler's own
    FunctionEventAvg objects in an EventList (times in microseconds, as the profiler keeps them)."""

    def __init__(self, rows):
        from torch.autograd.profiler_util import EventList, FunctionEventAvg
        averages = []
        for key, count, self_us, total_us in rows:
            row = FunctionEventAvg()
            row.key, row.count = key, count
            row.self_cpu_time_total, row.cpu_time_total = self_us, total_us
            averages.append(row)
        self._averages = EventList(averages)

    def key_averages(self, *args, **kwargs):
        return self._averages


@observation
def dominant_ops_of_tables(impl, tables):
    """dominant_op on a TableProfile of each table the judge wrote: what it returned for each."""
    return [impl.dominant_op(TableProfile(rows)) for rows in tables]


class _SmallLayers(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(*[nn.Sequential(nn.Linear(16, 16), nn.Tanh()) for _ in range(12)])


def _big_step(kind, generator):
    """A step dominated by one large operation of `kind` ("mm", "addmm" or "sort") beside a dozen small layers."""
    torch.manual_seed(int(torch.randint(0, 2 ** 31 - 1, (1,), generator=generator)))
    small = _SmallLayers().layers
    big = nn.Linear(768, 768, bias=kind == "addmm")
    x, s = torch.randn(768, 768, generator=generator), torch.randn(64, 16, generator=generator)
    values = torch.randn(400_000, generator=generator)

    def step():
        with torch.no_grad():
            out = small(s)
            return (torch.sort(values)[0] if kind == "sort" else big(x)), out
    return step


DOMINANT = {"mm": "aten::mm", "addmm": "aten::addmm", "sort": "aten::sort"}


@observation
def dominant_op_of_a_step(impl, kind, seed):
    """The grader profiles (its own code, here) a step dominated by one large `kind` operation, until its own reading
    of the profile agrees that the large operation took the most self CPU time (at most 3 profiles: a stalled
    machine can slow a small op), and hands that profile to dominant_op: what it returned, and the large op's share
    of the self CPU time (for the message)."""
    from torch.profiler import ProfilerActivity, profile, record_function
    step = _big_step(kind, torch.Generator().manual_seed(seed))
    step()  # warm: the first call of each op pays for its set-up
    for _ in range(3):
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            with record_function("inference_step"):
                step()
        rows = list(prof.key_averages())
        top = max(rows, key=lambda row: row.self_cpu_time_total)
        if top.key == DOMINANT[kind]:
            total = sum(row.self_cpu_time_total for row in rows) or 1.0
            return {"answer": impl.dominant_op(prof), "share": top.self_cpu_time_total / total}
    return {"unsettled": top.key}
