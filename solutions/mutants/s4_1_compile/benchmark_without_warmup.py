"""Times from the very first call: compilation is counted as run time."""
CAUGHT_BY = "test_benchmark_excludes_warmup_calls"
MESSAGE_MENTIONS = "warm-up"
MESSAGE_MENTIONS_KO = "시계를 처음 읽기 전에 워밍업 호출"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_1_compile import _sync  # noqa: E402


def benchmark(fn, warmup=3, iters=20, timer=time.perf_counter):
    start = timer()
    for _ in range(warmup + iters):
        fn()
    _sync()
    return (timer() - start) / (warmup + iters)
