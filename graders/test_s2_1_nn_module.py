"""2.1 nn.Module: the promises of exercises/s2_1_nn_module.py, checked against F.linear recomputations.

Modules live in the student's process: the student's models come back as handles (calling one runs its
forward there), the models the grader builds are built there, and the observations below report their
parameters, buffers, gradients and classes as data. Every expected value is recomputed here from the
observed weights with F.linear.
"""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from graders.support.assertions import assert_tensor, check, expect_tensor
from ptgrade.remote import Handle, observation

IN, HIDDEN, OUT = 5, [7, 6], 3   # distinct sizes: each Linear is found from the size it takes
REGISTER_HINT = ("Keep the layers in nn.ModuleList or nn.Sequential and assign them to self in __init__; "
                 "a Python list hides them from parameters() and .to(...).")


def _expected_count(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def _snapshot(value):
    return value.detach().clone() if isinstance(value, torch.Tensor) else value


def _linear(m):
    """An nn.Linear as data: its sizes, weight and bias (as they are now)."""
    return {"in_features": m.in_features, "out_features": m.out_features, "weight": _snapshot(m.weight),
            "bias": _snapshot(m.bias)}


# -- the models the grader builds (in the student's process, beside the student's code) ---------------

def _tied_model():
    model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.Linear(3, 4), nn.Linear(4, 3))
    model[3].weight = model[0].weight  # tied: one parameter used twice
    return model


def _init_model(norm_weight):
    model = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Sequential(nn.LayerNorm(256), nn.Linear(256, 384)))
    nn.init.constant_(model[2][0].weight, norm_weight)
    return model


def _decay_model():
    model = nn.Sequential(nn.Embedding(10, 4), nn.Linear(4, 6), nn.LayerNorm(6), nn.Linear(6, 2, bias=False))
    model[3].weight.requires_grad_(False)
    return model


# -- observations -----------------------------------------------------------------------------------

@observation
def kind_of(impl, value):
    """The class of `value` (`module.Class`) and whether it is an nn.Module."""
    return {"type": f"{type(value).__module__}.{type(value).__qualname__}", "is_module": isinstance(value, nn.Module)}


@observation
def parameters_of(impl, model):
    """numel of each tensor of model.parameters(), the names of model.named_parameters() and the keys of
    model.state_dict()."""
    return {"numels": [p.numel() for p in model.parameters()], "names": [n for n, _ in model.named_parameters()],
            "state_dict": sorted(model.state_dict())}


@observation
def linear_layers(impl, model):
    """Every nn.Linear of model.modules(), in that order, as data (sizes, weight, bias)."""
    return [_linear(m) for m in model.modules() if isinstance(m, nn.Linear)]


@observation
def children_kinds(impl, model):
    """For each module of `for m in model`: its class name and whether it is an nn.ReLU, an nn.Linear."""
    return [{"name": type(m).__name__, "relu": isinstance(m, nn.ReLU), "linear": isinstance(m, nn.Linear)}
            for m in model]


@observation
def squared_error_gradients(impl, model, x, target):
    """loss = ((model(x) - target) ** 2).sum() and, if it requires grad, loss.backward(): the loss, whether it
    required grad, and the (weight.grad, bias.grad) of every nn.Linear of model.modules() (as listed before
    the forward, the order linear_layers reports)."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    loss = ((model(x) - target) ** 2).sum()
    requires_grad = isinstance(loss, torch.Tensor) and loss.requires_grad
    if requires_grad:
        loss.backward()
    return {"loss": _snapshot(loss), "requires_grad": requires_grad,
            "grads": [(m.weight.grad, None if m.bias is None else m.bias.grad) for m in linears]}


@observation
def count_parameters_of_tied_model(impl, frozen_middle: bool, **kwargs):
    """count_parameters(model, **kwargs) for a fresh _tied_model(), its middle Linear(3, 4) frozen or not."""
    model = _tied_model()
    if frozen_middle:
        model[2].requires_grad_(False)
    return impl.count_parameters(model, **kwargs)


@observation
def init_weights_result(impl, norm_weight):
    """init_weights(model) for a fresh _init_model(norm_weight): whether it returned the model itself, then the
    two nn.Linear layers (outer, nested) and the LayerNorm's weight as they are afterwards."""
    model = _init_model(norm_weight)
    result = impl.init_weights(model)
    return {"same": result is model, "linears": [_linear(model[0]), _linear(model[2][1])],
            "norm_weight": _snapshot(model[2][0].weight)}


