"""ptgrade/instructor/verify.py, its pure part: a bank mutant's result judged (missed, only caught, or named: the
check that catches it says the word it declares) and each item's count of named mutants. (Grading the bank for
real: tests/test_cli.py and tests/test_curriculum.py.)"""
from pathlib import Path
from types import SimpleNamespace

from ptgrade.instructor import verify
from ptgrade.protocol.results import CheckResult, ItemResult, Outcome

ITEM = SimpleNamespace(id="1.1")


def _mutant(mentions: str) -> verify.Mutant:
    return verify.Mutant(Path("triple.py"), "Triples.", "test_double_doubles", mentions)


def _result(outcome: str, message: str = "") -> ItemResult:
    return ItemResult("1.1", "Demo", [CheckResult("test_double_doubles", "numerics", 1, outcome, message)])


def test_a_mutant_is_named_when_the_catching_message_says_its_word():
    finding = verify._judge_mutant(ITEM, _mutant("multiply"), _result(Outcome.FAILED, "Multiply by 2, not 3."))
    assert finding.ok and finding.mutant == "named"


def test_a_mutant_whose_message_lacks_its_word_is_only_caught_and_a_violation():
    finding = verify._judge_mutant(ITEM, _mutant("multiply"), _result(Outcome.FAILED, "3 of 4 values differ."))
    assert not finding.ok and finding.mutant == "caught" and "'multiply'" in finding.detail


def test_a_mutant_that_declares_no_word_is_only_caught():
    finding = verify._judge_mutant(ITEM, _mutant(""), _result(Outcome.ERROR, "boom"))
    assert finding.ok and finding.mutant == "caught"


def test_a_mutant_that_passes_is_missed():
    finding = verify._judge_mutant(ITEM, _mutant("multiply"), _result(Outcome.PASSED))
    assert not finding.ok and finding.mutant == "missed"


def test_the_items_summary_counts_named_caught_and_missed_mutants():
    findings = [verify.Finding("1.1", "solution", True, "1/1"),
                verify.Finding("1.1", "a.py", True, "", mutant="named"),
                verify.Finding("1.1", "b.py", True, "", mutant="named"),
                verify.Finding("1.1", "c.py", False, "", mutant="caught"),
                verify.Finding("1.1", "d.py", False, "", mutant="missed"),
                verify.Finding("1.2", "e.py", True, "", mutant="named")]
    summary = verify.naming("1.1", findings)
    assert summary.ok and summary.subject == "mutants named" and summary.mutant == ""
    assert summary.detail == "2 of 4 named by their message, 1 only caught, 1 missed"
    assert verify.naming("1.3", findings) is None
