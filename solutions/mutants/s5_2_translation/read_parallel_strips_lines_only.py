"""Strips each line, then splits it on the tab: the spaces around the tab stay on the source and the target, though
each side's surrounding whitespace is to be stripped."""
CAUGHT_BY = "test_read_parallel_reads_tab_separated_pairs"
MESSAGE_MENTIONS = "spaces around each side stripped"
MESSAGE_MENTIONS_KO = "양쪽 공백은 제거"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def read_parallel(path):
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            source, target = line.strip().split("\t", 1)
            pairs.append((source, target))
    return pairs
