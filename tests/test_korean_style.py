"""Korean as a learner reads it: one term for one idea (docs/glossary.toml), no English phrase glossed inside a
Korean sentence, no semicolon in Korean text, particles that fit the value they follow, the guide's first-use
rule (한글(English)) in prose, and README.ko.md with README.md's sections.

Where a learner reads Korean: the Korean stubs (exercises/ko/: docstrings, comments and what they print), the
graders' Korean (the second argument of every say(...) and every title's ko=, read with ast), the curriculum's
*_ko fields, the engine's catalogue (ptgrade/locale/ko/.../ptgrade.po) and README.ko.md. Code is not Korean
text: `backticks`, {values}, quoted strings, URLs and the indented code lines of a docstring are left out.

`python tests/test_korean_style.py` prints every violation with its place (what the test reports).
"""
from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomllib
from support.says import texts_of

KIT_ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = KIT_ROOT / "docs" / "glossary.toml"
HANGUL = re.compile("[가-힣]")
VALUE = "\x00"  # where an f-string's value (or any computed part) sits in a Korean text


@dataclass(frozen=True)
class Text:
    where: str  # file:line
    text: str
    prose: bool = False  # prose (a stub docstring, a hint, README.ko): a term may carry its English, 변화도(gradient)
    document: bool = False  # a whole document (README.ko, a stub's module docstring): the first-use rule applies


# --- where a learner reads Korean -------------------------------------------------------------------------------

def _spoken(node: ast.AST) -> str | None:
    """The words of a string expression, each computed part as VALUE, one line per branch of a conditional part
    (None: not a string expression)."""
    texts = texts_of(node, VALUE)
    return None if texts is None else "\n".join(dict.fromkeys(texts))


def grader_texts(path: Path) -> list[Text]:
    """The Korean of a grader module: say()'s second argument and title(..., ko=...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        parts = []
        if name.endswith("say") and len(node.args) >= 2:
            parts.append(node.args[1])
        parts += [k.value for k in node.keywords if k.arg == "ko"]
        for part in parts:
            text = _spoken(part)
            if text is not None and HANGUL.search(text):
                found.append(Text(f"{path.relative_to(KIT_ROOT)}:{part.lineno}", text))
    return found


def _docstring_prose(doc: str) -> str:
    """A docstring without its code: lines indented deeper than the text (formulas, examples) and >>> lines."""
    lines = doc.expandtabs().splitlines()
    body = [line for line in lines[1:] if line.strip()]
    base = min((len(line) - len(line.lstrip()) for line in body), default=0)
    kept = [lines[0]] + [line for line in lines[1:]
                         if not line.strip() or (len(line) - len(line.lstrip()) <= base
                                                 and not line.lstrip().startswith(">>>"))]
    return "\n".join(kept)


def stub_texts(path: Path) -> list[Text]:
    """The Korean of a Korean stub: docstrings (prose), comments and the strings it prints."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    where = str(path.relative_to(KIT_ROOT))
    found = []
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                docstrings.add(id(node.body[0].value))
                found.append(Text(f"{where}:{getattr(node, 'lineno', 1)}", _docstring_prose(doc), prose=True,
                                  document=isinstance(node, ast.Module)))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in docstrings:
            text = _spoken(node)
            if text and HANGUL.search(text):
                found.append(Text(f"{where}:{node.lineno}", text))
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and HANGUL.search(token.string):
            found.append(Text(f"{where}:{token.start[0]}", token.string.lstrip("# ")))
    return found


def curriculum_texts() -> list[Text]:
    data = tomllib.loads((KIT_ROOT / "curriculum.toml").read_text(encoding="utf-8"))
    found = []
    for kind in ("section", "item"):
        for entry in data.get(kind, []):
            where = f"curriculum.toml [{kind} {entry['id']}]"
            for key, value in entry.items():
                if key.endswith("_ko"):
                    for text in value if isinstance(value, list) else [value]:
                        found.append(Text(f"{where} {key}", text, prose=key == "hints_ko"))
    return found


def catalogue_texts() -> list[Text]:
    from babel.messages.pofile import read_po
    path = KIT_ROOT / "ptgrade" / "locale" / "ko" / "LC_MESSAGES" / "ptgrade.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return [Text(f"ptgrade.po: {message.id[:50]!r}", re.sub(r"\{[^{}]*\}|%\(\w+\)[sr]|%[sr]", VALUE, message.string))
            for message in catalogue if message.id and message.string]


