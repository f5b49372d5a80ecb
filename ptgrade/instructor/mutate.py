"""`ptgrade mutate`: small automatic mutations of a reference solution, each graded like a submission: one
token changed (an operator swapped, a constant nudged, a call statement dropped, a boolean flipped) and the
mistakes learners make (mistakes.py: a call forgotten, an activation added, a mask inverted, a size off by
one, the wrong dim, `zero_grad` after `backward`, a statement across a loop's boundary). A
mutant that still earns full marks "survived": either the grader misses a real mistake or the
mutation changes nothing observable (an equivalent mutant); the report shows the changed line so an
instructor can tell which. The bank in solutions/mutants/ holds realistic mistakes; this measures
the graders against mistakes nobody thought of."""
from __future__ import annotations

import ast
import copy
import random
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ptgrade.course.manifest import Item, Manifest
from ptgrade.host import runner
from ptgrade.instructor import mistakes
from ptgrade.protocol.plan import JudgeStart, Mode
from ptgrade.protocol.results import Outcome as CheckOutcome

CAUGHT = (CheckOutcome.FAILED, CheckOutcome.ERROR, CheckOutcome.NOT_STARTED)  # a mutant a check did not pass

SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
         ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
         ast.NotEq: ast.Eq, ast.And: ast.Or, ast.Or: ast.And, ast.FloorDiv: ast.Div}

# Methods a student confuses for one another.
NAME_SWAPS = {"view": "reshape", "reshape": "view", "sum": "mean", "mean": "sum", "max": "min", "min": "max",
              "argmax": "argmin", "argmin": "argmax", "softmax": "log_softmax", "log_softmax": "softmax",
              "unsqueeze": "squeeze", "eval": "train", "train": "eval", "exp": "log", "log": "exp",
              "tril": "triu", "triu": "tril", "relu": "sigmoid", "detach": "clone", "transpose": "permute"}


KINDS = ("token", "learner")


@dataclass
class Mutation:
    line: int
    description: str
    source: str
    kind: str = "token"  # "token": one token changed; "learner": a learner's mistake (mistakes.py)


@dataclass
class Outcome:
    mutation: Mutation
    killed: bool
    by: str


def _docstring_ids(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _sites(tree: ast.AST):
    """(node, how) pairs: every place one mutation can be made."""
    docstrings = _docstring_ids(tree)
    inside_function = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside_function.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) not in inside_function:
            continue
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in SWAPS:
            yield node, "op"
        elif isinstance(node, ast.BoolOp) and type(node.op) in SWAPS:
            yield node, "op"
        elif isinstance(node, ast.Compare) and type(node.ops[0]) in SWAPS:
            yield node, "compare"
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            if isinstance(node.value, bool):
                yield node, "flip"
            elif isinstance(node.value, (int, float)):
                yield node, "nudge"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
            yield node, "unary"
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and not mistakes.only_that(node):
            yield node, "drop"  # (`model.eval()` and its kind are a learner's forgotten call)
        elif isinstance(node, ast.Attribute) and node.attr in NAME_SWAPS:
            yield node, "rename"


def _apply(node: ast.AST, how: str) -> str:
    """Mutate `node` in place; return what was done."""
    if how == "op":
        old = type(node.op)
        node.op = SWAPS[old]()
        return f"{old.__name__} -> {type(node.op).__name__}"
    if how == "compare":
        old = type(node.ops[0])
        node.ops[0] = SWAPS[old]()
        return f"{old.__name__} -> {type(node.ops[0]).__name__}"
    if how == "flip":
        node.value = not node.value
        return f"{not node.value} -> {node.value}"
    if how == "nudge":
        old = node.value
        node.value = old + 1 if isinstance(old, int) else (old * 2 if old else 1.0)
        return f"{old!r} -> {node.value!r}"
    if how == "rename":
        old, node.attr = node.attr, NAME_SWAPS[node.attr]
        return f".{old} -> .{node.attr}"
    if how == "unary":
        return f"dropped unary {type(node.op).__name__}"
    if how == "drop":
        return f"dropped the call `{ast.unparse(node.value)[:60]}`"
    raise ValueError(how)


class _Replace(ast.NodeTransformer):
    """Removes a unary operator or turns a call statement into `pass`."""

    def __init__(self, target_id: int, how: str):
        self.target_id, self.how = target_id, how

    def visit(self, node):
        if id(node) == self.target_id:
            if self.how == "unary":
                return node.operand
            if self.how == "drop":
                return ast.copy_location(ast.Pass(), node)
        return super().visit(node)


def _token_mutations(tree: ast.AST) -> list[Mutation]:
    found = []
    for index, (node, how) in enumerate(list(_sites(tree))):
        clone = copy.deepcopy(tree)
        target, _ = list(_sites(clone))[index]
        description = _apply(target, how)
        if how in ("unary", "drop"):
            clone = _Replace(id(target), how).visit(clone)
        ast.fix_missing_locations(clone)
        found.append(Mutation(line=node.lineno, description=description, source=ast.unparse(clone)))
    return found


