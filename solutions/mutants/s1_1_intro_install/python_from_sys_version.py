"""Reports "python" as sys.version, the long banner ("3.12.3 (main, Apr 10 2024, ...) [GCC 13.2.0]") instead of
the version alone, platform.python_version()."""
# sys.version vs platform.python_version(): https://docs.python.org/3/library/sys.html#sys.version
CAUGHT_BY = "test_report_matches_what_torch_says_here"
MESSAGE_MENTIONS = "platform.python_version()"
MESSAGE_MENTIONS_KO = "platform.python_version()"
import sys  # noqa: E402

from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s1_1_intro_install import environment_report as _reference_report  # noqa: E402


def environment_report():
    return {**_reference_report(), "python": sys.version}
