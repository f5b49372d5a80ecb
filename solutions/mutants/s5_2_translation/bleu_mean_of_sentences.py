"""Averages sentence-level BLEU over the pairs, as if corpus BLEU were a mean; sacrebleu sums the n-gram counts over the
whole corpus first (and one brevity penalty), so the two differ. A frequent confusion:
https://github.com/mjpost/sacrebleu#using-sacrebleu-from-python (corpus_bleu vs sentence_bleu)."""
CAUGHT_BY = "test_corpus_bleu_matches_sacrebleu"
MESSAGE_MENTIONS = "the mean of sentence-level BLEU scores is not corpus BLEU"
MESSAGE_MENTIONS_KO = "문장 단위 BLEU의 평균은 corpus BLEU가 아닙니다"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference
import sacrebleu  # noqa: E402


def corpus_bleu(hypotheses, references):
    scores = [sacrebleu.sentence_bleu(h, [r], tokenize="char").score for h, r in zip(hypotheses, references)]
    return sum(scores) / len(scores)
