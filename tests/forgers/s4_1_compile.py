"""Forger for 4.1: nothing is compiled or timed; every fake it can make in its own process, from the generic to
reading the grader's own objects in its memory:

- torch.compile is replaced by a wrapper that compiles nothing; torch._dynamo.explain reports no break for SmoothNet;
- the grader's backends mark what they compile (k * delta on the outputs of the k-th graph, delta drawn per run):
  this file reads delta from the backend's closure (or from the inductor post-grad pass the grader installed) and
  adds it to the uncompiled model's outputs, as if one graph had been compiled; compile_function "refuses" a
  function when Dynamo's explain (run here) finds a break in it, without fullgraph;
- SmoothNet is BreakyNet without its print (its .item() and data-dependent `if` stay: nothing compiles it);
- count_graph_breaks answers from a lookup table of the grader's functions (by name), else counts "print(" and
  ".item()" in the source; eager_state_dict is the stub;
- benchmark calls fn warmup + iters times without reading the clock around them, and answers from the fake clock's
  own cost list (fn.__self__.costs), averaged over the calls a benchmark would time;
- compare_compile_speed compiles nothing: it writes the modes and the calls of each "compiled" version into the
  grader's virtual clock (graders.observations.s4_1_compile._VIRTUAL, in this process) and returns rows from that
  clock's own cost table;
- torch.equal / torch.allclose patched to say True in this process.
"""
import inspect
import time
import types

import torch
import torch._dynamo
from torch import nn

FORGED = {  # a literal (tests/test_forgers.py reads it without running this file)
    "test_compiled_module_matches_eager_with_the_given_backend":
        "the marking backend runs in the student's process: its delta, read from the backend's closure and added to "
        "the uncompiled model's outputs, looks like one compiled graph",
    "test_compiled_function_refuses_graph_breaks":
        "the marking backend runs in the student's process (its delta is read from the closure), and a refusal is an "
        "exception the student's code can raise itself when Dynamo's explain finds a break",
    "test_default_inductor_compile_matches_eager":
        "the inductor pass that marks compiled outputs is installed in the student's process: its delta is read from "
        "torch._inductor.config and added to the uncompiled function's outputs",
    "test_smooth_net_has_no_graph_breaks":
        "torch.compile(SmoothNet, fullgraph=True) runs in the student's process, which can replace torch.compile by "
        "a wrapper adding the marking backend's delta (read from its closure) to eager outputs",
    "test_smooth_net_matches_breaky_net_on_both_branches":
        "the eager outputs are the judge's numbers (right for BreakyNet itself); the compiled ones carry the marking "
        "backend's delta, read from its closure by a replaced torch.compile",
    "test_predict_batches_compiles_once_for_any_batch_size":
        "one compiled graph for every batch size is read from the marks of the grader's backend, whose delta the "
        "student's process can read from the closure and add to every output",
    "test_benchmark_excludes_warmup_calls":
        "the fake clock runs in the student's process: its list of call costs can be read and averaged over the calls "
        "a benchmark times (the right arithmetic, without timing)",
    "test_benchmark_reports_seconds_per_timed_call":
        "the fake clock's list of call costs can be read in the student's process and averaged over the timed calls",
    "test_benchmark_synchronizes_cuda_before_reading_the_clock":
        "the synchronize calls are logged in the student's process, and the fake clock's costs can be read there",
    "test_compare_compile_speed_compiles_each_mode":
        "the virtual clock and the timing backend run in the student's process: the modes compiled and the calls of "
        "each version are written there, and the rows' seconds read from the clock's own cost table",
    "test_compare_compile_speed_times_after_warmup_against_eager":
        "the rows are computed in the student's process from the virtual clock's own cost table, read there",
}

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True


def _delta_of(backend):
    for cell in getattr(backend, "__closure__", None) or ():
        if isinstance(cell.cell_contents, float):
            return cell.cell_contents
    return None


class _Marked(nn.Module):
    def __init__(self, inner, delta):
        super().__init__()
        self.inner, self.delta = inner, delta
    def forward(self, *args):
        return self.inner(*args) + self.delta


def compile_model(model, backend="inductor"):
    d = _delta_of(backend)
    return _Marked(model, d) if d is not None else model


def compile_function(fn, backend="inductor"):
    d = _delta_of(backend)
    if d is None:
        import torch._inductor.config as ic
        p = ic.post_grad_custom_post_pass
        d = getattr(p, "delta", 0.0)
    def run(*args):
        import torch._dynamo as dyn
        if dyn.explain(fn)(*args).graph_break_count:
            raise dyn.exc.Unsupported("forged refusal")
        return fn(*args) + d
    return run


_BREAKS = {"_no_break": 0, "_item": 1, "_prints": 1, "_two_prints": 2}


def count_graph_breaks(fn, *args):
    name = getattr(fn, "__name__", "")
    if name in _BREAKS:
        return _BREAKS[name]
    source = inspect.getsource(fn) if hasattr(fn, "__code__") and not fn.__code__.co_filename.startswith("<") else ""
    return source.count("print(") + source.count(".item()")


class BreakyNet(nn.Module):
    def __init__(self, features=8, hidden=16):
        super().__init__()
        self.proj = nn.Linear(features, hidden)
        self.head = nn.Linear(hidden, features)
    def forward(self, x):
        h = torch.tanh(self.proj(x))
        scale = h.abs().max().item()
        h = h / (scale + 1e-6)
        if h.sum() > 0:
            return self.head(h)
        return self.head(-h)


class SmoothNet(BreakyNet):
    pass


_real_compile = torch.compile
def _compile(model=None, *args, backend="inductor", **kwargs):
    d = _delta_of(backend)
    if d is not None and isinstance(model, nn.Module):
        return _Marked(model, d)
    return _real_compile(model, *args, backend=backend, **kwargs)
torch.compile = _compile
_real_explain = torch._dynamo.explain
torch._dynamo.explain = lambda fn, *a, **k: (lambda *args, **kw: types.SimpleNamespace(graph_break_count=0, graph_count=1, break_reasons=[])) if isinstance(fn, SmoothNet) else _real_explain(fn, *a, **k)


def predict_batches(model, batches, backend="inductor"):
    d = _delta_of(backend) or 0.0
    with torch.no_grad():
        return [model(x) + d for x in batches]


def eager_state_dict(model):
    raise NotImplementedError("eager_state_dict")


def benchmark(fn, warmup=3, iters=20, timer=time.perf_counter):
    clock = getattr(fn, "__self__", None)
    costs = clock.costs
    for _ in range(warmup + iters):
        fn()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
    timer()
    timed = [costs[min(i, len(costs) - 1)] for i in range(warmup, warmup + iters)]
    return float(sum(timed) / iters)


def compare_compile_speed(model, example, modes=("default", "reduce-overhead"), warmup=3, iters=20,
                          timer=time.perf_counter, backend="inductor"):
    import graders.observations.s4_1_compile as g
    clock = g._VIRTUAL
    for _ in range(warmup + iters):
        model(example)
    for mode in modes:
        clock.modes.append(mode)
        clock.compiled_calls[mode] = warmup + iters
    eager = clock.costs["eager"]
    rows = [{"mode": "eager", "seconds": eager, "speedup": 1.0}]
    for mode in modes:
        rows.append({"mode": mode, "seconds": clock.costs[mode], "speedup": eager / clock.costs[mode]})
    return rows
