"""Times the compiled model from its very first call: the compilation is counted as run time."""
CAUGHT_BY = "test_compare_compile_speed_times_after_warmup_against_eager"
MESSAGE_MENTIONS = "warm-up"
MESSAGE_MENTIONS_KO = "컴파일이 측정되었습니다"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def compare_compile_speed(model, example, modes=("default", "reduce-overhead"), warmup=3, iters=20,
                          timer=time.perf_counter, backend="inductor"):
    with torch.no_grad():
        eager = benchmark(lambda: model(example), warmup, iters, timer)
        rows = [{"mode": "eager", "seconds": eager, "speedup": 1.0}]
        for mode in modes:
            compiled = torch.compile(model, backend=backend, mode=mode)
            seconds = benchmark(lambda compiled=compiled: compiled(example), 0, warmup + iters, timer)  # no warm-up
            rows.append({"mode": mode, "seconds": seconds, "speedup": eager / seconds})
    return rows
