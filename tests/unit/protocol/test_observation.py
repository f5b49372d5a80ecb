"""ptgrade/protocol/observation.py: `@observation` runs where the student's code runs; without a dispatcher
(in the worker, in a plain test) it is an ordinary call."""
import pytest

from ptgrade.protocol import observation as observation_module
from ptgrade.protocol.observation import may_run_from, observation


@observation
def _shape_of(impl, name, *, twice=False):
    """What `impl.<name>` returns for a 2x3 input."""
    value = getattr(impl, name)((2, 3))
    return (value, value) if twice else value


class _Module:
    @staticmethod
    def make(shape):
        return list(shape)


class _Dispatcher:
    def __init__(self, remote):
        self.remote, self.sent = remote, []

    def is_remote(self, impl):
        return impl in self.remote

    def observe(self, impl, function, args, kwargs):
        self.sent.append((impl, function, args, kwargs))
        return "observed in the worker"


@pytest.fixture
def dispatcher(monkeypatch):
    """Installs a dispatcher for one test; the module's own is put back after."""
    def install(remote):
        installed = _Dispatcher(remote)
        monkeypatch.setattr(observation_module, "_dispatcher", None)
        observation_module.install(installed)
        return installed
    return install


def test_without_a_dispatcher_an_observation_is_an_ordinary_call(monkeypatch):
    monkeypatch.setattr(observation_module, "_dispatcher", None)
    assert _shape_of(_Module(), "make") == [2, 3]
    assert _shape_of(_Module(), "make", twice=True) == ([2, 3], [2, 3])


def test_the_mark_keeps_the_function_name_docstring_and_the_function_itself():
    assert _shape_of.__name__ == "_shape_of" and _shape_of.__doc__.startswith("What `impl.<name>`")
    original = _shape_of.__ptgrade_observation__
    assert original is not _shape_of and original(_Module(), "make") == [2, 3]


def test_with_a_dispatcher_a_remote_impl_is_observed_through_it(dispatcher):
    remote = object()
    installed = dispatcher([remote])
    assert _shape_of(remote, "make", twice=True) == "observed in the worker"
    ((impl, function, args, kwargs),) = installed.sent
    assert impl is remote and function is _shape_of.__ptgrade_observation__
    assert args == ("make",) and kwargs == {"twice": True}


def test_with_a_dispatcher_a_local_impl_is_still_called_here(dispatcher):
    installed = dispatcher([])
    assert _shape_of(_Module(), "make") == [2, 3] and installed.sent == []


@pytest.mark.parametrize("module, allowed", [
    ("graders.observations.s1_2_tensors", True),
    ("graders.support.assertions", True),
    ("graders.test_s1_2_tensors", False),       # a judge's check module
    ("graders.observations", False),            # the package itself defines no observation
    ("graders.observationsx.s1_2_tensors", False),
    ("ptgrade.judge.remote", False),
    ("x.graders.observations.s1_2_tensors", False),
    ("", False),
])
def test_may_run_from_only_the_observation_packages(module, allowed):
    assert may_run_from(module) is allowed
