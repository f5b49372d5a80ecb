"""2.1 nn.Module: the promises of exercises/s2_1_nn_module.py, checked against F.linear recomputations."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from graders.support.assertions import assert_tensor, check, expect_tensor, expect_type

IN, HIDDEN, OUT = 5, [7, 6], 3   # distinct sizes: each Linear is found from the size it takes
REGISTER_HINT = ("Keep the layers in nn.ModuleList or nn.Sequential and assign them to self in __init__; "
                 "a Python list hides them from parameters() and .to(...).")


def _expected_count(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def _linears_in_order(model, in_features, n_layers, what):
    """The model's nn.Linear layers chained by their sizes: in_features -> ... -> out_features."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    check(len(linears) == n_layers, f"{what} should contain {n_layers} registered nn.Linear layers, found "
          f"{len(linears)}.", REGISTER_HINT)
    ordered, size = [], in_features
    for _ in range(n_layers):
        nxt = [m for m in linears if m.in_features == size and m not in ordered]
        check(len(nxt) == 1, f"{what}: no nn.Linear takes {size} features (layer sizes should chain "
              f"{[in_features, *HIDDEN, OUT]}).", "Layer i maps sizes[i] -> sizes[i + 1].")
        ordered.append(nxt[0])
        size = nxt[0].out_features
    return ordered


def _functional_forward(layers, x):
    for i, layer in enumerate(layers):
        x = F.linear(x, layer.weight, layer.bias)
        if i < len(layers) - 1:
            x = F.relu(x)
    return x


def _build_mlp(impl, in_features=IN, hidden=HIDDEN, out_features=OUT):
    return expect_type(impl.MLP(in_features, hidden, out_features), nn.Module, "MLP(...)",
                       "MLP must subclass nn.Module and call super().__init__() first.")


