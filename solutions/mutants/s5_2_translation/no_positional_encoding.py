"""Leaves out the positional encoding: attention alone cannot tell 'twelve thousand' from 'thousand twelve'."""
CAUGHT_BY = "test_model_knows_source_word_order"
MESSAGE_MENTIONS = "positional encoding"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_2_translation import Seq2SeqTransformer as _Reference  # noqa: E402


class Seq2SeqTransformer(_Reference):
    def _embed(self, embedding, tokens):
        return self.dropout(embedding(tokens) * math.sqrt(self.d_model))
