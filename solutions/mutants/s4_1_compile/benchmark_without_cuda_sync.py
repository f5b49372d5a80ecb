"""Never calls torch.cuda.synchronize(): on CUDA the clock stops before the kernels finish."""
CAUGHT_BY = "test_benchmark_synchronizes_cuda_before_reading_the_clock"
MESSAGE_MENTIONS = "synchronize"
MESSAGE_MENTIONS_KO = "torch.cuda.synchronize() 없이 시계를 읽었습니다"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def benchmark(fn, warmup=3, iters=20, timer=time.perf_counter):
    for _ in range(warmup):
        fn()
    start = timer()
    for _ in range(iters):
        fn()
    return (timer() - start) / iters