def _inside_functions(tree: ast.AST) -> set[int]:
    return {id(n) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            for n in ast.walk(node)}


def _learner_mutations(tree: ast.AST) -> list[Mutation]:
    found = []
    for site in mistakes.sites(tree, _inside_functions(tree)):
        clone = copy.deepcopy(tree)
        site.edit(clone, list(ast.walk(clone))[site.node])
        ast.fix_missing_locations(clone)
        found.append(Mutation(line=site.line, description=site.description, source=ast.unparse(clone),
                              kind="learner"))
    return found


def mutations(source: str, kinds: tuple[str, ...] = KINDS) -> list[Mutation]:
    """The mutants of `source`, in a fixed order: one token changed, then learners' mistakes. A mutant whose code
    is the reference's, or another mutant's, is left out (the same program graded twice tells nothing)."""
    tree = ast.parse(source)
    seen, found = {ast.unparse(tree)}, []
    for kind, make in (("token", _token_mutations), ("learner", _learner_mutations)):
        if kind not in kinds:
            continue
        for mutation in make(tree):
            if mutation.source not in seen:
                seen.add(mutation.source)
                found.append(mutation)
    return found


def checks_by_function(manifest: Manifest, item: Item) -> dict[str, tuple[str, ...]]:
    """docs/coverage.toml for one item: {stub function or class: the checks that grade it}."""
    import tomllib
    path = manifest.root / "docs" / "coverage.toml"
    rows = tomllib.loads(path.read_text(encoding="utf-8")).get("row", []) if path.is_file() else []
    found: dict[str, list[str]] = {}
    for row in rows:
        if row.get("item") == item.id:
            for function in row.get("functions", []):
                checks = found.setdefault(function, [])
                checks += [check for check in row.get("checks", []) if check not in checks]
    return {function: tuple(checks) for function, checks in found.items()}


def _focus(tree: ast.Module, line: int, by_function: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The checks of the top-level function or class that holds `line`, or None (grade with every check)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.lineno <= line <= (node.end_lineno or node.lineno):
            return by_function.get(node.name)
    return None


def run(manifest: Manifest, item: Item, limit: int = 20, seed: int = 0, jobs: int = 2,
        on_done=None, kinds: tuple[str, ...] = KINDS) -> list[Outcome]:
    """Grade `limit` of the reference's mutations of `kinds` (chosen by `seed`). They are the kit's own files, so
    they are graded as `verify` grades its bank: a few judges forked from a warm server, each mutant a fork of one
    warm worker.

    A mutant is first graded by the checks docs/coverage.toml lists for the function it changed; one those pass is
    graded again by every check. A mutant a check fails is killed whatever the other checks say, so the outcomes are
    those of grading each with every check, and a long item (5.3's training runs) pays for the long checks only
    when the short ones pass."""
    source = (manifest.solutions_dir / item.file_name).read_text(encoding="utf-8")
    chosen = mutations(source, kinds)
    random.Random(seed).shuffle(chosen)
    chosen = chosen[:limit]
    tree, by_function = ast.parse(source), checks_by_function(manifest, item)
    focus = [_focus(tree, mutation.line, by_function) for mutation in chosen]
    size = 8  # mutants per judge: a judge's start is paid once for them, and progress shows as each ends

    def grade(batch: list[int], narrowed: bool) -> dict[int, Outcome]:
        with tempfile.TemporaryDirectory(prefix="ptgrade-mutant-") as folder:
            files = []
            for index in batch:
                path = Path(folder) / str(index) / item.file_name
                path.parent.mkdir()
                path.write_text(chosen[index].source, encoding="utf-8")
                files.append(runner.Planned(str(index), path, only=focus[index] if narrowed else None))
            results = runner.grade_many(manifest, item, files, mode=Mode.BANK, start=JudgeStart.WARM)
        outcomes = {}
        for index in batch:
            result = results[str(index)]
            caught = [c.name for c in result.checks if c.outcome in CAUGHT]
            outcome = Outcome(chosen[index], killed=bool(caught) or bool(result.problem), by=", ".join(caught[:3]))
            outcomes[index] = outcome
            if on_done and (outcome.killed or not narrowed or focus[index] is None):
                on_done(outcome)
        return outcomes

    def batches(indices: list[int]) -> list[list[int]]:
        return [indices[start:start + size] for start in range(0, len(indices), size)]

    final: dict[int, Outcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for outcomes in pool.map(lambda batch: grade(batch, True), batches(list(range(len(chosen))))):
            final.update(outcomes)
        again = [index for index, outcome in final.items() if not outcome.killed and focus[index] is not None]
        for outcomes in pool.map(lambda batch: grade(batch, False), batches(again)):
            final.update(outcomes)
    return [final[index] for index in range(len(chosen))]