def readme_texts() -> list[Text]:
    """README.ko.md without its code: fenced blocks are dropped (their lines kept blank, so lines still count)."""
    lines, code = [], False
    for line in (KIT_ROOT / "README.ko.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            code = not code
            lines.append("")
        else:
            lines.append("" if code else line)
    return [Text("README.ko.md", "\n".join(lines), prose=True, document=True)]


def korean_texts() -> list[Text]:
    found = []
    for path in sorted((KIT_ROOT / "graders").rglob("*.py")):
        found += grader_texts(path)
    for path in sorted((KIT_ROOT / "exercises" / "ko").glob("*.py")):
        found += stub_texts(path)
    return found + curriculum_texts() + catalogue_texts() + readme_texts()


# --- what is not Korean text --------------------------------------------------------------------------------------

CODE = re.compile(r"`[^`]*`"                      # `code`
                  r"|https?://\S+"                 # a link
                  r"|\"[^\"\n]*\"|“[^”\n]*”"       # a quoted value ("red circle")
                  r"|(?<![A-Za-z])'[^'\n]*'"       # 'mean'
                  r"|\{[^{}\n]*\}"                 # {placeholder} in a template
                  r"|\bfor \w+ in [\w.]+|\b(?:from [\w.]+ )?import [\w.]+(?: as \w+)?"  # Python written inline
                  r"|\bpip install \S+(?: \S+)*?(?=[가-힣\s]|$)|CUDA error: [a-z ]+")  # a command, torch's own error


def words_of(text: str) -> str:
    """The Korean text with code, links, quoted values and placeholders blanked out."""
    return CODE.sub(" ", text.replace(VALUE, " "))


def korean_lines(text: str):
    """(line offset, line) of each line of `text` that is Korean writing."""
    for offset, line in enumerate(text.splitlines()):
        if HANGUL.search(line):
            yield offset, line


# --- the rules ------------------------------------------------------------------------------------------------------

def load_glossary() -> list[dict]:
    return tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))["term"]


# A Latin phrase: three or more words of letters in a row (separated by spaces). A word that is code (torch.nn,
# x_i, f(x), 2d, nn.Module) is not a word, so a formula or a call never reads as a phrase.
_WORD = r"(?<![\w.(\[/\\=-])[A-Za-z][A-Za-z'’-]*(?![\w.(\[/\\=])"
LATIN_PHRASE = re.compile(rf"{_WORD}(?: +{_WORD}){{2,}}")


def latin_phrases(text: str) -> list[str]:
    return [m.group(0) for _, line in korean_lines(words_of(text)) for m in LATIN_PHRASE.finditer(line)]


def semicolons(text: str) -> list[str]:
    """A semicolon that ends a Korean clause (one inside a formula, `a(); b`, is code)."""
    found = []
    for _, line in korean_lines(words_of(text)):
        for match in re.finditer(";", line):
            clause = re.split(r"[.:;!?]\s", line[:match.start()])[-1]
            if HANGUL.search(clause):
                found.append(line.strip()[:80])
    return found


# An English gloss of two or more words in parentheses inside a Korean message ("(not inside it)", "(every
# tensor)"): the Korean says it already, or says it in Korean. A term's English in a prose text is the
# first-use rule's 한글(English), which stays.
GLOSS = re.compile(r"\((?:[A-Za-z][a-z'-]*)(?: [A-Za-z][a-z'-]*)+\)")


def english_glosses(text: str) -> list[str]:
    return [m.group(0) for _, line in korean_lines(words_of(text)) for m in GLOSS.finditer(line)]


def forbidden_variants(text: str, glossary: list[dict]) -> list[str]:
    words = words_of(text)
    found = []
    for term in glossary:
        for pattern in term.get("forbidden", []):
            for match in re.finditer(pattern, words):
                found.append(f"{match.group(0)!r} (say {term['ko']!r} for {term['en']!r})")
    return found


# A value (an f-string's {…}) followed by a particle whose form depends on the value's last sound: write the
# sentence so that no particle follows the value, or use the form that fits both (이(가), 을(를), 은(는), (으)로).
GLUED_PARTICLE = re.compile(VALUE + r"(?:이어야|여야|이었|였|이가|이는|이를|으로|[이가은는을를과와]|로)"
                            r"(?=[\s.,:)!?]|$)")


