"""The say(English, Korean) pairs a grader can speak, read from its source: the check module, its observations and the
graders' shared support. A formatted value is a `{}` in the text."""
from __future__ import annotations

import ast
import functools
from pathlib import Path

GRADERS = Path(__file__).resolve().parents[2] / "graders"


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return None if left is None or right is None else left + right
    return None


@functools.cache
def pairs_in(path: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "say"
                and len(node.args) == 2):
            english, korean = _text(node.args[0]), _text(node.args[1])
            if english is not None and korean is not None:
                found.append((english, korean))
    return found


@functools.cache
def pairs_for(module_name: str) -> tuple[tuple[str, str], ...]:
    """Every pair item `module_name` (s2_3_losses_optimizers) can say."""
    paths = [GRADERS / f"test_{module_name}.py", GRADERS / "observations" / f"{module_name}.py",
             *sorted((GRADERS / "support").glob("*.py"))]
    return tuple(pair for path in paths if path.is_file() for pair in pairs_in(path))
