"""Ranks the finished hypotheses by their total log-probability, ignoring length_penalty: short outputs always win."""
CAUGHT_BY = "test_beam_scores_are_length_normalised"
MESSAGE_MENTIONS = "not length-normalised"
MESSAGE_MENTIONS_KO = "길이로 정규화되지 않았습니다"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_2_translation import beam_search as _reference_beam_search  # noqa: E402


def beam_search(model, src, beam_size=4, max_len=24, length_penalty=1.0):
    return _reference_beam_search(model, src, beam_size, max_len, length_penalty=0.0)
