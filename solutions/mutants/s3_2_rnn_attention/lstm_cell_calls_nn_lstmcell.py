"""Runs an nn.LSTMCell with the given weights instead of writing the LSTM gates by hand."""
CAUGHT_BY = "test_attention_and_lstm_cell_are_written_by_hand"
MESSAGE_MENTIONS = "calls torch's own"
MESSAGE_MENTIONS_KO = "함수를 호출합니다. 이 연습 문제에서는 직접 작성해야 합니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def lstm_cell(x, state, weight_ih, weight_hh, bias_ih, bias_hh):
    cell = nn.LSTMCell(x.shape[1], state[0].shape[1], dtype=x.dtype)
    with torch.no_grad():
        for parameter, value in zip((cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh),
                                    (weight_ih, weight_hh, bias_ih, bias_hh)):
            parameter.copy_(value)
    return cell(x, state)
