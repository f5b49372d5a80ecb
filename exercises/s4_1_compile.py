"""4.1 torch.compile — graphs, graph breaks, dynamic shapes, and honest timing.

`torch.compile(model_or_function)` returns a wrapper that, on its first call, lets TorchDynamo read
the Python bytecode, record the tensor operations as an FX graph, and hand that graph to a
*backend*: "inductor" (the default: generates fused C++/Triton kernels), "aot_eager" (traces
forward and backward but runs the ops as usual: good for checking that a model compiles), or
"eager" (the captured graph runs as is). Later calls reuse the compiled code as long as its
*guards* (assumptions about shapes, dtypes, Python values) still hold; otherwise it recompiles.

**Graph breaks.** Where Dynamo meets something it cannot put in a graph, it stops the graph, runs
that piece in plain Python and starts a new graph after it: correct, but slower and less fused.
Common causes: `.item()` / `.tolist()` (a tensor becomes a Python number), an `if` on a tensor's
value (`if x.sum() > 0:` — the branch depends on data), `print`, and calls into non-PyTorch
libraries. `torch._dynamo.explain(fn)(*args)` reports them (`graph_break_count`, `break_reasons`);
`torch.compile(..., fullgraph=True)` turns any graph break into an error. Remove a data-dependent
`if` with `torch.where(condition, a, b)` (both sides computed, one selected, inside the graph) and
keep numbers as 0-d tensors instead of calling `.item()`.

**Dynamic shapes.** A graph is first compiled for the exact shapes it saw. A new batch size fails
the shape guard and triggers a recompile (the second time, Dynamo guesses that dimension is dynamic
and compiles once more). `torch._dynamo.mark_dynamic(x, 0)` on an input says up front that
dimension 0 varies, so one compile serves every batch size (sizes 0 and 1 are still special).

**Timing.** The first calls of a compiled model include compilation (seconds to minutes) and are
not representative: warm up, then time many calls, and on CUDA call `torch.cuda.synchronize()`
before reading the clock (kernels run asynchronously, so the clock would stop before they finish).

**Profiling.** Before compiling anything, find out where a step spends its time. `torch.profiler.profile(
activities=[ProfilerActivity.CPU], record_shapes=True)` records every operator that runs inside its `with`
block (`aten::addmm`, `aten::tanh`, ...), with the shapes of its inputs when `record_shapes=True`;
`torch.profiler.record_function("name")` adds a labelled range of your own around a part of the code, so the
profile says which ops ran in the forward pass and which in backward. `prof.key_averages()` groups the events
by name: each row has `key`, `count`, `self_cpu_time_total` (time in that op itself) and `cpu_time_total`
(that op and everything it called). Timings vary from run to run; counts and shapes do not.

**Saving.** A compiled module is an `OptimizedModule` that wraps the original as `_orig_mod`, so its
`state_dict()` keys start with `_orig_mod.` and do not load into a plain model. Save the original.

On the CPU, the default backend needs a C++ compiler (`InvalidCxxCompiler` otherwise), and its
first compile takes a while. Replace each `raise NotImplementedError` and run `ptgrade check 4.1`.
"""
import time

import torch
from torch import nn
from torch.nn import functional as F
from torch.profiler import ProfilerActivity, profile, record_function


def compile_model(model: nn.Module, backend: str = "inductor") -> nn.Module:
    """Compile `model` with `torch.compile` and the given `backend` (a name or a backend callable);
    return the compiled module. It must compute exactly what `model` computes."""
    raise NotImplementedError("compile_model")


def compile_function(fn, backend: str = "inductor"):
    """Compile the plain function `fn` with the given `backend` and `fullgraph=True`, so that a
    graph break in `fn` raises an error when the compiled function is called, instead of silently
    splitting it into several graphs."""
    raise NotImplementedError("compile_function")


def count_graph_breaks(fn, *args) -> int:
    """The number of graph breaks TorchDynamo finds when `fn(*args)` runs: use
    `torch._dynamo.explain(fn)(*args)`. (A function with one break is captured as two graphs.)"""
    raise NotImplementedError("count_graph_breaks")


