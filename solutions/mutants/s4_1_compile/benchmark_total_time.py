"""Returns the total timed seconds instead of seconds per call."""
CAUGHT_BY = "test_benchmark_reports_seconds_per_timed_call"
MESSAGE_MENTIONS = "divided by iters"
MESSAGE_MENTIONS_KO = "iters로 나눈 값"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_1_compile import _sync  # noqa: E402


def benchmark(fn, warmup=3, iters=20, timer=time.perf_counter):
    for _ in range(warmup):
        fn()
    _sync()
    start = timer()
    for _ in range(iters):
        fn()
    _sync()
    return timer() - start
