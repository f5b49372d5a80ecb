"""Numbers the English with the Korean vocabulary and the Korean with the English one: everything becomes <unk>."""
CAUGHT_BY = "test_encode_pairs_uses_each_sides_vocabulary"
MESSAGE_MENTIONS = "swapped"
MESSAGE_MENTIONS_KO = "어휘집이 뒤바뀌지"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def encode_pairs(pairs, src_vocab, tgt_vocab):
    return [(encode(tokenize_source(s), tgt_vocab), encode(tokenize_target(t), src_vocab)) for s, t in pairs]