@observation
def decay_groups_in_adamw(impl, weight_decay):
    """decay_groups(model, weight_decay) for a fresh _decay_model(), given to torch.optim.AdamW(groups, lr=1e-3):
    the class of what it returned and, if a list, each param group as AdamW reads it: its weight_decay, its
    param_names, and whether each name is paired with the model's parameter of that name."""
    model = _decay_model()
    groups = impl.decay_groups(model, weight_decay)
    if not isinstance(groups, list):
        return {"type": type(groups).__name__, "groups": None}
    optimizer = torch.optim.AdamW(groups, lr=1e-3)
    by_name = dict(model.named_parameters())
    return {"type": type(groups).__name__,
            "groups": [{"weight_decay": g["weight_decay"], "param_names": list(g.get("param_names", [])),
                        "paired": all(n in by_name and p is by_name[n]
                                      for n, p in zip(g.get("param_names", []), g["params"]))}
                       for g in optimizer.param_groups]}


@observation
def standardize_after_the_caller_changes_mean(impl, mean, std, x, shift):
    """layer = Standardize(mean, std), then the caller adds `shift` to its own mean tensor in place: layer(x)."""
    layer = impl.Standardize(mean, std)
    mean.add_(shift)
    return layer(x)


@observation
def in_sequential(impl, module):
    """nn.Sequential(module): the container lives beside the student's code (a handle here)."""
    return nn.Sequential(module)


@observation
def moved_to(impl, model, target):
    """model.to(target) (its result ignored: a module moves in place): the device type and dtype of each of
    model.parameters() and model.buffers() afterwards."""
    model.to(target)
    return [(t.device.type, t.dtype) for t in list(model.parameters()) + list(model.buffers())]


# -- in the judge -------------------------------------------------------------------------------------

def _linears_in_order(model, in_features, n_layers, what, impl):
    """The model's nn.Linear layers (as linear_layers reports them) chained by their sizes:
    in_features -> ... -> out_features; each with its index in model.modules() order."""
    linears = linear_layers(impl, model)
    check(len(linears) == n_layers, f"{what} should contain {n_layers} registered nn.Linear layers, found "
          f"{len(linears)}.", REGISTER_HINT)
    ordered, size = [], in_features
    for _ in range(n_layers):
        nxt = [i for i, m in enumerate(linears) if m["in_features"] == size and i not in ordered]
        check(len(nxt) == 1, f"{what}: no nn.Linear takes {size} features (layer sizes should chain "
              f"{[in_features, *HIDDEN, OUT]}).", "Layer i maps sizes[i] -> sizes[i + 1].")
        ordered.append(nxt[0])
        size = linears[nxt[0]]["out_features"]
    return [dict(linears[i], index=i) for i in ordered]


def _functional_forward(layers, x):
    for i, layer in enumerate(layers):
        x = F.linear(x, layer["weight"], layer["bias"])
        if i < len(layers) - 1:
            x = F.relu(x)
    return x


def _expect_module(impl, value, what, hint=""):
    """`value` (a handle to the object the student's code made) must be an nn.Module."""
    kind = kind_of(impl, value)
    check(kind["is_module"], f"{what} should be a Module, got {kind['type'].rpartition('.')[2]}.", hint)
    return value


def _build_mlp(impl, in_features=IN, hidden=HIDDEN, out_features=OUT):
    return _expect_module(impl, impl.MLP(in_features, hidden, out_features), "MLP(...)",
                          "MLP must subclass nn.Module and call super().__init__() first.")


def _type_name(value) -> str:
    return value.type_name if isinstance(value, Handle) else f"{type(value).__module__}.{type(value).__qualname__}"


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
@pytest.mark.title("MLP registers a weight and a bias for every Linear layer",
                   ko="MLP는 모든 Linear 계층의 가중치와 편향을 매개변수로 등록합니다")
