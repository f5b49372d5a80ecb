"""Builds no padding mask for the source: the encoder and the cross-attention read <pad> as if it were a word."""
CAUGHT_BY = "test_model_ignores_source_padding"
MESSAGE_MENTIONS = "extra <pad> columns"
MESSAGE_MENTIONS_KO = "<pad> 열 4개를 더 붙였을 때"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_2_translation import Seq2SeqTransformer as _Reference  # noqa: E402
from solutions.s5_2_translation import _embed  # noqa: E402


class Seq2SeqTransformer(_Reference):
    def encode(self, src):
        return self.transformer.encoder(_embed(self, self.src_embedding, src))

    def decode(self, tgt_in, memory, src):
        causal = nn.Transformer.generate_square_subsequent_mask(tgt_in.shape[1], device=tgt_in.device)
        return self.generator(self.transformer.decoder(_embed(self, self.tgt_embedding, tgt_in), memory,
                                                       tgt_mask=causal, tgt_is_causal=True))
