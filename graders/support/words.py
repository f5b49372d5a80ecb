"""Words for the student in the run's language, for both processes: a check's feedback in the judge, and a sentence
an observation or a faked machine says in the worker."""
from __future__ import annotations

from ptgrade import i18n


def say(en: str, ko: str) -> str:
    """A sentence for the student in the run's language, written in English and Korean side by side (terms as in
    the PyTorch Korea translation guide; code names stay as they are)."""
    return ko if i18n.current() == "ko" else en
