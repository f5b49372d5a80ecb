"""Korean, the curriculum's own language: every engine message in both languages, Korean stubs that
are the English stubs' code with Korean text, Korean hints, and the language chosen as promised
(i18n.choose itself: tests/unit/test_i18n.py)."""
import ast
import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ptgrade import i18n
from ptgrade.course import manifest as manifest_module

KIT_ROOT = Path(__file__).resolve().parent.parent
MANIFEST = manifest_module.load(KIT_ROOT)
BUILT = [item for item in MANIFEST.items if item.available]
PLACEHOLDER = re.compile(r"\{(\w*)\}|%\((\w+)\)[sr]|%[sr]")  # str.format's and argparse's


def _engine_messages() -> set[str]:
    found = extract_from_dir(str(KIT_ROOT / "ptgrade"), method_map=[("**.py", "python")], keywords={"_": None})
    return {message for _file, _line, message, _comments, _context in found}


def test_every_engine_message_has_korean_with_the_same_placeholders():
    with i18n.CATALOGUE.open("rb") as handle:
        catalogue = {m.id: m for m in read_po(handle) if m.id}
    messages = _engine_messages()
    assert messages, "no _() messages found: the extraction is broken"
    missing = sorted(m for m in messages if m not in catalogue or not catalogue[m].string or catalogue[m].fuzzy)
    assert not missing, f"messages without Korean (pybabel extract + update, then translate): {missing}"
    for message in messages:
        assert sorted(PLACEHOLDER.findall(message)) == sorted(PLACEHOLDER.findall(catalogue[message].string)), message
        assert re.search("[가-힣]", catalogue[message].string), f"not Korean: {catalogue[message].string!r}"


def _code_without_docstrings(path: Path) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    # Text a stub prints (the words of an f-string, a string passed to print) is the learner's language;
    # values in it are code.
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            node.value = ast.Constant("text")
        elif isinstance(node, ast.JoinedStr):
            node.values = [ast.Constant("text") if isinstance(v, ast.Constant) else v for v in node.values]
    for text in _printed_text(tree):
        text.value = "text"
    return ast.dump(tree)


def _printed_text(tree: ast.AST) -> list[ast.Constant]:
    """The string literals a print(...) call shows, at any depth of its arguments (print(_row(("mode", -16))))
    but not a key (row["mode"]) or a format spec: those are code."""
    code = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            code.update(id(n) for n in ast.walk(node.slice))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            code.update(id(n) for n in ast.walk(node.format_spec))
    return [node for call in ast.walk(tree)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print"
            for arg in call.args for node in ast.walk(arg)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in code]


