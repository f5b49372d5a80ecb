"""Reads the version from the installed distribution's metadata, which finds a package that cannot be imported."""
CAUGHT_BY = "test_package_version_reports_missing_packages_as_none"
MESSAGE_MENTIONS = "not installed"
MESSAGE_MENTIONS_KO = "설치되지 않은 패키지에 대한 package_version"
from importlib import metadata  # noqa: E402

from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def package_version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
