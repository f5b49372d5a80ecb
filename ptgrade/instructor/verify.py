"""`ptgrade verify`: the graders are measured, not trusted. For each built item: the reference solution, and
every correct solution written another way in solutions/alternatives/<item>/, earns full marks; the untouched
stub earns zero with every check "not started"; and every mutant in solutions/mutants/<item>/ is caught by the
check it declares, with a message that contains the word it declares (the mistake is named to the student)."""
from __future__ import annotations

import ast
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ptgrade.course import limits
from ptgrade.course.manifest import Item, Manifest
from ptgrade.host import runner
from ptgrade.protocol.plan import JudgeStart, Mode
from ptgrade.protocol.results import ItemResult, Outcome


@dataclass(frozen=True)
class Mutant:
    path: Path
    mistake: str
    caught_by: str
    mentions: str


@dataclass
class Finding:
    item: str
    subject: str          # "solution", "stub" or the mutant's file name
    ok: bool
    detail: str
    mutant: str = ""      # a bank mutant's: "named" (caught, the message says its word), "caught" (only), "missed"


class MutantFormatError(Exception):
    pass


def read_mutant(path: Path) -> Mutant:
    """A mutant's declarations, read with `ast` (the file is not executed to read them)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError as error:
        raise MutantFormatError(f"{path.name}: syntax error on line {error.lineno}") from None
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    mistake = ast.get_docstring(tree) or ""
    if not mistake or not isinstance(values.get("CAUGHT_BY"), str):
        raise MutantFormatError(f"{path.name}: needs a docstring naming the mistake and CAUGHT_BY = \"test_...\"")
    return Mutant(path=path, mistake=mistake.splitlines()[0], caught_by=values["CAUGHT_BY"],
                  mentions=str(values.get("MESSAGE_MENTIONS", "")))


def alternatives(manifest: Manifest, item: Item) -> list[Path]:
    folder = manifest.alternatives_dir(item)
    return sorted(folder.glob("*.py")) if folder.is_dir() else []


def mutants(manifest: Manifest, item: Item) -> list[Path]:
    folder = manifest.mutants_dir(item)
    return sorted(folder.glob("*.py")) if folder.is_dir() else []


def _judge_solution(item: Item, result: ItemResult, subject: str = "solution") -> Finding:
    wrong = [f"{c.name}: {c.outcome} ({c.message.splitlines()[0] if c.message else ''})"
             for c in result.checks if c.outcome not in (Outcome.PASSED, Outcome.SKIPPED)]
    skipped = [c.name for c in result.checks if c.outcome == Outcome.SKIPPED and not c.gpu]
    ok = not result.problem and not wrong and not skipped and result.passed
    detail = (result.problem or "; ".join(wrong + [f"{n}: skipped without needing a GPU" for n in skipped])
              or f"{result.score:g}/{result.max_score:g}")
    return Finding(item.id, subject, ok, detail)


def _judge_stub(item: Item, result: ItemResult, subject: str = "stub") -> Finding:
    wrong = [f"{c.name}: {c.outcome}" for c in result.checks if c.outcome not in (Outcome.NOT_STARTED, Outcome.SKIPPED)]
    ok = not result.problem and bool(result.checks) and not wrong and result.score == 0
    return Finding(item.id, subject, ok, result.problem or "; ".join(wrong) or "0 points, all not started")


def _judge_mutant(item: Item, mutant: Mutant, result: ItemResult) -> Finding:
    subject = mutant.path.name
    check = next((c for c in result.checks if c.name == mutant.caught_by), None)
    if result.problem or check is None:
        return Finding(item.id, subject, False, result.problem or f"declares {mutant.caught_by}, "
                       "which the grader does not have", mutant="missed")
    if check.outcome not in (Outcome.FAILED, Outcome.ERROR):
        return Finding(item.id, subject, False, f"not caught: {check.name} {check.outcome} ({mutant.mistake})",
                       mutant="missed")
    if mutant.mentions and mutant.mentions.lower() not in check.message.lower():
        return Finding(item.id, subject, False, f"caught by {check.name}, but its message does not say "
                       f"{mutant.mentions!r}: {check.message.splitlines()[0] if check.message else ''}",
                       mutant="caught")
    named = "named" if mutant.mentions else "caught"  # a mutant that declares no word is only caught
    return Finding(item.id, subject, True, f"caught by {check.name} ({check.outcome})", mutant=named)


def naming(item: str, findings: list[Finding]) -> Finding | None:
    """One item's bank in one line: how many mutants are named (the check that catches each says the word it
    declares), how many only caught, how many missed. Told, not judged: the mutants' own findings judge."""
    kinds = [f.mutant for f in findings if f.item == item and f.mutant]
    if not kinds:
        return None
    named, caught, missed = (kinds.count(k) for k in ("named", "caught", "missed"))
    return Finding(item, "mutants named", True, f"{named} of {len(kinds)} named by their message, "
                   f"{caught} only caught, {missed} missed", mutant="")


