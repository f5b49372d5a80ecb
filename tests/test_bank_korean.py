"""Each bank mutant names, beside the English words its feedback must say (MESSAGE_MENTIONS, checked at run time by
`verify`), the Korean words the same sentence says (MESSAGE_MENTIONS_KO): the grader's say(English, Korean) pair, or
the engine catalogue's entry, whose English holds the first must hold the second in Korean. Read from the source, so
no second grading in Korean is needed."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from support.says import pairs_for

from ptgrade import i18n

MUTANTS = Path(__file__).resolve().parents[1] / "solutions" / "mutants"
BANK = sorted(MUTANTS.glob("*/*.py"))


def _declared(path: Path) -> dict[str, str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.targets[0].id: node.value.value for node in tree.body
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def _catalogue_pairs() -> list[tuple[str, str]]:
    with i18n.CATALOGUE.open("rb") as handle:
        return [(m.id, m.string) for m in read_po(handle) if m.id and isinstance(m.id, str)]


CATALOGUE = _catalogue_pairs()
DECLARED = {path: _declared(path) for path in BANK}
WITH_KOREAN = [path for path in BANK if "MESSAGE_MENTIONS_KO" in DECLARED[path]]
KOREAN_FLOOR = 0.90  # the share of the bank that names its mistake in Korean too: raised as the bank is written


def test_the_bank_names_its_mistakes_in_korean_too():
    assert len(WITH_KOREAN) >= KOREAN_FLOOR * len(BANK), f"{len(WITH_KOREAN)} of {len(BANK)}"


@pytest.mark.parametrize("path", WITH_KOREAN, ids=[f"{p.parent.name}/{p.stem}" for p in WITH_KOREAN])
def test_the_korean_words_are_said_by_the_same_sentence(path):
    declared = DECLARED[path]
    korean = declared["MESSAGE_MENTIONS_KO"]
    english = declared.get("MESSAGE_MENTIONS", "")
    assert english, f"{path.name}: MESSAGE_MENTIONS_KO without MESSAGE_MENTIONS"
    sentences = [pair for pair in (*pairs_for(path.parent.name), *CATALOGUE) if english in pair[0]]
    assert sentences, f"{path.name}: no say(...) of the grader nor engine message holds {english!r}"
    assert any(korean in ko for _en, ko in sentences), (
        f"{path.name}: {korean!r} is not in the Korean of the sentences that say {english!r}: "
        + " | ".join(ko for _en, ko in sentences[:3]))
