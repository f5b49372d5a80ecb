"""ptgrade/i18n.py: the language chosen as promised (flag, environment, stored, locale) and sentences looked up
in the Korean catalogue. (Every engine message has its translation: tests/test_korean.py.)"""
from ptgrade import i18n


def test_language_is_chosen_flag_then_environment_then_stored_then_locale(monkeypatch):
    for name in ("PTGRADE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert i18n.choose() == "en"
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.choose() == "ko"
    assert i18n.choose(stored="en") == "en"
    monkeypatch.setenv("PTGRADE_LANG", "en")
    assert i18n.choose(stored="ko") == "en"
    assert i18n.choose("ko") == "ko"


def test_an_unknown_language_is_passed_over(monkeypatch):
    for name in ("PTGRADE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PTGRADE_LANG", "fr")
    assert i18n.choose("de", stored="ko") == "ko"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.choose() == "en"  # LC_ALL decides before LANG


def test_use_falls_back_to_english_and_sentences_follow():
    i18n.use("ko")
    assert i18n.current() == "ko" and i18n._("passed") != "passed"
    assert i18n._("a sentence no catalogue holds") == "a sentence no catalogue holds"
    i18n.use("klingon")
    assert i18n.current() == "en" and i18n._("passed") == "passed"
