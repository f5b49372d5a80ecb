"""The say(English, Korean) pairs a grader can speak, read from its source: the check module, its observations and the
graders' shared support. A formatted value, or a name or call joined into the text with `+`, is a `{}`; a part chosen
by a condition (`"..." + (" more" if case else "")`, or `{'always' if case else 'never'}` in an f-string) gives one
text per branch, the English and the Korean paired branch by branch."""
from __future__ import annotations

import ast
import functools
from pathlib import Path

GRADERS = Path(__file__).resolve().parents[2] / "graders"


def texts_of(node: ast.AST, value: str = "{}") -> list[str] | None:
    """The texts `node` can make, one per branch of its conditional parts, each computed part as `value`; None where
    it holds no text at all."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        texts = [""]
        for part in node.values:
            if isinstance(part, ast.Constant):
                options = [part.value]
            elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.IfExp):
                options = texts_of(part.value, value) or [value]
            else:
                options = [value]
            texts = [text + option for text in texts for option in options]
        return texts
    if isinstance(node, ast.IfExp):
        body, orelse = texts_of(node.body, value), texts_of(node.orelse, value)
        return None if body is None and orelse is None else [*(body or [value]), *(orelse or [value])]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = texts_of(node.left, value), texts_of(node.right, value)
        if left is None and right is None:
            return None
        return [a + b for a in (left or [value]) for b in (right or [value])]
    return None


@functools.cache
def pairs_in(path: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "say"
                and len(node.args) == 2):
            english, korean = texts_of(node.args[0]), texts_of(node.args[1])
            if english is not None and korean is not None:
                found.extend(zip(english, korean) if len(english) == len(korean)
                             else ((en, ko) for en in english for ko in korean))
    return found


@functools.cache
def pairs_for(module_name: str) -> tuple[tuple[str, str], ...]:
    """Every pair item `module_name` (s2_3_losses_optimizers) can say."""
    paths = [GRADERS / f"test_{module_name}.py", GRADERS / "observations" / f"{module_name}.py",
             *sorted((GRADERS / "support").glob("*.py"))]
    return tuple(pair for path in paths if path.is_file() for pair in pairs_in(path))
