"""Calls quantize_dynamic as if it changed the model in place and returns the model passed in: quantize_dynamic
quantizes a copy and returns it, so the float model (still in training mode) comes back."""
CAUGHT_BY = "test_quantized_state_is_int8_and_smaller"
MESSAGE_MENTIONS = "returns a new model"
MESSAGE_MENTIONS_KO = "새 모델을 반환합니다"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def quantize_linear_int8(model):
    torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
    return model
