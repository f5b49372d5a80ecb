"""Masks the source padding in the encoder (src_key_padding_mask) but not in the decoder's cross-attention
(memory_key_padding_mask): every target position attends to the encoder's outputs at padded positions."""
CAUGHT_BY = "test_seq2seq_logits_match_nn_transformer"
MESSAGE_MENTIONS = "memory_key_padding_mask"
MESSAGE_MENTIONS_KO = "memory_key_padding_mask"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def seq2seq_logits(transformer, embed, head, src, tgt, pad_id=0):
    causal = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1], device=tgt.device) < 0
    return head(transformer(embed(src), embed(tgt), tgt_mask=causal, tgt_is_causal=True,
                            src_key_padding_mask=src == pad_id, tgt_key_padding_mask=tgt == pad_id))
