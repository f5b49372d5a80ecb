"""Classifies from the LSTM's cell state c_n instead of its hidden state h_n (state[1] for state[0])."""
CAUGHT_BY = "test_rnn_classifier_head_reads_the_hidden_state"
MESSAGE_MENTIONS = "cell state"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


class RNNClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes, pad_id=PAD, cell="lstm"):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_id)
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = rnn(embed_dim, hidden_dim, batch_first=True)
        self.head = nn.Linear(hidden_dim, num_classes)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.embedding(tokens), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, state = self.rnn(packed)
        cell_state = state[1] if isinstance(state, tuple) else state
        return self.head(cell_state[-1])
