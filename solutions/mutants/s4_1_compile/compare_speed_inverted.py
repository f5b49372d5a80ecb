"""Divides the compiled time by the eager time: the speed-up is inverted (below 1.0 when compiling helps)."""
CAUGHT_BY = "test_compare_compile_speed_times_after_warmup_against_eager"
MESSAGE_MENTIONS = "inverted"
MESSAGE_MENTIONS_KO = "speed-up이 뒤집혔습니다"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def compare_compile_speed(model, example, modes=("default", "reduce-overhead"), warmup=3, iters=20,
                          timer=time.perf_counter, backend="inductor"):
    with torch.no_grad():
        eager = benchmark(lambda: model(example), warmup, iters, timer)
        rows = [{"mode": "eager", "seconds": eager, "speedup": 1.0}]
        for mode in modes:
            compiled = torch.compile(model, backend=backend, mode=mode)
            seconds = benchmark(lambda compiled=compiled: compiled(example), warmup, iters, timer)
            rows.append({"mode": mode, "seconds": seconds, "speedup": seconds / eager})
    return rows
