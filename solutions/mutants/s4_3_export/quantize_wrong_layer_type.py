"""Names the layer type to quantize as nn.LSTM (copied from the LSTM tutorial): no Linear is replaced, the model
comes back float."""
CAUGHT_BY = "test_quantized_state_is_int8_and_smaller"
MESSAGE_MENTIONS = "still a float Linear"
MESSAGE_MENTIONS_KO = "아직 float Linear"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def quantize_linear_int8(model):
    return torch.ao.quantization.quantize_dynamic(model.eval(), {nn.LSTM}, dtype=torch.qint8)
