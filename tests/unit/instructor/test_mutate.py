"""ptgrade/instructor/mutate.py, its pure part: the mutations of a source (an operator swapped, a constant nudged,
a call dropped, a boolean flipped ...), each valid Python that differs as its description says. (Grading the
mutants: tests/test_mutate.py.)"""
import ast
import textwrap

import pytest

from ptgrade.instructor import mutate


def _normal(source: str) -> str:
    return ast.unparse(ast.parse(textwrap.dedent(source)))


def _mutants(source: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for mutation in mutate.mutations(textwrap.dedent(source)):
        found.setdefault(mutation.description, []).append(mutation.source)
    return found


def _only(source: str, description: str) -> str:
    (mutant,) = _mutants(source)[description]
    return mutant


@pytest.mark.parametrize("source, description, expected", [
    ("def f(x):\n    return x + 1\n", "Add -> Sub", "def f(x):\n    return x - 1\n"),
    ("def f(x):\n    return x - 1\n", "Sub -> Add", "def f(x):\n    return x + 1\n"),
    ("def f(x):\n    return x * 3\n", "Mult -> Div", "def f(x):\n    return x / 3\n"),
    ("def f(x):\n    return x / 3\n", "Div -> Mult", "def f(x):\n    return x * 3\n"),
    ("def f(x):\n    return x ** 3\n", "Pow -> Mult", "def f(x):\n    return x * 3\n"),
    ("def f(x):\n    return x // 3\n", "FloorDiv -> Div", "def f(x):\n    return x / 3\n"),
    ("def f(x):\n    x += 3\n    return x\n", "Add -> Sub", "def f(x):\n    x -= 3\n    return x\n"),
    ("def f(a, b):\n    return a and b\n", "And -> Or", "def f(a, b):\n    return a or b\n"),
    ("def f(a, b):\n    return a or b\n", "Or -> And", "def f(a, b):\n    return a and b\n"),
])
def test_an_operator_is_swapped(source, description, expected):
    assert _only(source, description) == _normal(expected)


@pytest.mark.parametrize("op, swapped, description", [
    ("<", "<=", "Lt -> LtE"), ("<=", "<", "LtE -> Lt"), (">", ">=", "Gt -> GtE"), (">=", ">", "GtE -> Gt"),
    ("==", "!=", "Eq -> NotEq"), ("!=", "==", "NotEq -> Eq"),
])
def test_a_comparison_is_swapped(op, swapped, description):
    mutant = _only(f"def f(a, b):\n    return a {op} b\n", description)
    assert mutant == _normal(f"def f(a, b):\n    return a {swapped} b\n")


def test_only_the_first_comparison_of_a_chain_is_swapped():
    assert _only("def f(a, b, c):\n    return a < b < c\n", "Lt -> LtE") == \
        _normal("def f(a, b, c):\n    return a <= b < c\n")


@pytest.mark.parametrize("constant, nudged", [("1", "2"), ("0", "1"), ("-3", "-4"), ("0.5", "1.0"), ("0.0", "1.0"),
                                              ("2.5", "5.0")])
def test_a_constant_is_nudged(constant, nudged):
    source = f"def f(x):\n    return x * {constant}\n"
    description = f"{abs(ast.literal_eval(constant))!r} -> {abs(ast.literal_eval(nudged))!r}"
    assert _only(source, description) == _normal(f"def f(x):\n    return x * {nudged}\n")


def test_a_boolean_is_flipped_not_nudged():
    mutants = _mutants("def f(x, keep=True):\n    return g(x, strict=False)\n")
    assert mutants["True -> False"] == [_normal("def f(x, keep=False):\n    return g(x, strict=False)\n")]
    assert mutants["False -> True"] == [_normal("def f(x, keep=True):\n    return g(x, strict=True)\n")]
    assert "True -> 2" not in mutants and "False -> 1" not in mutants


def test_a_call_statement_is_dropped():
    source = "def f(model, x):\n    model.eval()\n    print(x)\n    return model(x)\n"
    mutants = _mutants(source)
    # `model.eval()` is a learner's forgotten call (mistakes.py): described as one, and made once
    assert "dropped the call `model.eval()`" not in mutants
    assert mutants["forgot `model.eval()`"] == [_normal("def f(model, x):\n    print(x)\n    return model(x)\n")]
    assert mutants["dropped the call `print(x)`"] == [_normal("def f(model, x):\n    model.eval()\n    pass\n"
                                                              "    return model(x)\n")]
    assert not [d for d in mutants if "model(x)" in d]  # a call whose value is used is not a statement


def test_the_only_statement_of_a_body_becomes_pass():
    mutant = _only("def f(xs):\n    for x in xs:\n        print(x)\n", "dropped the call `print(x)`")
    assert mutant == _normal("def f(xs):\n    for x in xs:\n        pass\n")


def test_a_unary_operator_is_dropped():
    assert _only("def f(x):\n    return -x\n", "dropped unary USub") == _normal("def f(x):\n    return x\n")
    assert _only("def f(x):\n    return not x\n", "dropped unary Not") == _normal("def f(x):\n    return x\n")


def test_a_method_is_swapped_for_the_one_students_confuse_it_with():
    mutants = _mutants("def f(x):\n    return x.view(2, 3).sum()\n")
    assert mutants[".view -> .reshape"] == [_normal("def f(x):\n    return x.reshape(2, 3).sum()\n")]
    assert mutants[".sum -> .mean"] == [_normal("def f(x):\n    return x.view(2, 3).mean()\n")]


def test_docstrings_and_module_level_code_are_not_mutated():
    source = '''
    """The module: 1 + 1."""
    import torch
    SCALE = 2 * 3
    torch.manual_seed(0)


    class Model:
        """A model."""
        size = 4

        def forward(self, x):
            """Doubles: 2."""
            return x
    '''
    assert mutate.mutations(textwrap.dedent(source)) == []


def test_methods_and_nested_functions_are_mutated():
    source = ("class M:\n    def forward(self, x):\n        def inner(y):\n            return y + 1\n"
              "        return inner(x)\n")
    assert _only(source, "Add -> Sub") == _normal(source.replace("y + 1", "y - 1"))


def test_every_mutant_is_valid_python_that_differs_in_the_line_it_names():
    source = textwrap.dedent('''
    import torch


    def train(model, batches, lr=0.1, clip=True):
        """One epoch."""
        model.train()
        total = 0
        for x, y in batches:
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            if clip and lr > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), -1.0)
            total += loss.item() / len(batches)
        return not total == 0, total.detach()
    ''')
    original = _normal(source)
    found = mutate.mutations(source)
    assert len(found) > 15
    kinds = {m.description.split(" ")[0] for m in found}
    assert {"Sub", "Pow", "Add", "Div", "And", "Eq", "dropped", "True", "0.1", "1.0", "0", "2", ".train", ".mean",
            ".detach"} <= kinds
    for mutation in found:
        tree = ast.parse(mutation.source)  # valid Python
        compile(tree, "mutant.py", "exec")
        assert mutation.source != original, mutation.description
        assert 5 <= mutation.line <= 15 and mutation.line != 6, mutation.description  # never the docstring's line


def test_mutations_are_the_same_on_every_call():
    source = "def f(x):\n    return (x + 1) * 2 - x.sum()\n"
    assert mutate.mutations(source) == mutate.mutations(source)


def test_a_mutant_is_first_graded_by_the_checks_of_the_function_it_changed():
    source = ("def helper(x):\n    return x\n\n\n"
              "class Net:\n    def forward(self, x):\n        return x + 1\n\n\nY = 1\n")
    tree, by_function = ast.parse(source), {"Net": ("test_net",), "other": ("test_other",)}
    assert mutate._focus(tree, 7, by_function) == ("test_net",)  # inside a method: the class's checks
    assert mutate._focus(tree, 2, by_function) is None  # a function no row names: every check
    assert mutate._focus(tree, 10, by_function) is None  # module level: every check


def test_the_checks_of_a_function_come_from_every_row_of_docs_coverage_toml():
    from ptgrade.course import manifest as course
    kit = course.load()
    by_function = mutate.checks_by_function(kit, kit.item("5.1"))
    assert "test_train_one_epoch_steps_scheduler_per_batch" in by_function["train_one_epoch"]
    assert all(len(set(checks)) == len(checks) for checks in by_function.values())
