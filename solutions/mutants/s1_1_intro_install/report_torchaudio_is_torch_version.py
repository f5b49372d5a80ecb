"""Reports torch's version under "torchaudio" (the two are released together, but torchaudio is its own
package, installed or not, with its own __version__)."""
CAUGHT_BY = "test_report_gives_torchaudio_its_own_version_or_none"
MESSAGE_MENTIONS = "torch's version"
MESSAGE_MENTIONS_KO = "torch의 버전인"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s1_1_intro_install import environment_report as _reference_report  # noqa: E402


def environment_report():
    return {**_reference_report(), "torchaudio": str(torch.__version__)}
