"""Squashes the candidate g with a sigmoid like the three gates, instead of tanh."""
CAUGHT_BY = "test_lstm_cell_matches_nn_lstmcell"
MESSAGE_MENTIONS = "candidate g goes through a sigmoid"
MESSAGE_MENTIONS_KO = "후보 값 g에 sigmoid를 적용했습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def lstm_cell(x, state, weight_ih, weight_hh, bias_ih, bias_hh):
    h, c = state
    gates = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    i, f, g, o = gates.chunk(4, dim=-1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.sigmoid(g)
    h_next = torch.sigmoid(o) * torch.tanh(c_next)
    return h_next, c_next
