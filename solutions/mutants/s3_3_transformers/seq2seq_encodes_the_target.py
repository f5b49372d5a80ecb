"""Calls the encoder and the decoder by hand but encodes the target instead of the source (a copy-paste slip): the
decoder's cross-attention reads a memory of the target, so the source is never used."""
CAUGHT_BY = "test_seq2seq_decoder_is_causal_and_reads_the_source"
MESSAGE_MENTIONS = "cross-attention"
MESSAGE_MENTIONS_KO = "디코더의 교차 어텐션"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def seq2seq_logits(transformer, embed, head, src, tgt, pad_id=0):
    tgt_padding = tgt == pad_id
    causal = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1], device=tgt.device) < 0
    memory = transformer.encoder(embed(tgt), src_key_padding_mask=tgt_padding)
    out = transformer.decoder(embed(tgt), memory, tgt_mask=causal, tgt_key_padding_mask=tgt_padding,
                              memory_key_padding_mask=tgt_padding)
    return head(out)
