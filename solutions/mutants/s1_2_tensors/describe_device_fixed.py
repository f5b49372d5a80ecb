"""Reports torch.device("cpu") whatever the tensor's device: right for every CPU tensor, wrong elsewhere."""
CAUGHT_BY = "test_describe_reports_attributes"
MESSAGE_MENTIONS = "not a fixed one"
MESSAGE_MENTIONS_KO = "고정된 값이 아니라 텐서 자신의 t.device여야 합니다"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def describe(t):
    return {"shape": tuple(t.shape), "dtype": t.dtype, "device": torch.device("cpu"), "stride": t.stride(),
            "is_contiguous": t.is_contiguous(), "numel": t.numel()}
