"""Never passes the mode to torch.compile: every version is compiled in the default mode."""
CAUGHT_BY = "test_compare_compile_speed_compiles_each_mode"
MESSAGE_MENTIONS = "never with"
MESSAGE_MENTIONS_KO = "한 번도 컴파일하지 않았습니다"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def compare_compile_speed(model, example, modes=("default", "reduce-overhead"), warmup=3, iters=20,
                          timer=time.perf_counter, backend="inductor"):
    with torch.no_grad():
        eager = benchmark(lambda: model(example), warmup, iters, timer)
        rows = [{"mode": "eager", "seconds": eager, "speedup": 1.0}]
        for mode in modes:
            compiled = torch.compile(model, backend=backend)
            seconds = benchmark(lambda compiled=compiled: compiled(example), warmup, iters, timer)
            rows.append({"mode": mode, "seconds": seconds, "speedup": eager / seconds})
    return rows