def glued_particles(text: str) -> list[str]:
    found = []
    for match in GLUED_PARTICLE.finditer(text):
        start = max(0, match.start() - 20)
        found.append(text[start:match.end() + 10].replace(VALUE, "{…}").replace("\n", " "))
    return found


def first_uses(text: str, glossary: list[dict]) -> list[str]:
    """A glossed term's first use in a prose text must say its English: 변화도(gradient)."""
    words = words_of(text)
    missing = []
    for term in glossary:
        if not term.get("gloss"):
            continue
        first = re.search(rf"{re.escape(term['ko'])}(?![가-힣]*\()", words)
        any_use = re.search(re.escape(term["ko"]), words)
        if any_use and first and first.start() == any_use.start():
            missing.append(f"{term['ko']}({term['en']})")
    return missing


def violations(texts: list[Text], glossary: list[dict]) -> list[str]:
    found = []
    for text in texts:
        problems = ([f"Latin phrase {p!r}" for p in latin_phrases(text.text)]
                    + [f"semicolon: {s!r}" for s in semicolons(text.text)]
                    + [f"forbidden {f}" for f in forbidden_variants(text.text, glossary)]
                    + [f"particle glued to a value: {g!r}" for g in glued_particles(text.text)])
        if not text.prose:
            problems += [f"English gloss {g!r}" for g in english_glosses(text.text)]
        if text.document:
            problems += [f"first use without its English: write {f}" for f in first_uses(text.text, glossary)]
        found += [f"{text.where}: {p}" for p in problems]
    return found


# --- the tests -------------------------------------------------------------------------------------------------------

def test_the_glossary_is_well_formed():
    glossary = load_glossary()
    assert len(glossary) >= 30
    for term in glossary:
        assert {"en", "ko", "source"} <= term.keys(), term
        assert HANGUL.search(term["ko"]), term
        for pattern in term.get("forbidden", []):
            re.compile(pattern)
            assert not re.search(pattern, term["ko"]), f"{term['en']}: its own Korean is forbidden by {pattern!r}"


def test_the_extraction_finds_every_kind_of_korean_text():
    texts = korean_texts()
    places = {t.where.split(":")[0].split(" ")[0] for t in texts}
    assert any(p.startswith("graders/test_") for p in places)
    assert any(p.startswith("exercises/ko/") for p in places)
    assert {"curriculum.toml", "ptgrade.po", "README.ko.md"} <= places
    assert len(texts) > 1500  # 1,287 say() and 265 titles when issue 26 counted them, plus stubs and hints


def test_the_rules_catch_what_they_are_for():
    glossary = load_glossary()
    assert latin_phrases("정답 클래스를 포함한(the true one included) 모든 클래스")
    assert english_glosses("루프 안(not inside it)이 아니라") and not english_glosses("변화도(gradient)를")
    assert not latin_phrases("`torch.nn.functional` 과 nn.Module, x_i - log sum, \"red circle big\"")
    assert semicolons("모멘텀을 씁니다; 그다음") and not semicolons("`a; b`를 씁니다")
    assert forbidden_variants("날것의 로짓으로 웜업을 합니다", glossary)
    assert glued_particles(f"값이 {VALUE}이어야 합니다") and not glued_particles(f"값: {VALUE}, 결과 {VALUE}입니다")


@pytest.mark.parametrize("kind", ["graders", "stubs", "curriculum", "catalogue", "readme"])
def test_korean_text_follows_the_glossary_and_the_style(kind):
    texts = {"graders": lambda: [t for p in sorted((KIT_ROOT / "graders").rglob("*.py")) for t in grader_texts(p)],
             "stubs": lambda: [t for p in sorted((KIT_ROOT / "exercises" / "ko").glob("*.py")) for t in stub_texts(p)],
             "curriculum": curriculum_texts, "catalogue": catalogue_texts, "readme": readme_texts}[kind]()
    found = violations(texts, load_glossary())
    assert not found, f"{len(found)} problems in Korean text (docs/glossary.toml):\n" + "\n".join(found)


def _headings(path: Path) -> list[str]:
    return [line.split(" ", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()
            if re.match(r"#{2,3} ", line)]


def test_readme_ko_has_the_sections_of_readme():
    assert _headings(KIT_ROOT / "README.ko.md") == _headings(KIT_ROOT / "README.md")


if __name__ == "__main__":
    problems = violations(korean_texts(), load_glossary())
    print("\n".join(problems))
    print(f"{len(problems)} problems", file=sys.stderr)
