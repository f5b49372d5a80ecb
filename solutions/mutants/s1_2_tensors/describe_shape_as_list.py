"""Reports the shape as list(t.shape): the docstring asks for a tuple of ints."""
CAUGHT_BY = "test_describe_reports_attributes"
MESSAGE_MENTIONS = "is not a tuple"
MESSAGE_MENTIONS_KO = "tuple이 아닙니다"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def describe(t):
    return {"shape": list(t.shape), "dtype": t.dtype, "device": t.device, "stride": t.stride(),
            "is_contiguous": t.is_contiguous(), "numel": t.numel()}
