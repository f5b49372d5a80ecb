"""Calls sacrebleu with its default '13a' tokeniser, which splits Korean only at spaces: whole words must match."""
CAUGHT_BY = "test_corpus_bleu_matches_sacrebleu"
MESSAGE_MENTIONS = "default tokenizer ('13a') splits Korean only at spaces"
MESSAGE_MENTIONS_KO = "기본 토크나이저('13a')는 한국어를 공백에서만 나누므로"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def corpus_bleu(hypotheses, references):
    return sacrebleu.corpus_bleu(hypotheses, [references]).score
