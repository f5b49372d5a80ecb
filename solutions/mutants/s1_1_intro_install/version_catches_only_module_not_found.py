"""Catches only ModuleNotFoundError: a package that is installed but whose import fails with a plain ImportError (one
built for another torch: "undefined symbol") crashes the report instead of giving None."""
CAUGHT_BY = "test_package_version_reports_missing_packages_as_none"
MESSAGE_MENTIONS = "only ModuleNotFoundError is caught"
MESSAGE_MENTIONS_KO = "ModuleNotFoundError만 잡고 있지만"
import importlib  # noqa: E402

from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def package_version(name):
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError:
        return None
    return str(module.__version__)