class BreakyNet(nn.Module):
    """A model that works in eager mode but breaks the graph three times under torch.compile."""

    def __init__(self, features: int = 8, hidden: int = 16):
        super().__init__()
        self.proj = nn.Linear(features, hidden)
        self.head = nn.Linear(hidden, features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.tanh(self.proj(x))
        scale = h.abs().max().item()          # graph break: a tensor becomes a Python float
        h = h / (scale + 1e-6)
        print("mean activation:", h.mean())   # graph break: print
        if h.sum() > 0:                       # graph break: the branch depends on the data
            return self.head(h)
        return self.head(-h)


class SmoothNet(BreakyNet):
    """BreakyNet rewritten to compile as ONE graph (`fullgraph=True`, zero graph breaks).

    Same constructor and parameters as BreakyNet (call `super().__init__(features, hidden)`), and the
    same outputs for every input, whichever branch BreakyNet would take: the branch is decided by
    the sum over the WHOLE tensor `h`, not element by element. No `.item()`, no `print`, no `if` on
    tensor values.
    """

    def __init__(self, features: int = 8, hidden: int = 16):
        raise NotImplementedError("SmoothNet")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("SmoothNet")


def predict_batches(model: nn.Module, batches: list[torch.Tensor], backend: str = "inductor") -> list[torch.Tensor]:
    """Compile `model` once (with `backend`) and return its outputs for each tensor in `batches`.

    The batches have different sizes along dimension 0 (each at least 2); the whole call must cost
    exactly ONE compilation, not one per new batch size: tell the compiler before the first call
    that dimension 0 of the inputs varies.
    """
    raise NotImplementedError("predict_batches")


def eager_state_dict(model: nn.Module) -> dict:
    """The state_dict of `model` with the keys of the plain module, whether `model` was compiled or
    not: it must load with `load_state_dict(..., strict=True)` into a new, uncompiled instance.
    (A compiled module's own state_dict has every key prefixed with `_orig_mod.`.)"""
    raise NotImplementedError("eager_state_dict")


def benchmark(fn, warmup: int = 3, iters: int = 20, timer=time.perf_counter) -> float:
    """Mean seconds per call of `fn()` (no arguments), measured honestly.

    Call `fn()` `warmup` times untimed (compilation and caches happen there), then time `iters`
    further calls with `timer()` (read it only through this argument: the grader gives you a fake
    clock). Call `fn` exactly `warmup + iters` times. When `torch.cuda.is_available()`, call
    `torch.cuda.synchronize()` after the calls and before each reading of the clock that follows them.
    Return a Python float.
    """
    raise NotImplementedError("benchmark")


def compare_compile_speed(model: nn.Module, example: torch.Tensor, modes=("default", "reduce-overhead"),
                          warmup: int = 3, iters: int = 20, timer=time.perf_counter,
                          backend: str = "inductor") -> list[dict]:
    """Does compiling `model` pay off? The time per call of `model(example)` in eager mode and
    compiled in each of `modes`, and each one's speed-up over eager.

    A compile mode tells the backend what to optimise for: "default" (fused kernels), "reduce-overhead"
    (on CUDA, CUDA graphs: the whole sequence of kernels is recorded once and replayed with a single
    launch, which pays off when a model is bound by launch overhead: many tiny operations), and
    "max-autotune" (also tries several kernel configurations and keeps the fastest; compiles longest).

    Compile `model` once per mode, with `backend` and that mode, leaving `model` itself uncompiled.
    Time eager (`model` itself) and every compiled version on the same `example`, without gradients,
    each with your `benchmark(fn, warmup, iters, timer)`: the compilation must happen in its untimed
    warm-up. Return one row per measurement, eager first and then the modes in the order given:
    `{"mode": "eager" or the mode, "seconds": seconds per call, "speedup": how many times faster
    than eager}` (eager's own speed-up is 1.0; below 1.0 means slower than eager).

    Run this file (`python exercises/s4_1_compile.py`) to read the comparison for a launch-bound model
    on your machine.
    """
    raise NotImplementedError("compare_compile_speed")


def profile_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                 optimizer: torch.optim.Optimizer) -> torch.profiler.profile:
    """Profile ONE training step of `model` on the CPU and return the profiler.

    Inside `with torch.profiler.profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:`
    take the step `optimizer.zero_grad()`, `loss = F.mse_loss(model(x), y)`, `loss.backward()`,
    `optimizer.step()`, with three labels of your own (`torch.profiler.record_function`):
    "forward" around the forward pass and the loss, "backward" around `loss.backward()`, and
    "optimizer_step" around `optimizer.step()`. Return `prof` (after its `with` block has closed).

    Example: for a model of three `nn.Linear` layers, `prof.key_averages()` then has one "forward" row,
    `aten::addmm` counted 3 times inside it (one per layer), and the gradients' `aten::mm` inside
    "backward". Watch for: an op run outside its label is not counted under it (nest the `with` blocks),
    and without `record_shapes=True` the profile keeps no input shapes.
    """
    raise NotImplementedError("profile_step")


def dominant_op(prof) -> str:
    """The name (`key`) of the row of `prof.key_averages()` with the largest SELF CPU time
    (`self_cpu_time_total`): the operator that itself took the most time, where a step's time goes.

    Not `cpu_time_total`: an op's total includes everything it called, so a label around the whole step,
    or `aten::linear` around its `aten::addmm`, always has a total at least as large as what runs inside it,
    and tells you nothing. Not the row called most often (`count`): a thousand tiny ops can cost less
    than one large matrix product. Example: a step with one 768 x 768 matrix product and a dozen
    small layers gives "aten::mm".
    """
    raise NotImplementedError("dominant_op")


if __name__ == "__main__":
    class LaunchBound(nn.Module):
        """Many tiny element-wise operations on a small tensor: eager mode launches one kernel per
        operation, so the launches, not the arithmetic, take the time."""

        def forward(self, x):
            for step in range(32):
                x = torch.sin(x) * 0.9 + 0.01 * step
            return x

    def row_of(*cells):
        """One table row: each (text, width) cell padded to its width (a negative width aligns left), each
        character counted as the columns a terminal gives it: Hangul and other wide characters take two."""
        import unicodedata
        line = ""
        for text, width in cells:
            columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
            padding = " " * max(0, abs(width) - columns)
            line += text + padding if width < 0 else padding + text
        return line

    cuda = torch.cuda.is_available()
    modes = ("default", "reduce-overhead") if cuda else ("default",)  # CUDA graphs need CUDA
    rows = compare_compile_speed(LaunchBound(), torch.randn(256, device="cuda" if cuda else "cpu"),
                                 modes=modes, warmup=5, iters=100)
    print(row_of(("mode", -16), ("ms per call", 12), ("speed-up", 10)))
    for row in rows:
        print(row_of((row["mode"], -16), (f"{row['seconds'] * 1e3:.3f}", 12), (f"{row['speedup']:.2f}x", 10)))
