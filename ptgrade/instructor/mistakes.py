"""Learners' mistakes as mutation operators for `ptgrade mutate`: where `mutate.py` swaps one token, these
insert, drop and move what learners really get wrong (a missing `model.eval()` or `.transpose`, an extra
activation, a mask's polarity, a size off by one, the wrong `dim`, a tensor accumulated instead of `.item()`,
`zero_grad` after `backward`, a statement on the wrong side of a loop). Each operator is a small generator
over the reference's syntax tree that yields `Site`s: the index of a node in `ast.walk` order and an edit
that makes the mistake on that node of a copy of the tree, described in a learner's words."""
from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Calls a learner forgets: a statement of its own (`optimizer.zero_grad()`) or a link of a chain (`.detach()`).
FORGOTTEN = ("eval", "train", "zero_grad", "detach", "contiguous", "transpose", "step", "backward", "to")
LINKS = ("detach", "contiguous", "transpose", "to")  # of those, the ones that are a link in an expression
ACTIVATIONS = {"relu", "gelu", "sigmoid", "tanh", "silu", "leaky_relu", "elu", "softmax", "log_softmax",
               "ReLU", "GELU", "Sigmoid", "Tanh", "SiLU", "dropout"}
# Calls whose arguments are sizes: a learner's off-by-one lands here.
SIZED = {"view", "reshape", "size", "range", "arange", "zeros", "ones", "empty", "full", "randn", "rand",
         "randint", "expand", "new_zeros", "new_ones", "new_full", "narrow", "unflatten"}
# Calls that take a dimension (as `dim=` or, for these, first positional on a tensor / second on torch.*).
DIMMED = {"sum", "mean", "softmax", "log_softmax", "argmax", "argmin", "max", "min", "amax", "amin", "cumsum",
          "logsumexp", "unsqueeze", "squeeze", "cat", "stack", "norm", "std", "var", "prod", "all", "any"}
REDUCTIONS = {"sum", "mean", "max", "min", "amax", "amin", "logsumexp", "norm", "std", "var", "prod", "argmax",
              "argmin", "all", "any"}
