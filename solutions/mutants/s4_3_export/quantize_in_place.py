"""Quantizes in place: the float model passed in has int8 Linears afterwards, and the float baseline is gone."""
CAUGHT_BY = "test_quantizing_leaves_the_float_model"
MESSAGE_MENTIONS = "inplace=True"
MESSAGE_MENTIONS_KO = "inplace=True"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def quantize_linear_int8(model):
    return torch.ao.quantization.quantize_dynamic(model.eval(), {nn.Linear}, dtype=torch.qint8, inplace=True)
