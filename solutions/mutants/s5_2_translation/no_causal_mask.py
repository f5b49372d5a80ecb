"""The decoder runs without a causal tgt_mask: during training each position attends to the target tokens after it."""
CAUGHT_BY = "test_decoder_does_not_see_future_tokens"
MESSAGE_MENTIONS = "causal mask is missing"
MESSAGE_MENTIONS_KO = "인과 마스크가 빠졌습니다"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_2_translation import Seq2SeqTransformer as _Reference  # noqa: E402
from solutions.s5_2_translation import _embed  # noqa: E402


class Seq2SeqTransformer(_Reference):
    def decode(self, tgt_in, memory, src):
        hidden = self.transformer.decoder(_embed(self, self.tgt_embedding, tgt_in), memory,
                                          memory_key_padding_mask=src == PAD_ID)
        return self.generator(hidden)
