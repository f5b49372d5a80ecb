"""Passes the target first and the source second to nn.Transformer (and masks accordingly): the encoder reads the
target, the decoder the source, and the logits come out with the source's length."""
CAUGHT_BY = "test_seq2seq_logits_match_nn_transformer"
MESSAGE_MENTIONS = "swapped"
MESSAGE_MENTIONS_KO = "src와 tgt가 뒤바뀌었습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def seq2seq_logits(transformer, embed, head, src, tgt, pad_id=0):
    causal = nn.Transformer.generate_square_subsequent_mask(src.shape[1], device=src.device) < 0
    return head(transformer(embed(tgt), embed(src), tgt_mask=causal, src_key_padding_mask=tgt == pad_id,
                            tgt_key_padding_mask=src == pad_id, memory_key_padding_mask=tgt == pad_id))