def _forward(model, x, what):
    failure = None
    try:
        return model(x)
    except NotImplementedError as error:
        if str(error).isidentifier():  # the untouched stub: reported as not started
            raise
        failure = f"NotImplementedError: {str(error).splitlines()[0]}"  # e.g. a CPU tensor meeting a meta one
    except RuntimeError as error:
        failure = f"RuntimeError: {str(error).splitlines()[0]}"
    check(False, f"{what} raised {failure}",  # raised outside the except block: a failure, not "not started"
          REGISTER_HINT + " Tensors the module keeps must be buffers (register_buffer).")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_mlp_parameters_are_registered(impl):
    model = _build_mlp(impl)
    params = list(model.parameters())
    total = sum(p.numel() for p in params)
    want = _expected_count([IN, *HIDDEN, OUT])
    check(total == want, f"MLP({IN}, {HIDDEN}, {OUT}).parameters() holds {total} scalars in {len(params)} tensors; "
          f"expected {want} in 6 (a weight and a bias per Linear).", REGISTER_HINT)
    names = {name for name, _ in model.named_parameters()}
    check(len(names) == 6 and sum(n.endswith("weight") for n in names) == 3,
          f"MLP named_parameters() should give 3 weights and 3 biases, got {sorted(names)}.", REGISTER_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
def test_mlp_matches_functional_recomputation(impl):
    generator = torch.Generator().manual_seed(0)
    for hidden in (HIDDEN, []):
        model = _build_mlp(impl, IN, hidden, OUT)
        layers = _linears_in_order(model, IN, len(hidden) + 1, f"MLP({IN}, {hidden}, {OUT})")
        x = torch.randn(8, IN, generator=generator)
        first = expect_tensor(model(x), f"MLP({IN}, {hidden}, {OUT})(x)")
        assert_tensor(model(x), first, "a second call MLP(x) on the same x",
                      hint="Create the layers in __init__, never inside forward: a new nn.Linear has new random weights.")
        assert_tensor(first, _functional_forward(layers, x), f"MLP({IN}, {hidden}, {OUT})(x) for x of shape (8, {IN})",
                      hint="ReLU after every Linear except the last; use the layers made in __init__.")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_sequential_matches_functional_recomputation(impl):
    model = impl.make_sequential_mlp(IN, HIDDEN, OUT)
    check(type(model) is nn.Sequential, f"make_sequential_mlp should return an nn.Sequential, got {type(model).__name__}.",
          "Return nn.Sequential(*layers).")
    layers = _linears_in_order(model, IN, 3, "make_sequential_mlp(5, [7, 6], 3)")
    x = torch.randn(8, IN, generator=torch.Generator().manual_seed(1)) * 3
    assert_tensor(model(x), _functional_forward(layers, x), "make_sequential_mlp(5, [7, 6], 3)(x)",
                  hint="The output is logits: no ReLU after the last Linear (negative scores must survive).")
    check(len([m for m in model if isinstance(m, nn.ReLU)]) == 2 and isinstance(model[-1], nn.Linear),
          f"make_sequential_mlp(5, [7, 6], 3) should be Linear, ReLU, Linear, ReLU, Linear; got "
          f"{[type(m).__name__ for m in model]}.", "No activation after the last Linear.")


@pytest.mark.points(2)
@pytest.mark.gradients
def test_mlp_gradients_reach_every_layer(impl):
    model = _build_mlp(impl)
    layers = _linears_in_order(model, IN, 3, "MLP(5, [7, 6], 3)")
    x = torch.randn(6, IN, generator=torch.Generator().manual_seed(2))
    target = torch.randn(6, OUT, generator=torch.Generator().manual_seed(3))
    loss = ((model(x) - target) ** 2).sum()
    expect_tensor(loss, "the loss of MLP(x)")
    check(loss.requires_grad, "MLP(x) does not require grad: autograd cannot reach the weights.",
          "Do not detach, call .data or wrap forward in torch.no_grad().")
    loss.backward()
    params = [p for layer in layers for p in (layer.weight, layer.bias)]
    reference = torch.autograd.grad(((_functional_forward(layers, x) - target) ** 2).sum(), params)
    for p, want, name in zip(params, reference, ["weight", "bias"] * 3):
        check(p.grad is not None, f"after loss.backward() a Linear {name} has no .grad.",
              "Every layer must be used in forward through autograd (no .detach(), no .data).")
        assert_tensor(p.grad, want, f"the gradient of a Linear {name} of shape {tuple(p.shape)}")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_count_parameters_counts_each_parameter_once(impl):
    model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.Linear(3, 4), nn.Linear(4, 3))
    model[3].weight = model[0].weight  # tied: one parameter used twice
    total = 4 * 3 + 3 + 3 + 3 + 3 * 4 + 4 + 3
    got = impl.count_parameters(model)
    check(type(got) is int, f"count_parameters should return a Python int, got {type(got).__name__}.",
          "sum(p.numel() for p in ...) is an int.")
    check(got == total, f"count_parameters for Linear(4,3), BatchNorm1d(3), Linear(3,4), Linear(4,3) with the last "
          f"weight tied to the first: expected {total}, got {got}.",
          "Count model.parameters(): state_dict() also holds buffers (BatchNorm's running statistics) and lists "
          "a tied weight twice; len(list(...)) counts tensors, not scalars.")
    model[2].requires_grad_(False)
    got = impl.count_parameters(model, trainable_only=True)
    check(got == total - 16, f"count_parameters(trainable_only=True) with the middle Linear(3, 4) frozen: expected "
          f"{total - 16}, got {got}.", "Keep only parameters with p.requires_grad.")
    check(impl.count_parameters(model) == total, "count_parameters(model) without trainable_only must count frozen "
          "parameters too.", "trainable_only defaults to False.")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_init_weights_kaiming_normal_and_zero_bias(impl):
    model = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Sequential(nn.LayerNorm(256), nn.Linear(256, 384)))
    norm = model[2][0]
    nn.init.constant_(norm.weight, 2.0)
    result = impl.init_weights(model)
    check(result is model, "init_weights(model) should return the same model, initialised in place.",
          "Change the parameters with nn.init.* (in place) and return model.")
    for layer in (model[0], model[2][1]):
        w = layer.weight.detach()
        want_std = (2.0 / layer.in_features) ** 0.5
        std, tails = w.std().item(), (w.abs() > 2 * want_std).float().mean().item()
        check(abs(std / want_std - 1) < 0.05 and abs(w.mean().item()) < 0.1 * want_std,
              f"the weight of a nested Linear({layer.in_features}, {layer.out_features}): expected mean 0 and std "
              f"sqrt(2/{layer.in_features}) = {want_std:.4f}, got mean {w.mean().item():.4f} and std {std:.4f}.",
              "Use nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='relu') on every nn.Linear; visit nested "
              "ones with model.modules() or model.apply (children() stops at the first level).")
        check(0.03 < tails < 0.06, f"the weight of Linear({layer.in_features}, {layer.out_features}) has {tails:.1%} "
              f"of values beyond 2 std; a normal distribution has 4.6%.",
              "Use kaiming_normal_, not kaiming_uniform_ (a uniform has no tails).")
        check(bool((layer.bias == 0).all()), "after init_weights every Linear bias should be 0.", "nn.init.zeros_(bias).")
    check(bool((norm.weight == 2.0).all()), "init_weights changed a LayerNorm's weight; only nn.Linear layers "
          "should be re-initialised.", "Test isinstance(module, nn.Linear) before initialising.")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_decay_groups_split_by_parameter_dimension(impl):
    model = nn.Sequential(nn.Embedding(10, 4), nn.Linear(4, 6), nn.LayerNorm(6), nn.Linear(6, 2, bias=False))
    model[3].weight.requires_grad_(False)
    groups = impl.decay_groups(model, 0.05)
    expect_type(groups, list, "decay_groups(model, 0.05)")
    optimizer = torch.optim.AdamW(groups, lr=1e-3)
    got = [(g["weight_decay"], sorted(g.get("param_names", []))) for g in optimizer.param_groups]
    want = [(0.05, ["0.weight", "1.weight"]), (0.0, ["1.bias", "2.bias", "2.weight"])]
    check(got == want, f"AdamW(decay_groups(model, 0.05)).param_groups as (weight_decay, names) for Embedding, "
          f"Linear, LayerNorm and a frozen Linear: expected {want}, got {got}.",
          "Put (name, p) pairs from model.named_parameters(); decay p.ndim >= 2, no decay for p.ndim < 2 (a LayerNorm "
          "weight is 1-D), and skip parameters with requires_grad=False.")
    by_name = dict(model.named_parameters())
    for group in optimizer.param_groups:
        check(all(p is by_name[n] for n, p in zip(group["param_names"], group["params"])),
              "decay_groups paired a name with another parameter.", "Keep the pairs from named_parameters() as they are.")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_standardize_keeps_buffers_not_parameters(impl):
    generator = torch.Generator().manual_seed(4)
    mean, std = torch.randn(5, generator=generator), torch.rand(5, generator=generator) + 0.5
    layer = expect_type(impl.Standardize(mean, std), nn.Module, "Standardize(mean, std)")
    x = torch.randn(3, 5, generator=generator)
    assert_tensor(layer(x), (x - mean) / std, "Standardize(mean, std)(x)")
    check(list(layer.parameters()) == [], "Standardize has trainable parameters; mean and std must not be trained.",
          "Use register_buffer, not nn.Parameter.")
    keys = sorted(layer.state_dict())
    check(keys == ["mean", "std"], f"Standardize.state_dict() should have the keys ['mean', 'std'], got {keys}.",
          "Store them with self.register_buffer('mean', ...) so they are saved and moved with the module.")
    mean.add_(100.0)
    assert_tensor(layer(x), (x - (mean - 100.0)) / std, "Standardize(x) after the caller changed its mean tensor",
                  hint="Clone the tensors you are given before registering them.")


