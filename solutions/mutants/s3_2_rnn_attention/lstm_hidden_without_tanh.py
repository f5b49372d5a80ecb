"""Computes h_next as o * c_next, forgetting the tanh of the new cell state."""
CAUGHT_BY = "test_lstm_cell_matches_nn_lstmcell"
MESSAGE_MENTIONS = "tanh of the new cell state is missing"
MESSAGE_MENTIONS_KO = "tanh가 빠졌습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def lstm_cell(x, state, weight_ih, weight_hh, bias_ih, bias_hh):
    h, c = state
    gates = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    i, f, g, o = gates.chunk(4, dim=-1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h_next = torch.sigmoid(o) * c_next
    return h_next, c_next
