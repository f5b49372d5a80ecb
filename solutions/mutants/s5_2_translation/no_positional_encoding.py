"""Leaves out the positional encoding: attention alone cannot tell 'twelve thousand' from 'thousand twelve'."""
CAUGHT_BY = "test_model_knows_source_word_order"
MESSAGE_MENTIONS = "positional encoding"
MESSAGE_MENTIONS_KO = "위치 인코딩이 없으면"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_2_translation import Seq2SeqTransformer as _Reference  # noqa: E402


class Seq2SeqTransformer(_Reference):
    def _embed_without_positions(self, embedding, tokens):
        return self.dropout(embedding(tokens) * math.sqrt(self.d_model))

    def encode(self, src):
        return self.transformer.encoder(self._embed_without_positions(self.src_embedding, src),
                                        src_key_padding_mask=src == PAD_ID)

    def decode(self, tgt_in, memory, src):
        causal = nn.Transformer.generate_square_subsequent_mask(tgt_in.shape[1], device=tgt_in.device)
        hidden = self.transformer.decoder(self._embed_without_positions(self.tgt_embedding, tgt_in), memory,
                                          tgt_mask=causal, tgt_is_causal=True, memory_key_padding_mask=src == PAD_ID)
        return self.generator(hidden)
