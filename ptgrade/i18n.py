"""The kit's two languages. Every sentence the engine says is written in English inside `_()` and
translated in the gettext catalogue `ptgrade/locale/ko/LC_MESSAGES/ptgrade.po` (extract new ones
with `pybabel extract -k _ -o ptgrade/locale/ptgrade.pot ptgrade` and merge them with `pybabel
update`); tests/test_korean.py fails when a message lacks its translation.

The language is, in order: `--lang`, $PTGRADE_LANG, the one stored in the progress file, the
locale ($LC_ALL, $LC_MESSAGES, $LANG: `ko_KR.UTF-8` means Korean), else English.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

LANGUAGES = ("en", "ko")
CATALOGUE = Path(__file__).with_name("locale") / "ko" / "LC_MESSAGES" / "ptgrade.po"
_current = os.environ.get("PTGRADE_LANG") if os.environ.get("PTGRADE_LANG") in LANGUAGES else "en"


def choose(explicit: str | None = None, stored: str | None = None) -> str:
    for candidate in (explicit, os.environ.get("PTGRADE_LANG"), stored):
        if candidate in LANGUAGES:
            return candidate
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def use(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"


def current() -> str:
    return _current


@functools.cache
def _catalogue() -> dict[str, str]:
    from babel.messages.pofile import read_po
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle)
    return {message.id: message.string for message in catalog if message.id and message.string
            and not message.fuzzy}


def _(message: str) -> str:
    """`message` in the current language (English is the key)."""
    if _current == "en":
        return message
    return _catalogue().get(message, message)
