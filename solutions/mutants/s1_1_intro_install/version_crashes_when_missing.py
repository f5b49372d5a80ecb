"""Imports the package without catching ImportError, so a missing optional package crashes the report."""
CAUGHT_BY = "test_package_version_reports_missing_packages_as_none"
MESSAGE_MENTIONS = "ImportError"
MESSAGE_MENTIONS_KO = "ImportError"
import importlib  # noqa: E402

from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def package_version(name):
    return str(importlib.import_module(name).__version__)
