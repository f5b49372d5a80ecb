"""The unit tests: the pure modules of ptgrade, one test file per module (tests/unit/<package>/test_<module>.py
mirrors ptgrade/<package>/<module>.py). No judge, no worker, no subprocess: the whole folder runs in seconds."""
from __future__ import annotations

import pytest

from ptgrade import i18n


@pytest.fixture(autouse=True)
def english():
    """Sentences are compared in English, whatever $PTGRADE_LANG the session was started with."""
    before = i18n.current()
    i18n.use("en")
    yield
    i18n.use(before)
