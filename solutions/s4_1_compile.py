"""Reference solution for 4.1 (the task is in exercises/s4_1_compile.py)."""
import time

import torch
from torch import nn
from torch.nn import functional as F
from torch.profiler import ProfilerActivity, profile, record_function


def compile_model(model, backend="inductor"):
    return torch.compile(model, backend=backend)


def compile_function(fn, backend="inductor"):
    return torch.compile(fn, backend=backend, fullgraph=True)


def count_graph_breaks(fn, *args):
    return torch._dynamo.explain(fn)(*args).graph_break_count


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
        super().__init__(features, hidden)

    def forward(self, x):
        h = torch.tanh(self.proj(x))
        h = h / (h.abs().max() + 1e-6)
        return torch.where(h.sum() > 0, self.head(h), self.head(-h))


def predict_batches(model, batches, backend="inductor"):
    compiled = torch.compile(model, backend=backend)
    outputs = []
    for x in batches:
        torch._dynamo.mark_dynamic(x, 0)
        outputs.append(compiled(x))
    return outputs


def eager_state_dict(model):
    return getattr(model, "_orig_mod", model).state_dict()


def _sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def benchmark(fn, warmup=3, iters=20, timer=time.perf_counter):
    for _ in range(warmup):
        fn()
    _sync()
    start = timer()
    for _ in range(iters):
        fn()
    _sync()
    return (timer() - start) / iters


def compare_compile_speed(model, example, modes=("default", "reduce-overhead"), warmup=3, iters=20,
                          timer=time.perf_counter, backend="inductor"):
    with torch.no_grad():
        eager = benchmark(lambda: model(example), warmup, iters, timer)
        rows = [{"mode": "eager", "seconds": eager, "speedup": 1.0}]
        for mode in modes:
            compiled = torch.compile(model, backend=backend, mode=mode)
            seconds = benchmark(lambda compiled=compiled: compiled(example), warmup, iters, timer)
            rows.append({"mode": mode, "seconds": seconds, "speedup": eager / seconds})
    return rows


def profile_step(model, x, y, optimizer):
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        optimizer.zero_grad()
        with record_function("forward"):
            loss = F.mse_loss(model(x), y)
        with record_function("backward"):
            loss.backward()
        with record_function("optimizer_step"):
            optimizer.step()
    return prof


def dominant_op(prof):
    return max(prof.key_averages(), key=lambda row: row.self_cpu_time_total).key


if __name__ == "__main__":
    class LaunchBound(nn.Module):
        def forward(self, x):
            for step in range(32):
                x = torch.sin(x) * 0.9 + 0.01 * step
            return x

    cuda = torch.cuda.is_available()
    modes = ("default", "reduce-overhead") if cuda else ("default",)
    rows = compare_compile_speed(LaunchBound(), torch.randn(256, device="cuda" if cuda else "cpu"),
                                 modes=modes, warmup=5, iters=100)
    print(f"{'mode':<16}{'ms per call':>12}{'speed-up':>10}")
    for row in rows:
        print(f"{row['mode']:<16}{row['seconds'] * 1e3:>12.3f}{row['speedup']:>9.2f}x")
