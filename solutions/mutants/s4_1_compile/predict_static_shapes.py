"""Compiles with dynamic=False: one recompile for every new batch size."""
CAUGHT_BY = "test_predict_batches_compiles_once_for_any_batch_size"
MESSAGE_MENTIONS = "recompiles"
MESSAGE_MENTIONS_KO = "다시 컴파일됩니다"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def predict_batches(model, batches, backend="inductor"):
    compiled = torch.compile(model, backend=backend, dynamic=False)
    return [compiled(x) for x in batches]
