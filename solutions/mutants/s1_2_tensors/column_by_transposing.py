"""Makes a column with v.T, as for a NumPy row vector: on a 1-D tensor .T returns it unchanged (shape (5,)),
with only a deprecation warning."""
# .T on a 1-D tensor does nothing (and is deprecated for ndim != 2):
# https://pytorch.org/docs/stable/tensors.html#torch.Tensor.T
CAUGHT_BY = "test_to_column_and_drop_singletons"
MESSAGE_MENTIONS = "no second axis"
MESSAGE_MENTIONS_KO = "바꿀 두 번째 축이 없으니"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def to_column(v):
    return v.T
