"""ptgrade/instructor/mistakes.py: learners' mistakes as mutation operators, each on a small snippet. The mutant is
the code the operator promises; a mutant equal to the reference (or to another mutant) is never made. (Through
mutate.mutations, which applies them and leaves the duplicates out.)"""
import ast
import textwrap

from ptgrade.instructor import mutate


def _normal(source: str) -> str:
    return ast.unparse(ast.parse(textwrap.dedent(source)))


def _learner(source: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for mutation in mutate.mutations(textwrap.dedent(source), kinds=("learner",)):
        assert mutation.kind == "learner"
        found.setdefault(mutation.description, []).append(mutation.source)
    return found


def _only(source: str, description: str) -> str:
    mutants = _learner(source)
    assert description in mutants, list(mutants)
    (mutant,) = mutants[description]
    return mutant


TRAIN = '''
import torch


def train(model, loader, optimizer, loss_fn):
    model.train()
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total
'''


def test_a_forgotten_statement_is_dropped():
    for call in ("model.train()", "optimizer.zero_grad()", "loss.backward()", "optimizer.step()"):
        expected = TRAIN.replace(f"        {call}\n", "").replace(f"    {call}\n", "")
        assert _only(TRAIN, f"forgot `{call}`") == _normal(expected), call


def test_an_assignment_that_only_transposes_is_dropped_and_a_link_of_a_chain_is_left_out():
    source = "def f(x, w):\n    x = x.transpose(1, 2)\n    return x @ w.detach().contiguous()\n"
    assert _only(source, "forgot `x = x.transpose(1, 2)`") == _normal("def f(x, w):\n    return x @ w.detach()"
                                                                      ".contiguous()\n")
    assert _only(source, "forgot `.detach()` in `w.detach()`") == _normal(source.replace("w.detach()", "w"))
    assert _only(source, "forgot `.contiguous()` in `w.detach().contiguous()`") == \
        _normal(source.replace(".contiguous()", ""))


def test_a_forgotten_to_device_and_the_only_statement_of_a_loop_becomes_pass():
    source = "def f(xs, device):\n    for x in xs:\n        x.backward()\n    return xs[0].to(device)\n"
    mutants = _learner(source)
    assert mutants["forgot `x.backward()`"] == [_normal(source.replace("x.backward()", "pass"))]
    assert mutants["forgot `.to(device)` in `xs[0].to(device)`"] == [_normal(source.replace(".to(device)", ""))]


def test_a_call_used_for_its_value_is_not_forgotten():
    assert not [d for d in _learner("def f(model, x):\n    return model(x).sum()\n") if d.startswith("forgot")]


def test_an_extra_activation_after_a_layer_and_on_a_residual_branch():
    source = '''
    import torch


    class Block(torch.nn.Module):
        def __init__(self):
            self.fc = torch.nn.Linear(4, 4)

        def forward(self, x):
            h = torch.relu(self.fc(x))
            return x + self.fc(h)
    '''
    mutants = _learner(source)
    assert mutants["an extra activation: `torch.relu(self.fc(h))`"] == [
        _normal(source.replace("x + self.fc(h)", "x + torch.relu(self.fc(h))"))]
    assert "an extra activation: `torch.relu(self.fc(x))`" not in mutants  # already inside one
    assert not [d for d in mutants if "Linear" in d]  # __init__ builds layers, it does not call them
    # The residual branch is the layer's output here: `x + torch.relu(self.fc(h))` is made once.
    assert not [d for d in mutants if "residual" in d]


def test_a_residual_add_wraps_its_right_operand():
    source = "import torch\n\n\nclass B:\n    def forward(self, out, identity):\n        return out + identity\n"
    assert _only(source, "an activation on the residual branch before the add: `out + torch.relu(identity)`") == \
        _normal(source.replace("out + identity", "out + torch.relu(identity)"))


def test_no_activation_is_inserted_where_torch_is_not_imported():
    assert not _learner("class B:\n    def forward(self, x):\n        return x + self.fc(x)\n")


def test_a_mask_comparison_is_negated_but_not_a_control_test():
    source = "def f(x, pad):\n    if x.dim() < 3:\n        x = x[None]\n    return x.masked_fill(x < pad, 0)\n"
    mutants = _learner(source)
    assert mutants["the mask's polarity: `>=` for `<` in `x < pad`"] == [_normal(source.replace("x < pad", "x >= pad"))]
    assert not [d for d in mutants if "x.dim()" in d]
    assert mutants["the mask's polarity: `masked_fill(~(x < pad)`"] == [
        _normal(source.replace("masked_fill(x < pad", "masked_fill(~(x < pad)"))]


def test_an_inverted_mask_loses_its_tilde_and_a_mask_argument_gains_one():
    source = "def f(encoder, x, pad):\n    keep = ~pad\n    return encoder(x, src_key_padding_mask=pad) * keep\n"
    mutants = _learner(source)
    assert mutants["the mask's polarity: `pad` for `~pad`"] == [_normal(source.replace("~pad", "pad"))]
    assert mutants["the mask's polarity: `src_key_padding_mask=~pad`"] == [
        _normal(source.replace("mask=pad", "mask=~pad"))]


def test_a_size_is_off_by_one_up_and_down():
    source = "def f(x, n):\n    return x.view(n, 4)\n"
    mutants = _learner(source)
    for sign in "+-":
        assert mutants[f"a size off by one: `n {sign} 1` for `n` in `x.view(n, 4)`"] == [
            _normal(source.replace("(n,", f"(n {sign} 1,"))]
    assert mutants["a size off by one: `3` for `4` in `x.view(n, 4)`"] == [_normal(source.replace("4", "3"))]
    every = [m.source for m in mutate.mutations(source)]  # 4 -> 5 is also the token nudge's: made once
    assert every.count(_normal(source.replace("4", "5"))) == 1


def test_a_fill_value_is_not_a_size():
    assert not [d for d in _learner("def f(n, v):\n    return torch.full((n,), v)\n") if "`v" in d]


def test_the_wrong_dim_and_keepdim_dropped_or_added():
    source = "def f(x):\n    return x.softmax(dim=1) - x.sum(0) - x.mean(-1, keepdim=True)\n"
    mutants = _learner(source)
    assert mutants["the wrong dim: 0 for 1 in `x.softmax(dim=1)`"] == [_normal(source.replace("dim=1", "dim=0"))]
    assert mutants["the wrong dim: 1 for 0 in `x.sum(0)`"] == [_normal(source.replace("sum(0)", "sum(1)"))]
    assert mutants["forgot keepdim=True in `x.mean(-1, keepdim=True)`"] == [
        _normal(source.replace(", keepdim=True", ""))]
    assert mutants["an extra keepdim=True in `x.sum(0)`"] == [_normal(source.replace("sum(0)", "sum(0, keepdim=True)"))]
    assert not [d for d in mutants if "keepdim" in d and "softmax" in d]  # not a reduction


def test_a_tensor_is_accumulated_instead_of_its_item():
    mutants = _learner(TRAIN + "\n\ndef g(losses, loss):\n    losses.append(loss.item())\n")
    assert mutants["accumulates the tensor instead of its number: `loss` for `loss.item()`"] == [
        _normal(TRAIN.replace("total += loss.item()", "total += loss") + "\n\ndef g(losses, loss):\n"
                "    losses.append(loss.item())\n"),
        _normal(TRAIN + "\n\ndef g(losses, loss):\n    losses.append(loss)\n")]


def test_zero_grad_is_moved_after_backward():
    moved = TRAIN.replace("        optimizer.zero_grad()\n", "").replace(
        "        loss.backward()\n", "        loss.backward()\n        optimizer.zero_grad()\n")
    assert _only(TRAIN, "`optimizer.zero_grad()` after `loss.backward()`") == _normal(moved)


def test_a_statement_crosses_a_loop_boundary():
    mutants = _learner(TRAIN)
    into = TRAIN.replace("    total = 0.0\n", "").replace("in loader:\n", "in loader:\n        total = 0.0\n")
    assert mutants["`total = 0.0` moved into the loop `for (x, y) in loader`"] == [_normal(into)]
    out = TRAIN.replace("        optimizer.zero_grad()\n", "").replace(
        "    for x, y", "    optimizer.zero_grad()\n    for x, y")
    assert mutants["`optimizer.zero_grad()` moved out of (before) the loop `for (x, y) in loader`"] == [_normal(out)]


def test_every_learner_mutant_is_valid_python_different_from_the_reference_and_unique():
    found = mutate.mutations(textwrap.dedent(TRAIN))
    sources = [m.source for m in found]
    assert len(sources) == len(set(sources)) and _normal(TRAIN) not in sources
    assert {m.kind for m in found} == {"token", "learner"}
    for mutation in found:
        compile(ast.parse(mutation.source), "mutant.py", "exec")
    assert mutate.mutations(TRAIN) == mutate.mutations(TRAIN)  # the same order every time