def plan(manifest: Manifest, item: Item) -> tuple[list[runner.Planned], list[Finding], dict[str, callable]]:
    """What `verify` grades for one item: the files, findings it can give without grading (a mutant
    that does not declare itself), and how each file's result is judged."""
    solution, stub = manifest.solutions_dir / item.file_name, manifest.exercises_dir / item.file_name
    korean = manifest.stubs_dir("ko") / item.file_name  # the same code with Korean text: also zero
    files = [runner.Planned("solution", solution), runner.Planned("stub", stub), runner.Planned("stub (ko)", korean)]
    judges = {"solution": lambda r: _judge_solution(item, r), "stub": lambda r: _judge_stub(item, r),
              "stub (ko)": lambda r: _judge_stub(item, r, "stub (ko)")}
    for path in alternatives(manifest, item):  # the graders test behaviour, not the shape of our code
        key = f"alternative {path.stem}"
        files.append(runner.Planned(key, path))
        judges[key] = lambda r, key=key: _judge_solution(item, r, key)
    early = []
    for path in mutants(manifest, item):
        try:
            mutant = read_mutant(path)
        except MutantFormatError as error:
            early.append(Finding(item.id, path.name, False, str(error)))
            continue
        # Only the declared check runs: it is what the bank promises, and CI time stays bounded.
        files.append(runner.Planned(path.name, path, only=(mutant.caught_by,)))
        judges[path.name] = lambda r, m=mutant: _judge_mutant(item, m, r)
    return files, early, judges


def verify_item(manifest: Manifest, item: Item, longest: dict[str, float] | None = None) -> list[Finding]:
    """Every file of the item judged by one judge, forked from a warm server, each file in a fresh fork of one
    warm worker (these are the kit's own files). Feedback is in English: MESSAGE_MENTIONS is written against it.
    `longest`, when given, gets the item's longest check among the correct solutions (course/limits.py)."""
    files, findings, judges = plan(manifest, item)
    results = runner.grade_many(manifest, item, files, reference=manifest.solutions_dir / item.file_name,
                                lang="en", mode=Mode.BANK, start=JudgeStart.WARM)
    if longest is not None:
        correct = [results[f.key] for f in files if f.key == "solution" or f.key.startswith("alternative ")]
        longest[item.id] = max((c.student_seconds for r in correct for c in r.checks), default=0.0)
    judged = findings + [judges[f.key](results[f.key]) for f in files]
    summary = naming(item.id, judged)
    return judged + ([summary] if summary else [])


def structure_findings(manifest: Manifest, items: list[Item]) -> list[Finding]:
    """The manifest against the tree: every built item has its files, hints and a mutant bank."""
    findings = []
    for item in items:
        if not item.available:
            continue
        for label, path in (("stub", manifest.exercises_dir / item.file_name),
                            ("stub (ko)", manifest.stubs_dir("ko") / item.file_name),
                            ("solution", manifest.solutions_dir / item.file_name),
                            ("grader", manifest.grader_path(item))):
            if not path.is_file():
                findings.append(Finding(item.id, label, False, f"missing {path.relative_to(manifest.root)}"))
        if not item.hints_ko:
            findings.append(Finding(item.id, "hints (ko)", False, "no hints_ko in curriculum.toml"))
        if not mutants(manifest, item):
            findings.append(Finding(item.id, "mutants", False, "no known-wrong solutions in "
                                    f"{manifest.mutants_dir(item).relative_to(manifest.root)}"))
    known = {item.file_name for item in manifest.items}
    for folder in (manifest.exercises_dir, manifest.stubs_dir("ko"), manifest.solutions_dir):
        for path in sorted(folder.glob("s*.py")):
            if path.name not in known:
                findings.append(Finding("-", path.name, False, f"{folder.name}/{path.name} is not in curriculum.toml"))
    return findings


def _seconds_file(manifest: Manifest) -> Path:
    return manifest.root / ".ptgrade" / "verify_seconds.json"


def _last_seconds(manifest: Manifest) -> dict[str, float]:
    try:
        seconds = json.loads(_seconds_file(manifest).read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in seconds.items()} if isinstance(seconds, dict) else {}
    except (OSError, ValueError, TypeError):
        return {}


def _remember_seconds(manifest: Manifest, seconds: dict[str, float]) -> None:
    path = _seconds_file(manifest)
    try:
        path.parent.mkdir(exist_ok=True)
        scratch = path.with_suffix(".tmp")
        scratch.write_text(json.dumps({**_last_seconds(manifest), **seconds}, indent=1), encoding="utf-8")
        scratch.replace(path)
    except OSError:
        pass  # only an ordering hint for the next run


def run(manifest: Manifest, items: list[Item], jobs_count: int = 2, on_done=None, on_start=None,
        on_item=None, record_seconds: bool = False) -> list[Finding]:
    """Every item's findings; `on_start(item)` and `on_item(item)` are told as each item's grading starts and
    ends (from the grading threads), `on_done(finding)` of each finding. `record_seconds` keeps each item's longest
    check of a correct solution, from which students' per-check limits derive (course/limits.py)."""
    findings = structure_findings(manifest, items)
    built = [item for item in items if item.available]
    # The longest items first, so that no core is left with one long item at the end: as long as the last
    # run measured them, else as long as their timeout suggests.
    last = _last_seconds(manifest)
    built.sort(key=lambda item: (-last.get(item.id, item.timeout), -len(mutants(manifest, item))))
    seconds, longest = {}, {}

    def timed(item: Item) -> list[Finding]:
        if on_start:
            on_start(item)
        start = time.monotonic()
        item_findings = verify_item(manifest, item, longest)
        seconds[item.id] = round(time.monotonic() - start, 1)
        if on_item:
            on_item(item)
        return item_findings

    with ThreadPoolExecutor(max_workers=max(1, jobs_count)) as pool:
        for item_findings in pool.map(timed, built):
            findings.extend(item_findings)
            for finding in item_findings:
                if on_done:
                    on_done(finding)
    _remember_seconds(manifest, seconds)
    if record_seconds:  # only where every correct solution earned full marks: a failed run measures nothing
        failed = {f.item for f in findings if not f.ok and (f.subject == "solution" or f.subject.startswith("alt"))}
        limits.record(manifest, {k: v for k, v in longest.items() if k not in failed})
    order = {item.id: index for index, item in enumerate(items)}
    return sorted(findings, key=lambda f: order.get(f.item, -1))
