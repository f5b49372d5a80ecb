"""Compiles `model` itself in each mode with model.compile() (after timing eager) instead of torch.compile, which
returns a new module: the caller's model is left compiled."""
CAUGHT_BY = "test_compare_compile_speed_leaves_the_model_uncompiled_and_autograd_off"
MESSAGE_MENTIONS = "left the model compiled"
MESSAGE_MENTIONS_KO = "모델을 컴파일된 채로 남겼습니다"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def compare_compile_speed(model, example, modes=("default", "reduce-overhead"), warmup=3, iters=20,
                          timer=time.perf_counter, backend="inductor"):
    with torch.no_grad():
        eager = benchmark(lambda: model(example), warmup, iters, timer)
        rows = [{"mode": "eager", "seconds": eager, "speedup": 1.0}]
        for mode in modes:
            model.compile(backend=backend, mode=mode)
            seconds = benchmark(lambda: model(example), warmup, iters, timer)
            rows.append({"mode": mode, "seconds": seconds, "speedup": eager / seconds})
    return rows
