"""Starts the clock before the warm-up loop, so the warm-up calls are timed too."""
CAUGHT_BY = "test_benchmark_excludes_warmup_calls"
MESSAGE_MENTIONS = "warm-up"
MESSAGE_MENTIONS_KO = "시계를 처음 읽기 전에 워밍업 호출"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_1_compile import _sync  # noqa: E402


def benchmark(fn, warmup=3, iters=20, timer=time.perf_counter):
    start = timer()
    for _ in range(warmup):
        fn()
    for _ in range(iters):
        fn()
    _sync()
    return (timer() - start) / iters