NEGATED = {ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
MODULES = {"torch", "F", "nn", "functional", "np", "math"}  # a call on these is a function, not a tensor's method


@dataclass(frozen=True)
class Site:
    node: int          # the node's index in ast.walk order (the same in a deep copy of the tree)
    line: int
    description: str
    edit: Callable[[ast.AST, ast.AST], None]  # edit(root, node): makes the mistake in the copy


def _code(node: ast.AST, width: int = 50) -> str:
    text = ast.unparse(node)
    return text if len(text) <= width else text[: width - 3] + "..."


def _replace(root: ast.AST, old: ast.AST, new: ast.AST) -> None:
    """Puts `new` where `old` is, in whichever field of its parent holds it."""
    for parent in ast.walk(root):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                value[[id(v) for v in value].index(id(old))] = new
                return


def _method(node: ast.AST) -> str | None:
    """`x.name(...)` on a value (not `torch.name(...)`): its name."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        receiver = node.func.value
        if not (isinstance(receiver, ast.Name) and receiver.id in MODULES):
            return node.func.attr
    return None


def _called(node: ast.AST) -> str | None:
    """The name a call calls: `f` of `f(...)`, `torch.f(...)`, `x.f(...)`."""
    if isinstance(node, ast.Call):
        return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
    return None


def _body_removed(field: str, index: int) -> Callable:
    def edit(root, parent):
        body = getattr(parent, field)
        del body[index]
        if not body:
            body.append(ast.Pass())
    return edit


def _arguments(call: ast.Call) -> str:
    return ", ".join([ast.unparse(a) for a in call.args] + [ast.unparse(w) for w in call.keywords])


def only_that(statement) -> bool:
    """`optimizer.zero_grad()` or `x = x.transpose(1, 2)`: a statement that does nothing but the call."""
    if isinstance(statement, ast.Expr):
        return _method(statement.value) in FORGOTTEN
    return (isinstance(statement, ast.Assign) and _method(statement.value) in FORGOTTEN
            and len(statement.targets) == 1 and ast.unparse(statement.targets[0]) == ast.unparse(
                statement.value.func.value))


def forgotten_calls(nodes, parents) -> Iterator[Site]:
    """A forgotten call: the statement `optimizer.zero_grad()` (or `x = x.transpose(1, 2)`) dropped, or a link
    `.detach()` left out of an expression (`D(fake.detach())` -> `D(fake)`)."""
    for k, node in enumerate(nodes):
        for field in ("body", "orelse"):
            body = getattr(node, field, None)
            for index, statement in enumerate(body if isinstance(body, list) else []):
                if only_that(statement):
                    yield Site(k, statement.lineno, f"forgot `{_code(statement)}`", _body_removed(field, index))
        name = _method(node)
        if name in LINKS and not only_that(parents.get(id(node))):
            yield Site(k, node.lineno, f"forgot `.{name}({_code(ast.Name(_arguments(node)), 30)})` in "
                       f"`{_code(node)}`", lambda root, call: _replace(root, call, call.func.value))


def _wrapped(node: ast.AST) -> Callable:
    def edit(root, target):
        _replace(root, target, ast.Call(ast.Attribute(ast.Name("torch", ast.Load()), "relu", ast.Load()),
                                        [target], []))
    return edit


def extra_activations(nodes, parents) -> Iterator[Site]:
    """An activation where none belongs: around a layer's output (`torch.relu(self.fc(x))`, logits included) or
    on the branch of a residual add before the sum (`x + torch.relu(self.block(x))`)."""
    if not any(isinstance(n, ast.Import) and any(a.name == "torch" and not a.asname for a in n.names)
               for n in nodes):
        return  # `torch.relu` would not be defined
    for k, node in enumerate(nodes):
        parent = parents.get(id(node))
        if _called(parent) in ACTIVATIONS or _function(node, parents) in (None, "__init__"):
            continue
        layer = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                 and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"
                 and node.func.attr not in ACTIVATIONS)
        if layer:
            yield Site(k, node.lineno, f"an extra activation: `torch.relu({_code(node)})`", _wrapped(node))
        elif (isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add) and node is parent.right
              and isinstance(node, (ast.Call, ast.Name)) and isinstance(parent.left, (ast.Call, ast.Name))
              and _method_of(node, parents)):
            yield Site(k, node.lineno, f"an activation on the residual branch before the add: "
                       f"`{_code(parent.left, 25)} + torch.relu({_code(node, 25)})`", _wrapped(node))


def _enclosing(node, parents) -> ast.FunctionDef | None:
    while (node := parents.get(id(node))) is not None:
        if isinstance(node, ast.FunctionDef):
            return node
    return None


def _function(node, parents) -> str | None:
    function = _enclosing(node, parents)
    return function.name if function else None


def _method_of(node, parents) -> bool:
    function = _enclosing(node, parents)
    return bool(function and function.args.args) and function.args.args[0].arg == "self"


def _is_test(node, parents) -> bool:
    """A comparison that decides control flow (`if a < b:`) rather than makes a mask of a tensor."""
    parent = parents.get(id(node))
    while isinstance(parent, ast.BoolOp) or (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
        node, parent = parent, parents.get(id(parent))
    return (isinstance(parent, (ast.If, ast.While, ast.Assert, ast.IfExp)) and parent.test is node) or \
        isinstance(parent, ast.comprehension)


def flipped_masks(nodes, parents) -> Iterator[Site]:
    """A mask's polarity: a comparison that builds a mask negated (`<` for `>=`, `==` for `!=`), `~mask` for
    `mask`, and a mask passed as `...mask=` or to `masked_fill` inverted."""
    for k, node in enumerate(nodes):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in NEGATED \
                and not _is_test(node, parents):
            new = NEGATED[type(node.ops[0])]

            def negate(root, compare, new=new):
                compare.ops[0] = new()
            symbols = {ast.Lt: "<", ast.GtE: ">=", ast.Gt: ">", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!="}
            yield Site(k, node.lineno, f"the mask's polarity: `{symbols[new]}` for `{symbols[type(node.ops[0])]}` "
                       f"in `{_code(node)}`", negate)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            yield Site(k, node.lineno, f"the mask's polarity: `{_code(node.operand)}` for `{_code(node)}`",
                       lambda root, unary: _replace(root, unary, unary.operand))
        elif isinstance(node, ast.Call):
            masks = [(f"{w.arg}=", w.value) for w in node.keywords if w.arg and w.arg.endswith("mask")]
            if _called(node) == "masked_fill" and node.args:
                masks.append(("masked_fill(", node.args[0]))
            for label, mask in masks:
                if isinstance(mask, ast.UnaryOp) and isinstance(mask.op, ast.Invert) or \
                        isinstance(mask, ast.Constant):
                    continue
                inverted = ast.UnaryOp(ast.Invert(), mask)
                yield Site(nodes.index(mask), mask.lineno, f"the mask's polarity: `{label}{_code(inverted, 40)}`",
                           lambda root, m: _replace(root, m, ast.UnaryOp(ast.Invert(), m)))


def _sized(node) -> Iterator[ast.AST]:
    """The ints and names in a sized call's arguments, through arithmetic and tuples (not `-1`'s 1)."""
    if isinstance(node, ast.Name) or (isinstance(node, ast.Constant) and type(node.value) is int):
        yield node
    elif isinstance(node, ast.BinOp):
        yield from _sized(node.left)
        yield from _sized(node.right)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _sized(element)


def off_by_one(nodes, parents) -> Iterator[Site]:
    """±1 in size arithmetic: an int or a name in the arguments of `view`, `reshape`, `range`, `zeros`, ..."""
    seen = set()
    for node in nodes:
        if _called(node) not in SIZED:
            continue
        positional = node.args[:1] if _called(node) in ("full", "new_full") else node.args  # not the fill value
        for argument in [*positional, *(w.value for w in node.keywords if w.arg in ("size", "start", "end"))]:
            for size in _sized(argument):
                if id(size) in seen or (isinstance(size, ast.Name) and size.id in MODULES):
                    continue
                seen.add(id(size))
                for sign in (1, -1):
                    def nudge(root, target, sign=sign):
                        if isinstance(target, ast.Constant):
                            _replace(root, target, ast.Constant(target.value + sign))
                        else:
                            _replace(root, target, ast.BinOp(target, ast.Add() if sign > 0 else ast.Sub(),
                                                             ast.Constant(1)))
                    wrong = size.value + sign if isinstance(size, ast.Constant) else \
                        f"{_code(size, 20)} {'+' if sign > 0 else '-'} 1"
                    yield Site(nodes.index(size), size.lineno, f"a size off by one: `{wrong}` for `{_code(size, 20)}`"
                               f" in `{_code(node)}`", nudge)


def _neighbour(dim: int) -> int:
    return dim - 1 if dim >= 1 else (1 if dim == 0 else (dim - 1 if dim == -1 else dim + 1))


def _dim_of(node: ast.Call) -> ast.AST | None:
    for word in node.keywords:
        if word.arg in ("dim", "axis"):
            return word.value
    if _called(node) in DIMMED:
        position = 0 if _method(node) else 1
        if len(node.args) > position:
            return node.args[position]
    return None


def _int(node) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and type(node.operand.value) is int:
        return -node.operand.value
    return None


def wrong_dims(nodes, parents) -> Iterator[Site]:
    """The wrong axis (`dim=1` for `dim=0`, `-2` for `-1`) and `keepdim=True` dropped or added to a reduction."""
    for k, node in enumerate(nodes):
        if not isinstance(node, ast.Call):
            continue
        dim = _dim_of(node)
        value = _int(dim)
        if value is not None:
            other = _neighbour(value)
            yield Site(nodes.index(dim), node.lineno, f"the wrong dim: {other} for {value} in `{_code(node)}`",
                       lambda root, d, other=other: _replace(root, d, ast.parse(str(other), mode="eval").body))
        keep = [i for i, w in enumerate(node.keywords) if w.arg == "keepdim"]
        if keep and isinstance(node.keywords[keep[0]].value, ast.Constant) and node.keywords[keep[0]].value.value:
            def dropped(root, call, index=keep[0]):
                del call.keywords[index]
            yield Site(k, node.lineno, f"forgot keepdim=True in `{_code(node)}`", dropped)
        elif not keep and _called(node) in REDUCTIONS and (value is not None or any(
                w.arg in ("dim", "axis") for w in node.keywords)):
            yield Site(k, node.lineno, f"an extra keepdim=True in `{_code(node)}`",
                       lambda root, call: call.keywords.append(ast.keyword("keepdim", ast.Constant(True))))


def kept_tensors(nodes, parents) -> Iterator[Site]:
    """A tensor accumulated (with its graph and device) where `.item()` made a number: in `total += ...` or
    `losses.append(...)`."""
    for k, node in enumerate(nodes):
        if _method(node) != "item" or node.args:
            continue
        holder = parents.get(id(node))
        while holder is not None and not isinstance(holder, (ast.stmt, ast.Call)):
            holder = parents.get(id(holder))
        if isinstance(holder, ast.AugAssign) or _called(holder) == "append":
            yield Site(k, node.lineno, f"accumulates the tensor instead of its number: `{_code(node.func.value)}` "
                       f"for `{_code(node)}`", lambda root, call: _replace(root, call, call.func.value))


def _calls(statement, name: str) -> bool:
    return isinstance(statement, ast.Expr) and _method(statement.value) == name


def late_zero_grad(nodes, parents) -> Iterator[Site]:
    """`zero_grad()` moved to just after `backward()` in the same block (the step then sees no gradient)."""
    for k, node in enumerate(nodes):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        zeros = [i for i, s in enumerate(body) if _calls(s, "zero_grad")]
        backs = [i for i, s in enumerate(body) if _calls(s, "backward")]
        for i in zeros:
            for j in backs:
                if j + 1 == i:
                    continue

                def move(root, parent, i=i, j=j):
                    statement = parent.body.pop(i)
                    parent.body.insert(j if i < j else j + 1, statement)
                yield Site(k, body[i].lineno, f"`{_code(body[i])}` after `{_code(body[j])}`", move)


def _simple(statement) -> bool:
    return isinstance(statement, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign)) and not (
        isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))


def loop_boundaries(nodes, parents) -> Iterator[Site]:
    """A statement on the wrong side of a loop's boundary: the one just before a `for` moved into its body
    (a total reset, or `model.train()` called, each iteration), or a loop's first statement moved before it."""
    for k, node in enumerate(nodes):
        for field in ("body", "orelse"):
            body = getattr(node, field, None)
            if not isinstance(body, list) or isinstance(node, (ast.For, ast.While)) and field == "orelse":
                continue
            for index, loop in enumerate(body):
                if not isinstance(loop, ast.For):
                    continue
                if index > 0 and _simple(body[index - 1]):
                    def into(root, parent, field=field, index=index):
                        block = getattr(parent, field)
                        block[index].body.insert(0, block.pop(index - 1))
                    yield Site(k, body[index - 1].lineno, f"`{_code(body[index - 1])}` moved into the loop "
                               f"`for {_code(loop.target, 20)} in {_code(loop.iter, 20)}`", into)
                if _simple(loop.body[0]):
                    def out(root, parent, field=field, index=index):
                        block = getattr(parent, field)
                        statement = block[index].body.pop(0)
                        if not block[index].body:
                            block[index].body.append(ast.Pass())
                        block.insert(index, statement)
                    yield Site(k, loop.body[0].lineno, f"`{_code(loop.body[0])}` moved out of (before) the loop "
                               f"`for {_code(loop.target, 20)} in {_code(loop.iter, 20)}`", out)


OPERATORS = (forgotten_calls, extra_activations, flipped_masks, off_by_one, wrong_dims, kept_tensors,
             late_zero_grad, loop_boundaries)


def sites(tree: ast.AST, inside: set[int]) -> Iterator[Site]:
    """Every learner's mistake that can be made in the functions of `tree` (`inside`: the ids of their nodes),
    operator by operator, each in ast.walk order."""
    nodes = list(ast.walk(tree))
    parents = {id(child): parent for parent in nodes for child in ast.iter_child_nodes(parent)}
    for operator in OPERATORS:
        for site in operator(nodes, parents):
            if id(nodes[site.node]) in inside:
                yield site
