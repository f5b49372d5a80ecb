"""Splits the LSTM gates in the order i, f, o, g instead of nn.LSTMCell's i, f, g, o."""
CAUGHT_BY = "test_lstm_cell_matches_nn_lstmcell"
MESSAGE_MENTIONS = "order"
MESSAGE_MENTIONS_KO = "i, f, g, o(입력, 망각, 셀, 출력 게이트) 순서로"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def lstm_cell(x, state, weight_ih, weight_hh, bias_ih, bias_hh):
    h, c = state
    gates = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    i, f, o, g = gates.chunk(4, dim=-1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h_next = torch.sigmoid(o) * torch.tanh(c_next)
    return h_next, c_next