def _three_models(impl):
    return (("MLP(5, [7, 6], 3)", _build_mlp(impl), OUT),
            ("make_sequential_mlp(5, [7, 6], 3)", impl.make_sequential_mlp(IN, HIDDEN, OUT), OUT),
            ("Standardize", nn.Sequential(impl.Standardize(torch.zeros(IN), torch.ones(IN))), IN))


@pytest.mark.points(2)
@pytest.mark.device
def test_modules_follow_to_meta_device(impl):
    for what, model, width in _three_models(impl):
        model.to("meta")
        states = list(model.parameters()) + list(model.buffers())
        check(len(states) > 0 and all(t.device.type == "meta" for t in states),
              f"after {what}.to('meta') some of its tensors are elsewhere or it has none: "
              f"{sorted({str(t.device) for t in states})}.", REGISTER_HINT + " Fixed tensors go in register_buffer.")
        out = expect_tensor(_forward(model, torch.empty(4, IN, device="meta"), f"{what} on meta"), f"{what}(x) on meta")
        check(out.device.type == "meta" and tuple(out.shape) == (4, width),
              f"{what}(x) for x of shape (4, 5) on meta: expected a (4, {width}) tensor on meta, got "
              f"{tuple(out.shape)} on {out.device}.", REGISTER_HINT)


@pytest.mark.points(1)
@pytest.mark.device
def test_modules_follow_to_dtype(impl):
    x = torch.randn(2, IN, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    for what, model, width in _three_models(impl):
        model.to(torch.float64)
        states = list(model.parameters()) + list(model.buffers())
        check(all(t.dtype == torch.float64 for t in states), f"after {what}.to(torch.float64) some tensors are "
              f"{sorted({str(t.dtype) for t in states})}.", REGISTER_HINT + " Fixed tensors go in register_buffer.")
        out = expect_tensor(_forward(model, x, f"{what}.to(torch.float64)"), f"{what}(x)")
        check(out.dtype == torch.float64 and tuple(out.shape) == (2, width),
              f"{what}.to(torch.float64)(x) for a float64 x of shape (2, 5): expected a (2, {width}) float64 tensor, "
              f"got {tuple(out.shape)} {out.dtype}.", REGISTER_HINT)


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
def test_mlp_runs_on_cuda(impl):
    model = _build_mlp(impl).to("cuda")
    layers = _linears_in_order(model, IN, 3, "MLP(5, [7, 6], 3)")
    x = torch.randn(8, IN, device="cuda")
    assert_tensor(model(x), _functional_forward(layers, x), "MLP(x) on CUDA", hint=REGISTER_HINT)
