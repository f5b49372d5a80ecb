"""4.1 written another way: torch.compile used as a decorator factory, a sign multiplier instead of
selecting between two heads, dynamic=True instead of mark_dynamic, prefix stripping for the
state_dict, a benchmark that times each call and sums, and a speed comparison that compiles copies of
the model and builds its table at the end; a profiler started and stopped by hand with its labels entered
through an ExitStack, and the dominant op found by sorting the table."""
import time

import torch
import torch._dynamo
from torch import nn
from torch.autograd import profiler as autograd_profiler


def compile_model(model, backend="inductor"):
    return torch.compile(backend=backend)(model)


def compile_function(fn, backend="inductor"):
    return torch.compile(fn, fullgraph=True, backend=backend, mode=None)


def count_graph_breaks(fn, *args):
    explanation = torch._dynamo.explain(fn)(*args)
    return int(explanation.graph_break_count)


class BreakyNet(nn.Module):
    def __init__(self, features=8, hidden=16):
        super().__init__()
        self.proj = nn.Linear(features, hidden)
        self.head = nn.Linear(hidden, features)

    def forward(self, x):
        h = torch.tanh(self.proj(x))
        scale = h.abs().max().item()
        h = h / (scale + 1e-6)
        print("mean activation:", h.mean())
        if h.sum() > 0:
            return self.head(h)
        return self.head(-h)


class SmoothNet(BreakyNet):
    def __init__(self, features=8, hidden=16):
        super().__init__(features=features, hidden=hidden)

    def forward(self, x):
        h = torch.tanh(self.proj(x))
        h = h / (torch.amax(torch.abs(h)) + 1e-6)
        sign = (h.sum() > 0).to(h.dtype) * 2 - 1   # +1 or -1, decided once for the whole tensor
        return self.head(sign * h)


def predict_batches(model, batches, backend="inductor"):
    compiled = torch.compile(model, backend=backend, dynamic=True)
    return list(map(compiled, batches))


def eager_state_dict(model):
    prefix = "_orig_mod."
    return {key[len(prefix):] if key.startswith(prefix) else key: value
            for key, value in model.state_dict().items()}


def benchmark(fn, warmup=3, iters=20, timer=time.perf_counter):
    cuda = torch.cuda.is_available()
    for _ in range(warmup):
        fn()
    total = 0.0
    for _ in range(iters):
        if cuda:
            torch.cuda.synchronize()
        start = timer()
        fn()
        if cuda:
            torch.cuda.synchronize()
        total += timer() - start
    return float(total / iters)


def compare_compile_speed(model, example, modes=("default", "reduce-overhead"), warmup=3, iters=20,
                          timer=time.perf_counter, backend="inductor"):
    # Every version is built first (each compiled from its own copy of the model), then all are timed
    # under inference_mode, and the speed-ups are computed from the table at the end.
    import copy
    import functools
    versions = {"eager": model}
    versions.update((mode, torch.compile(copy.deepcopy(model), mode=mode, backend=backend)) for mode in modes)
    with torch.inference_mode():
        seconds = {name: benchmark(functools.partial(version, example), warmup=warmup, iters=iters, timer=timer)
                   for name, version in versions.items()}
    return [dict(mode=name, seconds=seconds[name], speedup=seconds["eager"] / seconds[name]) for name in versions]


def profile_step(model, x, y, optimizer):
    import contextlib
    import torch.profiler as tp
    prof = tp.profile(activities=[tp.ProfilerActivity.CPU], record_shapes=True)
    prof.start()
    try:
        for parameter in model.parameters():
            parameter.grad = None
        with contextlib.ExitStack() as labels:
            labels.enter_context(autograd_profiler.record_function("forward"))
            prediction = model(x)
            loss = ((prediction - y) ** 2).mean()
        with autograd_profiler.record_function("backward"):
            torch.autograd.backward(loss)
        with autograd_profiler.record_function("optimizer_step"):
            optimizer.step()
    finally:
        prof.stop()
    return prof


def dominant_op(prof):
    rows = sorted(prof.key_averages(), key=lambda row: (row.self_cpu_time_total, row.key), reverse=True)
    return str(rows[0].key)
