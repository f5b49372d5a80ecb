"""`@observation`: the mark on a grader function that runs beside the student's code.

A grader's observations live in `graders/observations/<module name>.py`, the only grader code the worker
imports. Called with `impl` in the judge, an observation is sent to the worker (ptgrade/judge/remote.py installs
the dispatcher when the judge loads it) and runs there on the student's real module; anywhere else (in the
worker, in a plain test) it is an ordinary call. It returns what it observed, as data, never an expected value.
"""
from __future__ import annotations

import functools
from typing import Callable, Protocol

#: Modules the worker runs an observation from: the item's observations and the support they share.
OBSERVATION_PACKAGES = ("graders.observations.", "graders.support.")


class Dispatcher(Protocol):
    def is_remote(self, impl) -> bool: ...

    def observe(self, impl, function: Callable, args: tuple, kwargs: dict): ...


_dispatcher: Dispatcher | None = None


def install(dispatcher: Dispatcher) -> None:
    """The judge's way of sending an observation to the worker (called once, by ptgrade/judge/remote.py)."""
    global _dispatcher
    _dispatcher = dispatcher


def observation(function):
    """Mark `function(impl, *data)` as an observation: it runs where the student's code runs."""

    @functools.wraps(function)
    def run(impl, *args, **kwargs):
        if _dispatcher is not None and _dispatcher.is_remote(impl):
            return _dispatcher.observe(impl, function, args, kwargs)
        return function(impl, *args, **kwargs)  # already in the worker (or a plain test)

    run.__ptgrade_observation__ = function
    return run


def may_run_from(module: str) -> bool:
    """Whether the worker may run an observation defined in `module` (never a judge's check module)."""
    return module.startswith(OBSERVATION_PACKAGES)