def test_mlp_parameters_are_registered(impl):
    model = _build_mlp(impl)
    seen = parameters_of(impl, model)
    params = seen["numels"]
    total = sum(params)
    want = _expected_count([IN, *HIDDEN, OUT])
    check(total == want, f"MLP({IN}, {HIDDEN}, {OUT}).parameters() holds {total} scalars in {len(params)} tensors; "
          f"expected {want} in 6 (a weight and a bias per Linear).", REGISTER_HINT)
    names = set(seen["names"])
    check(len(names) == 6 and sum(n.endswith("weight") for n in names) == 3,
          f"MLP named_parameters() should give 3 weights and 3 biases, got {sorted(names)}.", REGISTER_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("MLP applies Linear then ReLU, with no ReLU after the last layer",
                   ko="MLP는 Linear와 ReLU를 차례로 적용하고, 마지막 계층 뒤에는 ReLU를 두지 않습니다")
def test_mlp_matches_functional_recomputation(impl):
    generator = torch.Generator().manual_seed(0)
    for hidden in (HIDDEN, []):
        model = _build_mlp(impl, IN, hidden, OUT)
        layers = _linears_in_order(model, IN, len(hidden) + 1, f"MLP({IN}, {hidden}, {OUT})", impl)
        x = torch.randn(8, IN, generator=generator)
        first = expect_tensor(model(x), f"MLP({IN}, {hidden}, {OUT})(x)")
        assert_tensor(model(x), first, "a second call MLP(x) on the same x",
                      hint="Create the layers in __init__, never inside forward: a new nn.Linear has new random weights.")
        assert_tensor(first, _functional_forward(layers, x), f"MLP({IN}, {hidden}, {OUT})(x) for x of shape (8, {IN})",
                      hint="ReLU after every Linear except the last; use the layers made in __init__.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("make_sequential_mlp builds the same network as an nn.Sequential",
                   ko="make_sequential_mlp는 같은 신경망을 nn.Sequential로 만듭니다")
def test_sequential_matches_functional_recomputation(impl):
    model = impl.make_sequential_mlp(IN, HIDDEN, OUT)
    kind = _type_name(model)
    check(kind == "torch.nn.modules.container.Sequential", f"make_sequential_mlp should return an nn.Sequential, "
          f"got {kind.rpartition('.')[2]}.", "Return nn.Sequential(*layers).")
    layers = _linears_in_order(model, IN, 3, "make_sequential_mlp(5, [7, 6], 3)", impl)
    x = torch.randn(8, IN, generator=torch.Generator().manual_seed(1)) * 3
    assert_tensor(model(x), _functional_forward(layers, x), "make_sequential_mlp(5, [7, 6], 3)(x)",
                  hint="The output is logits: no ReLU after the last Linear (negative scores must survive).")
    children = children_kinds(impl, model)
    check(len([m for m in children if m["relu"]]) == 2 and bool(children) and children[-1]["linear"],
          f"make_sequential_mlp(5, [7, 6], 3) should be Linear, ReLU, Linear, ReLU, Linear; got "
          f"{[m['name'] for m in children]}.", "No activation after the last Linear.")


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("MLP passes gradients back to every layer",
                   ko="MLP는 역전파 때 모든 계층에 변화도를 전달합니다")
def test_mlp_gradients_reach_every_layer(impl):
    model = _build_mlp(impl)
    layers = _linears_in_order(model, IN, 3, "MLP(5, [7, 6], 3)", impl)
    x = torch.randn(6, IN, generator=torch.Generator().manual_seed(2))
    target = torch.randn(6, OUT, generator=torch.Generator().manual_seed(3))
    seen = squared_error_gradients(impl, model, x, target)  # the loss and backward() run beside the model
    expect_tensor(seen["loss"], "the loss of MLP(x)")
    check(seen["requires_grad"], "MLP(x) does not require grad: autograd cannot reach the weights.",
          "Do not detach, call .data or wrap forward in torch.no_grad().")
    # the reference: the same loss through F.linear on leaf copies of the observed weights
    params = [layer[key].detach().requires_grad_() for layer in layers for key in ("weight", "bias")]
    leaves = [{"weight": w, "bias": b} for w, b in zip(params[0::2], params[1::2])]
    reference = torch.autograd.grad(((_functional_forward(leaves, x) - target) ** 2).sum(), params)
    grads = [g for layer in layers for g in seen["grads"][layer["index"]]]
    for p, grad, want, name in zip(params, grads, reference, ["weight", "bias"] * 3):
        check(grad is not None, f"after loss.backward() a Linear {name} has no .grad.",
              "Every layer must be used in forward through autograd (no .detach(), no .data).")
        assert_tensor(grad, want, f"the gradient of a Linear {name} of shape {tuple(p.shape)}")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("count_parameters counts each parameter once, or the trainable ones",
                   ko="count_parameters는 각 매개변수를 한 번씩 세고, 학습 가능한 것만 셀 수도 있습니다")
def test_count_parameters_counts_each_parameter_once(impl):
    # Linear(4, 3), BatchNorm1d(3), Linear(3, 4), Linear(4, 3) with the last weight tied to the first (_tied_model)
    total = 4 * 3 + 3 + 3 + 3 + 3 * 4 + 4 + 3
    got = count_parameters_of_tied_model(impl, False)
    check(type(got) is int, f"count_parameters should return a Python int, got {type(got).__name__}.",
          "sum(p.numel() for p in ...) is an int.")
    check(got == total, f"count_parameters for Linear(4,3), BatchNorm1d(3), Linear(3,4), Linear(4,3) with the last "
          f"weight tied to the first: expected {total}, got {got}.",
          "Count model.parameters(): state_dict() also holds buffers (BatchNorm's running statistics) and lists "
          "a tied weight twice; len(list(...)) counts tensors, not scalars.")
    got = count_parameters_of_tied_model(impl, True, trainable_only=True)  # model[2].requires_grad_(False)
    check(got == total - 16, f"count_parameters(trainable_only=True) with the middle Linear(3, 4) frozen: expected "
          f"{total - 16}, got {got}.", "Keep only parameters with p.requires_grad.")
    check(count_parameters_of_tied_model(impl, True) == total, "count_parameters(model) without trainable_only "
          "must count frozen parameters too.", "trainable_only defaults to False.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("init_weights gives every Linear Kaiming-normal weights and zero bias",
                   ko="init_weights는 모든 Linear의 가중치를 Kaiming 정규분포로, 편향을 0으로 초기화합니다")
def test_init_weights_kaiming_normal_and_zero_bias(impl):
    # Linear(512, 256), ReLU, Sequential(LayerNorm(256) with weight 2.0, Linear(256, 384)) (_init_model)
    seen = init_weights_result(impl, 2.0)
    check(seen["same"], "init_weights(model) should return the same model, initialised in place.",
          "Change the parameters with nn.init.* (in place) and return model.")
    for layer in seen["linears"]:
        w = layer["weight"].detach()
        want_std = (2.0 / layer["in_features"]) ** 0.5
        std, tails = w.std().item(), (w.abs() > 2 * want_std).float().mean().item()
        check(abs(std / want_std - 1) < 0.05 and abs(w.mean().item()) < 0.1 * want_std,
              f"the weight of a nested Linear({layer['in_features']}, {layer['out_features']}): expected mean 0 and "
              f"std sqrt(2/{layer['in_features']}) = {want_std:.4f}, got mean {w.mean().item():.4f} and std "
              f"{std:.4f}.",
              "Use nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='relu') on every nn.Linear; visit nested "
              "ones with model.modules() or model.apply (children() stops at the first level).")
        check(0.03 < tails < 0.06, f"the weight of Linear({layer['in_features']}, {layer['out_features']}) has "
              f"{tails:.1%} "
              f"of values beyond 2 std; a normal distribution has 4.6%.",
              "Use kaiming_normal_, not kaiming_uniform_ (a uniform has no tails).")
        check(bool((layer["bias"] == 0).all()), "after init_weights every Linear bias should be 0.",
              "nn.init.zeros_(bias).")
    check(bool((seen["norm_weight"] == 2.0).all()), "init_weights changed a LayerNorm's weight; only nn.Linear layers "
          "should be re-initialised.", "Test isinstance(module, nn.Linear) before initialising.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("decay_groups decays only matrices and leaves out frozen parameters",
                   ko="decay_groups는 2차원 이상의 매개변수에만 가중치 감쇠를 적용하고 고정된 매개변수는 뺍니다")
def test_decay_groups_split_by_parameter_dimension(impl):
    # Embedding(10, 4), Linear(4, 6), LayerNorm(6), Linear(6, 2, bias=False) frozen (_decay_model); the groups
    # go to torch.optim.AdamW(groups, lr=1e-3) beside the model, which reports its param_groups
    seen = decay_groups_in_adamw(impl, 0.05)
    check(seen["groups"] is not None, f"decay_groups(model, 0.05) should be a list, got {seen['type']}.")
    got = [(g["weight_decay"], sorted(g["param_names"])) for g in seen["groups"]]
    want = [(0.05, ["0.weight", "1.weight"]), (0.0, ["1.bias", "2.bias", "2.weight"])]
    check(got == want, f"AdamW(decay_groups(model, 0.05)).param_groups as (weight_decay, names) for Embedding, "
          f"Linear, LayerNorm and a frozen Linear: expected {want}, got {got}.",
          "Put (name, p) pairs from model.named_parameters(); decay p.ndim >= 2, no decay for p.ndim < 2 (a LayerNorm "
          "weight is 1-D), and skip parameters with requires_grad=False.")
    for group in seen["groups"]:
        check(group["paired"],
              "decay_groups paired a name with another parameter.", "Keep the pairs from named_parameters() as they are.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("Standardize keeps mean and std as its own buffers, not parameters",
                   ko="Standardize는 mean과 std를 매개변수가 아닌 자체 버퍼로 보관합니다")
def test_standardize_keeps_buffers_not_parameters(impl):
    generator = torch.Generator().manual_seed(4)
    mean, std = torch.randn(5, generator=generator), torch.rand(5, generator=generator) + 0.5
    layer = _expect_module(impl, impl.Standardize(mean, std), "Standardize(mean, std)")
    x = torch.randn(3, 5, generator=generator)
    assert_tensor(layer(x), (x - mean) / std, "Standardize(mean, std)(x)")
    seen = parameters_of(impl, layer)
    check(seen["numels"] == [], "Standardize has trainable parameters; mean and std must not be trained.",
          "Use register_buffer, not nn.Parameter.")
    keys = seen["state_dict"]
    check(keys == ["mean", "std"], f"Standardize.state_dict() should have the keys ['mean', 'std'], got {keys}.",
          "Store them with self.register_buffer('mean', ...) so they are saved and moved with the module.")
    # a new Standardize(mean, std), then the caller's mean += 100 in place, both in the student's process
    assert_tensor(standardize_after_the_caller_changes_mean(impl, mean.clone(), std, x, 100.0), (x - mean) / std,
                  "Standardize(x) after the caller changed its mean tensor",
                  hint="Clone the tensors you are given before registering them.")


def _three_models(impl):
    return (("MLP(5, [7, 6], 3)", _build_mlp(impl), OUT),
            ("make_sequential_mlp(5, [7, 6], 3)", impl.make_sequential_mlp(IN, HIDDEN, OUT), OUT),
            ("Standardize", in_sequential(impl, impl.Standardize(torch.zeros(IN), torch.ones(IN))), IN))


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("Each module moves wholly with .to('meta') and runs there",
                   ko="각 모듈은 .to('meta')로 통째로 옮겨지고 그 장치에서 실행됩니다")
def test_modules_follow_to_meta_device(impl):
    for what, model, width in _three_models(impl):
        states = moved_to(impl, model, "meta")  # (device type, dtype) of each parameter and buffer afterwards
        check(len(states) > 0 and all(device == "meta" for device, _ in states),
              f"after {what}.to('meta') some of its tensors are elsewhere or it has none: "
              f"{sorted({device for device, _ in states})}.", REGISTER_HINT + " Fixed tensors go in register_buffer.")
        out = expect_tensor(_forward(model, torch.empty(4, IN, device="meta"), f"{what} on meta"), f"{what}(x) on meta")
        check(out.device.type == "meta" and tuple(out.shape) == (4, width),
              f"{what}(x) for x of shape (4, 5) on meta: expected a (4, {width}) tensor on meta, got "
              f"{tuple(out.shape)} on {out.device}.", REGISTER_HINT)


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("Each module converts wholly with .to(torch.float64) and runs",
                   ko="각 모듈은 .to(torch.float64)로 모두 변환되어 float64로 실행됩니다")
def test_modules_follow_to_dtype(impl):
    x = torch.randn(2, IN, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    for what, model, width in _three_models(impl):
        states = moved_to(impl, model, torch.float64)
        check(all(dtype == torch.float64 for _, dtype in states), f"after {what}.to(torch.float64) some tensors are "
              f"{sorted({str(dtype) for _, dtype in states})}.", REGISTER_HINT + " Fixed tensors go in register_buffer.")
        out = expect_tensor(_forward(model, x, f"{what}.to(torch.float64)"), f"{what}(x)")
        check(out.dtype == torch.float64 and tuple(out.shape) == (2, width),
              f"{what}.to(torch.float64)(x) for a float64 x of shape (2, 5): expected a (2, {width}) float64 tensor, "
              f"got {tuple(out.shape)} {out.dtype}.", REGISTER_HINT)


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("MLP moves to CUDA and computes the same outputs there",
                   ko="MLP는 CUDA로 옮겨도 같은 출력을 계산합니다")
def test_mlp_runs_on_cuda(impl):
    model = _build_mlp(impl)
    moved_to(impl, model, "cuda")
    layers = _linears_in_order(model, IN, 3, "MLP(5, [7, 6], 3)", impl)
    x = torch.randn(8, IN, device="cuda")
    assert_tensor(model(x), _functional_forward(layers, x), "MLP(x) on CUDA", hint=REGISTER_HINT)
