"""Maps the tokens to ids but forgets the <bos> and <eos> markers around them."""
CAUGHT_BY = "test_numericalize_adds_bos_eos_and_unk"
MESSAGE_MENTIONS = "<bos> and <eos> ids"
MESSAGE_MENTIONS_KO = "<bos>와 <eos> id가 빠졌습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def numericalize(text, vocab):
    return torch.tensor([vocab.get(token, vocab["<unk>"]) for token in tokenize(text)], dtype=torch.int64)
