"""5.2 Transformer translation: the parallel corpus the kit makes.

The corpus is English number words to Korean (Sino-Korean) numerals in words, for 1..99,999:

    312    "three hundred twelve"              -> "삼백십이"
    40005  "forty thousand five"               -> "사만 오"
    12345  "twelve thousand three hundred forty five" -> "만 이천삼백사십오"

Conventions (fixed, so every pair has exactly one right answer):
- English: American style, lower case, words separated by single spaces, no "and", no hyphens
  ("forty five", not "forty-five").
- Korean: Sino-Korean digits 일이삼사오육칠팔구 with the units 십 백 천 만; a unit's "일" is left
  out (10 십, 100 백, 1000 천, 10000 만, not 일만); the part above 만 and the part below it are
  separated by one space (Korean groups numbers by 만), and nothing else has a space.

`make_splits(seed)` draws disjoint train / validation / test sets of numbers from that range with a
seeded generator; `read_tsv(path)` reads any tab-separated parallel file (source<TAB>target per line)
so a learner can train the same code on their own corpus with `ptgrade run 5.2 --data file.tsv`.
"""
from __future__ import annotations

import random
from pathlib import Path

MAX_NUMBER = 99_999
ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
KOREAN_DIGITS = ["", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"]
KOREAN_UNITS = [(1000, "천"), (100, "백"), (10, "십"), (1, "")]


def english_words(n: int) -> str:
    """1..99,999 in American English words: 40005 -> 'forty thousand five'."""
    if not 1 <= n <= MAX_NUMBER:
        raise ValueError(f"the corpus covers 1..{MAX_NUMBER}, not {n}")

    def below_thousand(k: int) -> list[str]:
        words = []
        if k >= 100:
            words += [ONES[k // 100], "hundred"]
            k %= 100
        if k >= 20:
            words.append(TENS[k // 10])
            k %= 10
        if k:
            words.append(ONES[k])
        return words

    thousands, rest = divmod(n, 1000)
    words = (below_thousand(thousands) + ["thousand"] if thousands else []) + below_thousand(rest)
    return " ".join(words)


def korean_words(n: int) -> str:
    """1..99,999 in Sino-Korean numerals: 12345 -> '만 이천삼백사십오', 10000 -> '만', 40005 -> '사만 오'."""
    if not 1 <= n <= MAX_NUMBER:
        raise ValueError(f"the corpus covers 1..{MAX_NUMBER}, not {n}")

    def below_man(k: int) -> str:
        text = ""
        for value, unit in KOREAN_UNITS:
            digit = k // value % 10
            if digit:
                text += (KOREAN_DIGITS[digit] if digit > 1 or not unit else "") + unit
        return text

    man, rest = divmod(n, 10_000)
    parts = ([(KOREAN_DIGITS[man] if man > 1 else "") + "만"] if man else []) + ([below_man(rest)] if rest else [])
    return " ".join(parts)


def pair(n: int) -> tuple[str, str]:
    return english_words(n), korean_words(n)


def make_splits(seed: int = 0, train: int = 20_000, valid: int = 1_000, test: int = 1_000,
                low: int = 1, high: int = MAX_NUMBER) -> dict[str, list[tuple[str, str]]]:
    """Disjoint train / valid / test lists of (english, korean) pairs, numbers drawn without
    replacement from low..high by `random.Random(seed)`; the same seed always gives the same splits."""
    numbers = random.Random(seed).sample(range(low, high + 1), train + valid + test)
    return {"train": [pair(n) for n in numbers[:train]],
            "valid": [pair(n) for n in numbers[train:train + valid]],
            "test": [pair(n) for n in numbers[train + valid:]]}


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """(source, target) per non-blank line of a tab-separated file; surrounding whitespace dropped."""
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            source, _tab, target = line.partition("\t")
            pairs.append((source.strip(), target.strip()))
    return pairs


def write_tsv(path: Path, pairs) -> Path:
    Path(path).write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    return Path(path)
