"""Imports torchaudio in environment_report without catching ImportError, so the report crashes on every
machine without torchaudio instead of saying None."""
CAUGHT_BY = "test_report_gives_torchaudio_its_own_version_or_none"
MESSAGE_MENTIONS = "without catching ImportError"
MESSAGE_MENTIONS_KO = "ImportError(ModuleNotFoundError)를 잡지 않고"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s1_1_intro_install import environment_report as _reference_report  # noqa: E402


def environment_report():
    import torchaudio
    return {**_reference_report(), "torchaudio": str(torchaudio.__version__)}
