"""Picks float16 dynamic quantization: the Linears' weights stay float in the state_dict and the file does not
shrink."""
CAUGHT_BY = "test_quantized_state_is_int8_and_smaller"
MESSAGE_MENTIONS = "float16"
MESSAGE_MENTIONS_KO = "float16 동적 양자화"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def quantize_linear_int8(model):
    return torch.ao.quantization.quantize_dynamic(model.eval(), {nn.Linear}, dtype=torch.float16)
