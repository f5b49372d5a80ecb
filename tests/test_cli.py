"""The command line: exit codes, the JSON schema, list, hint, verify, bad input in one sentence."""
import json

import pytest

JSON_ITEM_KEYS = {"id", "title", "score", "max_score", "checks"}
JSON_CHECK_KEYS = {"name", "dimension", "score", "max_score", "outcome", "message"}


def test_check_json_schema_and_exit_code_on_solutions(kit):
    done = kit.cli("check", "1.1", "--source", "solutions", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (item,) = data["items"]
    assert JSON_ITEM_KEYS <= set(item) and item["id"] == "1.1" and item["score"] == item["max_score"] == 3.0
    for check in item["checks"]:
        assert JSON_CHECK_KEYS <= set(check)
        assert check["outcome"] in {"passed", "failed", "not_started", "skipped", "error"}
        assert check["dimension"] in {"numerics", "gradients", "device", "convergence", "compile", "export",
                                      "distributed"}


def test_check_on_stub_exits_one_and_shows_not_started(kit):
    done = kit.cli("check", "1.1")
    assert done.returncode == 1
    assert "not started" in done.stdout and "0 / 3 points" in done.stdout


def test_unknown_item_is_one_sentence_and_exit_two(kit):
    done = kit.cli("check", "9.9")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no item '9.9'" in done.stderr
    assert "Traceback" not in done.stderr


def test_item_not_built_yet_is_said(kit):
    done = kit.cli("check", "1.2")
    assert done.returncode == 1 and "not built yet" in done.stdout


def test_missing_source_folder_is_a_usage_error(kit):
    done = kit.cli("check", "1.1", "--source", "no/such/folder")
    assert done.returncode == 2 and "no such folder" in done.stderr


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_item_not_built_yet_fails_nothing_in_either_language(kit, lang):
    # The exit code once read an English phrase of the (translated) problem sentence.
    done = kit.cli("check", "1", "--source", "solutions", "--lang", lang)
    assert done.returncode == 0, done.stdout + done.stderr


def test_section_selector_and_all(kit):
    done = kit.cli("check", "1", "--source", "solutions", "--json")
    assert [i["id"] for i in json.loads(done.stdout)["items"]] == ["1.1", "1.2"]
    done = kit.cli("check", "--all", "--source", "solutions", "--json")
    assert done.returncode == 0 and [i["id"] for i in json.loads(done.stdout)["items"]] == ["1.1"]


def test_list_shows_progress_after_a_check_in_both_languages(kit):
    kit.cli("check", "1.1")
    listing = kit.cli("list")
    assert listing.returncode == 0 and "Demo" in listing.stdout and "not started" in listing.stdout
    assert "not available yet" in listing.stdout
    assert "데모" in kit.cli("list", "--lang", "ko").stdout
    assert "데모" in kit.cli("list", input_env={"PTGRADE_LANG": "ko"}).stdout


def test_hint_advances_and_stays_on_the_last_and_the_answer_needs_all(kit):
    shown = [kit.cli("hint", "1.1").stdout for _ in range(4)]
    assert "First hint" in shown[0] and "Second hint" in shown[1] and "Third hint" in shown[2]
    assert "Third hint" in shown[3] and "hint 1.1 --all" in shown[3]
    assert not any("return 2 * x" in text for text in shown)  # the ladder never shows the answer's code
    every = kit.cli("hint", "1.1", "--all").stdout
    assert all(h in every for h in ("First hint", "Second hint", "Third hint", "1.1 answer", "return 2 * x"))


def test_hints_holding_brackets_print_them(kit):
    manifest = kit.root / "curriculum.toml"
    manifest.write_text(manifest.read_text().replace("First hint.", "v2.Normalize([mean], [std]) and x[i]."))
    assert "v2.Normalize([mean], [std]) and x[i]." in kit.cli("hint", "1.1").stdout
    assert "[mean]" in kit.cli("hint", "1.1", "--all").stdout


def test_malformed_manifest_is_a_clear_error(kit):
    (kit.root / "curriculum.toml").write_text("[[item]]\nid = 3\n")
    done = kit.cli("list")
    assert done.returncode == 2 and "curriculum.toml" in done.stderr and "Traceback" not in done.stderr


def test_device_cuda_without_a_gpu_is_said(kit):
    done = kit.cli("check", "1.1", "--source", "solutions", "--device", "cuda")
    assert done.returncode == 1 and "torch.cuda.is_available() is False" in done.stdout


MUTANT = '''"""Triples instead of doubling."""
CAUGHT_BY = "test_double_doubles"
MESSAGE_MENTIONS = "{word}"
from solutions.s1_1_demo import *  # noqa


def double(x):
    return x * 3
'''


def test_verify_passes_on_a_sound_item_and_flags_each_violation(kit):
    kit.write("solutions/mutants/s1_1_demo/triple.py", MUTANT.format(word="multiply"))
    done = kit.cli("verify", "1.1")
    assert done.returncode == 0, done.stdout
    # A mutant the grader misses, a message that does not name the mistake, a stub that scores.
    kit.write("solutions/mutants/s1_1_demo/triple.py", MUTANT.format(word="zebra"))
    kit.write("solutions/mutants/s1_1_demo/harmless.py", MUTANT.format(word="").replace("x * 3", "x + x"))
    kit.write("exercises/s1_1_demo.py",
              "def double(x):\n    return 2 * x\n\ndef square(x):\n    raise NotImplementedError\n")
    done = kit.cli("verify", "1.1", "--json")
    assert done.returncode == 1
    findings = json.loads(done.stdout[: done.stdout.rindex("]") + 1])
    bad = {f["subject"]: f["detail"] for f in findings if not f["ok"]}
    assert "zebra" in bad["triple.py"] and "not caught" in bad["harmless.py"]
    mutants = {f["subject"]: f["mutant"] for f in findings if f["mutant"]}
    assert mutants == {"triple.py": "caught", "harmless.py": "missed"}, mutants
    (summary,) = [f["detail"] for f in findings if f["subject"] == "mutants named"]
    assert summary == "0 of 2 named by their message, 1 only caught, 1 missed"
    assert "test_double_doubles: passed" in bad["stub"]


def test_a_file_that_does_not_import_is_explained_once_not_under_every_check(kit):
    folder = kit.submission("def double(x:\n    return x\n").parent
    done = kit.cli("check", "1.1", "--source", str(folder))
    assert done.returncode == 1 and done.stdout.count("syntax error") == 1, done.stdout
    assert "(the same as above)" in done.stdout
