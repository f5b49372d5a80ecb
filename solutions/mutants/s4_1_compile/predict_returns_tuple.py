"""Returns the outputs as a tuple, not the list the signature promises."""
CAUGHT_BY = "test_predict_batches_compiles_once_for_any_batch_size"
MESSAGE_MENTIONS = "should be a list"
MESSAGE_MENTIONS_KO = "list여야 하는데"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def predict_batches(model, batches, backend="inductor"):
    compiled = torch.compile(model, backend=backend)
    for x in batches:
        torch._dynamo.mark_dynamic(x, 0)
    return tuple(compiled(x) for x in batches)
