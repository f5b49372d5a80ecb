"""Times every version with autograd on (no torch.no_grad()): each call also records a graph for a backward that
never comes, so the times are not those of inference."""
CAUGHT_BY = "test_compare_compile_speed_leaves_the_model_uncompiled_and_autograd_off"
MESSAGE_MENTIONS = "with autograd on"
MESSAGE_MENTIONS_KO = "Autograd가 켜진 채로"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def compare_compile_speed(model, example, modes=("default", "reduce-overhead"), warmup=3, iters=20,
                          timer=time.perf_counter, backend="inductor"):
    eager = benchmark(lambda: model(example), warmup, iters, timer)
    rows = [{"mode": "eager", "seconds": eager, "speedup": 1.0}]
    for mode in modes:
        compiled = torch.compile(model, backend=backend, mode=mode)
        seconds = benchmark(lambda compiled=compiled: compiled(example), warmup, iters, timer)
        rows.append({"mode": mode, "seconds": seconds, "speedup": eager / seconds})
    return rows
