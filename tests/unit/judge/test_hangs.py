"""ptgrade/judge/hangs.py: what timed out once is refused at once afterwards, by name."""
import pytest

from ptgrade.judge.hangs import IMPORTING, Hangs
from ptgrade.protocol.contract import CheckTimeout
from ptgrade.protocol.requests import Op
from ptgrade.protocol.wire import HandleRef


def test_a_called_function_is_known_by_the_attribute_that_gave_its_handle():
    hangs = Hangs()
    assert hangs.subject(Op.GETATTR, {"target": None, "name": "double"}, 1) == "double"
    hangs.named(1, 7, "double")
    assert hangs.subject(Op.CALL, {"target": HandleRef(7)}, 1) == "double"
    assert hangs.subject(Op.CALL, {"target": HandleRef(7)}, 2) is None  # a restarted worker's handle 7 is another
    assert hangs.subject(Op.OBSERVE, {"name": "trained_model"}, 1) == "trained_model"
    assert hangs.subject(Op.GETATTR, {"target": HandleRef(7), "name": "weight"}, 1) is None


def test_after_a_timeout_the_same_function_is_refused_and_others_are_not():
    hangs = Hangs()
    hangs.remember(CheckTimeout("timed out", seconds=5.0), "double")
    with pytest.raises(CheckTimeout, match="not run: double timed out in an earlier check \\(after 5 s\\)"):
        hangs.refuse("double", importing=False)
    hangs.refuse("square", importing=False)
    hangs.refuse(None, importing=True)


def test_an_import_that_timed_out_refuses_every_later_import_whatever_the_request():
    hangs = Hangs()
    hangs.remember(CheckTimeout("timed out", subject=IMPORTING, seconds=60.0), "double")
    with pytest.raises(CheckTimeout, match="importing your module timed out in an earlier check"):
        hangs.refuse("square", importing=True)
    hangs.refuse("square", importing=False)  # a module that imported (a later fix) is not refused


def test_a_timeout_of_a_request_that_names_nothing_is_not_remembered():
    hangs = Hangs()
    hangs.remember(CheckTimeout("timed out", seconds=5.0), None)
    assert hangs.timed_out == {}
