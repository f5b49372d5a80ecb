"""The private parts of pytest the judge's plugin uses (ptgrade/judge/plugin.py), so an upgrade that removes one fails
here, by name, before any grade is wrong. pyproject.toml bounds pytest below its next major version too."""
import _pytest.outcomes
import pytest

pytest_plugins = ["pytester"]


def test_the_outcome_base_class_outcomes_py_names_still_exists():
    assert _pytest.outcomes.OutcomeException.__module__ + ".OutcomeException" == "_pytest.outcomes.OutcomeException"
    assert issubclass(pytest.skip.Exception, _pytest.outcomes.OutcomeException)


def test_the_items_fixture_info_request_and_tmp_path_factory_have_the_names_the_plugin_reads(pytester):
    pytester.makeconftest('''
import pytest

seen = {}

@pytest.fixture(scope="module")
def data():
    return 1

def pytest_collection_modifyitems(items):
    seen["defs"] = [d for item in items for ds in item._fixtureinfo.name2fixturedefs.values() for d in ds]

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    seen["request"] = item._request
    yield

def pytest_sessionfinish(session):
    factory = session.config._tmp_path_factory
    assert hasattr(factory, "_basetemp") and hasattr(factory, "_given_basetemp")
    assert seen["defs"] and all(hasattr(d, "scope") for d in seen["defs"])
    assert hasattr(seen["request"], "node")
''')
    pytester.makepyfile("def test_one(data, tmp_path):\n    assert data == 1\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert result.ret == 0