@pytest.mark.parametrize("item", BUILT, ids=[item.id for item in BUILT])
def test_korean_stub_is_the_english_code_with_korean_text(item):
    english, korean = MANIFEST.exercises_dir / item.file_name, MANIFEST.stubs_dir("ko") / item.file_name
    assert korean.is_file(), f"{korean.relative_to(KIT_ROOT)} is missing"
    assert _code_without_docstrings(korean) == _code_without_docstrings(english), \
        "the Korean stub's code (names, signatures, defaults, bodies) differs from the English stub's"
    docstring = ast.get_docstring(ast.parse(korean.read_text(encoding="utf-8"))) or ""
    assert re.search("[가-힣]", docstring), "the Korean stub's task statement is not in Korean"
    english_printed = [t.value for t in _printed_text(ast.parse(korean.read_text(encoding="utf-8")))
                       if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", t.value)]
    assert not english_printed, f"the Korean stub prints English: {english_printed}"


@pytest.mark.parametrize("item", BUILT, ids=[item.id for item in BUILT])
def test_korean_hints_match_the_english_ladder(item):
    assert len(item.hints_ko) == len(item.hints) and all(re.search("[가-힣]", h) for h in item.hints_ko)


def test_korean_learner_meets_korean_from_the_cli_and_the_choice_is_remembered(kit):
    done = kit.cli("check", "9.9", "--lang", "ko")
    assert done.returncode == 2 and "항목이 없습니다" in done.stderr and "Traceback" not in done.stderr
    assert json.loads((kit.root / "state.json").read_text())["lang"] == "ko"
    hint = kit.cli("hint", "1.1")  # no flag now: the stored choice holds
    assert "첫째 힌트입니다." in hint.stdout and "힌트 1/3" in hint.stdout
    listing = kit.cli("list")
    assert "기본" in listing.stdout and "채점 전" in listing.stdout
    english = kit.cli("hint", "1.1", "--lang", "en")
    assert "Second hint." in english.stdout


def test_lang_en_undoes_a_remembered_korean_choice(kit):
    kit.cli("list", "--lang", "ko")
    assert "채점 전" in kit.cli("list").stdout and "사용법" in kit.cli("--help").stdout  # remembered
    assert kit.cli("list", "--lang", "en").returncode == 0
    assert json.loads((kit.root / "state.json").read_text())["lang"] == "en"
    listing, usage = kit.cli("list").stdout, kit.cli("--help").stdout  # no flag: English is remembered now
    assert "not checked" in listing and "채점 전" not in listing
    assert "usage:" in usage and "사용법" not in usage


def test_korean_stub_is_what_a_korean_learner_checks_and_it_scores_zero(kit):
    done = kit.cli("check", "1.1", "--lang", "ko", "--json")
    result = json.loads(done.stdout)["items"][0]
    assert result["score"] == 0 and {c["outcome"] for c in result["checks"]} <= {"not_started", "skipped"}
    shown = kit.cli("check", "1.1").stdout  # the stored choice: the view speaks Korean too
    assert "시작 전" in shown and "점 중" in shown


def test_release_in_korean_puts_the_korean_stubs_in_exercises(kit, tmp_path):
    from ptgrade.course import release
    out = release.write(kit.manifest, tmp_path / "edition", lang="ko")
    assert "2 * x를 반환합니다." in (out / "exercises" / "s1_1_demo.py").read_text(encoding="utf-8")
    assert not (out / "exercises" / "ko").exists()


def _checks(grader: Path):
    tree = ast.parse(grader.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any("points" in ast.unparse(d) for d in node.decorator_list):
            yield node


@pytest.mark.parametrize("item", BUILT, ids=[item.id for item in BUILT])
def test_every_check_has_a_title_in_both_languages(item):
    untitled = []
    for check in _checks(MANIFEST.grader_path(item)):
        titles = [d for d in check.decorator_list
                  if isinstance(d, ast.Call) and ast.unparse(d.func).endswith("mark.title")]
        korean = [k.value for t in titles for k in t.keywords if k.arg == "ko"]
        if (len(titles) != 1 or not titles[0].args or not korean
                or not re.search("[가-힣]", ast.literal_eval(korean[0]))):
            untitled.append(check.name)
    assert not untitled, f"checks without a title in English and Korean: {untitled}"


def test_argparse_speaks_korean_too(kit):
    done = kit.cli("check", "--no-such-option", "--lang", "ko")
    assert done.returncode == 2 and "알 수 없는 인자입니다: --no-such-option" in done.stderr
    assert "사용법:" in done.stderr and "usage:" not in done.stderr


def test_gradescope_bundle_in_korean_grades_and_teaches_in_korean(tmp_path):
    import zipfile

    from ptgrade.integrations import gradescope
    bundle = zipfile.ZipFile(gradescope.build_bundle(MANIFEST, tmp_path / "autograder.zip", lang="ko"))
    assert "--lang ko" in bundle.read("run_autograder").decode()
    stub = bundle.read(f"kit/exercises/{BUILT[0].file_name}").decode("utf-8")
    assert re.search("[가-힣]", ast.get_docstring(ast.parse(stub)) or ""), "the bundle's stub is not the Korean one"


def test_nbgrader_course_in_korean_has_the_korean_lesson_and_feedback(tmp_path):
    from ptgrade.integrations import nbgrader
    item = BUILT[1]
    notebook = nbgrader.item_notebook(MANIFEST, item, [], lang="ko")
    assert re.search("[가-힣]", notebook.cells[0].source), "the task description is not Korean"
    config = nbgrader.CONFIG.format(stub='"x"', timeout=1, lang="ko")
    assert 'os.environ.setdefault("PTGRADE_LANG", "ko")' in config


PROSE = re.compile(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+")  # three English words in a row: a sentence, not a code label


def _english_only_messages(grader: Path) -> list[str]:
    """Messages and hints a grader writes as a bare English literal instead of say(en, ko)."""
    tree = ast.parse(grader.read_text(encoding="utf-8"))
    found = []

    def prose(node) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return bool(PROSE.search(node.value))
        if isinstance(node, ast.JoinedStr):
            return bool(PROSE.search("".join(v.value for v in node.values if isinstance(v, ast.Constant))))
        if isinstance(node, ast.BinOp):
            return prose(node.left) or prose(node.right)
        return False

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        spoken = []
        if name == "check":
            spoken = node.args[1:3]
        elif name in ("pytest.fail", "pytest.skip", "AssertionError", "not_started"):
            spoken = node.args[:1]
        spoken += [k.value for k in node.keywords if k.arg in ("hint", "reason", "msg")]
        found += [f"line {node.lineno}: {ast.unparse(arg)[:60]}" for arg in spoken if prose(arg)]
    for node in tree.body:  # module-level hints: HINT = "..." must be say(...)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and "HINT" in t.id for t in node.targets):
            if prose(node.value):
                found.append(f"line {node.lineno}: {ast.unparse(node.targets[0])}")
    return found


@pytest.mark.parametrize("item", BUILT, ids=[item.id for item in BUILT])
def test_every_grader_message_is_written_in_both_languages(item):
    english_only = _english_only_messages(MANIFEST.grader_path(item))
    assert not english_only, "feedback in English only (write say(english, korean)):\n" + "\n".join(english_only)


def test_say_speaks_the_judges_language(monkeypatch):
    from graders.support.assertions import say
    i18n.use("ko")
    try:
        assert say("the loss", "손실") == "손실"
    finally:
        i18n.use("en")
    assert say("the loss", "손실") == "the loss"


def test_nbgrader_build_errors_and_notebook_messages_speak_korean():
    from ptgrade.integrations import nbgrader, notebook
    i18n.use("ko")
    try:
        with pytest.raises(nbgrader.BuildError, match="스텁에 있는 `f` 정의가 없습니다"):
            nbgrader._find([], "f", Path("s1_1_demo.py"))
        assert "올바른 Python 코드가 아닙니다" in notebook.export([("In [1]", "def f(:\n")]).left_out[0]
    finally:
        i18n.use("en")
