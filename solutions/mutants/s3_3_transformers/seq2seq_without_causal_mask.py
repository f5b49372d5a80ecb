"""Runs nn.Transformer with the padding masks but no causal tgt_mask: every target position sees the target tokens
after it, which at generation time do not exist yet."""
CAUGHT_BY = "test_seq2seq_decoder_is_causal_and_reads_the_source"
MESSAGE_MENTIONS = "causal"
MESSAGE_MENTIONS_KO = "인과 마스크"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def seq2seq_logits(transformer, embed, head, src, tgt, pad_id=0):
    src_padding, tgt_padding = src == pad_id, tgt == pad_id
    return head(transformer(embed(src), embed(tgt), src_key_padding_mask=src_padding,
                            tgt_key_padding_mask=tgt_padding, memory_key_padding_mask=src_padding))
