"""Compiles once but never marks the batch dimension dynamic: the second batch size recompiles."""
CAUGHT_BY = "test_predict_batches_compiles_once_for_any_batch_size"
MESSAGE_MENTIONS = "mark_dynamic"
MESSAGE_MENTIONS_KO = "mark_dynamic"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def predict_batches(model, batches, backend="inductor"):
    compiled = torch.compile(model, backend=backend)
    return [compiled(x) for x in batches]
