"""2.1 nn.Module: the promises of exercises/s2_1_nn_module.py, checked against F.linear recomputations.

Modules live in the student's process: the student's models come back as handles (calling one runs its
forward there), the models the grader builds are built there, and the observations of
graders/observations/s2_1_nn_module.py report their parameters, buffers, gradients and classes as data. Every
expected value is recomputed here from the observed weights with F.linear.
"""
import math

import pytest
import torch
import torch.nn.functional as F

from graders.observations.s2_1_nn_module import (
    _decay_model,
    children_kinds,
    count_parameters_of_tied_model,
    decay_groups_in_adamw,
    in_sequential,
    init_weights_result,
    kind_of,
    linear_layers,
    moved_to,
    parameters_of,
    squared_error_gradients,
    standardize_after_the_caller_changes_mean,
)
from graders.support import errors, pristine
from graders.support.assertions import assert_tensor, check, expect_tensor, say

IN, HIDDEN, OUT = 5, (7, 6), 3   # distinct sizes: each Linear is found from the size it takes (a tuple: the
# judge's own data cannot change; the student's code gets list(HIDDEN))
REGISTER_HINT = say("Keep the layers in nn.ModuleList or nn.Sequential and assign them to self in __init__; "
                    "a Python list hides them from parameters() and .to(...).",
                    "계층은 nn.ModuleList나 nn.Sequential에 담아 __init__에서 self에 할당하세요. "
                    "Python 리스트에 두면 parameters()와 .to(...)가 그 계층을 보지 못합니다.")


def _expected_count(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


# -- the models the grader builds: their sizes and names, drawn in the judge --------------------------

def _tied_sizes(run_seed):
    """The sizes (a, b) of the tied model for this run, 5 to 20 each: a table of one run's counts fails another's."""
    generator = torch.Generator().manual_seed(run_seed + 21)
    a, b = (int(n) for n in torch.randint(5, 21, (2,), generator=generator))
    return a, b


def _decay_case(run_seed):
    """The decay model of this run: the names of its four layers (drawn: a table of names fails), which Linear is
    frozen (1 or 3) and whether the last one has a bias."""
    generator = torch.Generator().manual_seed(run_seed + 22)
    numbers = [int(n) for n in torch.randperm(1000, generator=generator)[:4]]
    frozen, bias = (int(n) for n in torch.randint(0, 2, (2,), generator=generator))
    return tuple(f"{kind}{n}" for kind, n in zip(("emb", "fc", "norm", "out"), numbers)), (1, 3)[frozen], bool(bias)


# -- in the judge -------------------------------------------------------------------------------------

def _linears_in_order(model, in_features, n_layers, what, impl):
    """The model's nn.Linear layers (as linear_layers reports them) chained by their sizes:
    in_features -> ... -> out_features; each with its index in model.modules() order."""
    linears = linear_layers(impl, model)
    check(len(linears) == n_layers, say(f"{what} should contain {n_layers} registered nn.Linear layers, found "
                                        f"{len(linears)}.",
                                        f"{what}에는 등록된 nn.Linear 계층이 {n_layers}개 있어야 하는데 "
                                        f"{len(linears)}개입니다."), REGISTER_HINT)
    ordered, size = [], in_features
    for _ in range(n_layers):
        nxt = [i for i, m in enumerate(linears) if m["in_features"] == size and i not in ordered]
        check(len(nxt) == 1, say(f"{what}: no nn.Linear takes {size} features (layer sizes should chain "
                                 f"{[in_features, *HIDDEN, OUT]}).",
                                 f"{what}: 특징 {size}개를 입력받는 nn.Linear가 없습니다(계층 크기는 "
                                 f"{[in_features, *HIDDEN, OUT]} 순으로 이어져야 합니다)."),
              say("Layer i maps sizes[i] -> sizes[i + 1].", "계층 i는 sizes[i] -> sizes[i + 1]로 변환합니다."))
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
    check(kind["is_module"], say(f"{what} should be a Module, got {kind['type'].rpartition('.')[2]}.",
                                 f"{what}: Module이어야 하는데 {kind['type'].rpartition('.')[2]}입니다."), hint)
    return value


def _build_mlp(impl, in_features=IN, hidden=HIDDEN, out_features=OUT):
    hint = say("MLP must subclass nn.Module and call super().__init__() first: nn.Module.__init__ makes the "
               "registries that layers assigned to self are kept in.",
               "MLP는 nn.Module을 상속하고 먼저 super().__init__()을 호출해야 합니다. self에 대입한 계층이 "
               "보관되는 등록부를 nn.Module.__init__이 만듭니다.")
    model = errors.calling(f"MLP({in_features}, {list(hidden)}, {out_features})", hint, impl.MLP, in_features,
                           list(hidden), out_features)
    return _expect_module(impl, model, "MLP(...)", hint)


def _forward(model, x, what):
    """model(x); what it raised (torch's NotImplementedError too: a CPU tensor meeting a meta one) is a failure."""
    return errors.calling(what, REGISTER_HINT + say(" Tensors the module keeps must be buffers (register_buffer).",
                                                    " 모듈이 보관하는 텐서는 버퍼(register_buffer)여야 합니다."), model, x)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("MLP registers a weight and a bias for every Linear layer",
                   ko="MLP는 모든 Linear 계층의 가중치와 편향을 매개변수로 등록합니다")
def test_mlp_parameters_are_registered(impl):
    model = _build_mlp(impl)
    seen = parameters_of(impl, model)
    params = [math.prod(shape) for shape in seen["shapes"]]
    total = sum(params)
    want = _expected_count([IN, *HIDDEN, OUT])
    check(total == want, say(f"MLP({IN}, {list(HIDDEN)}, {OUT}).parameters() holds {total} scalars in {len(params)} tensors; "
                             f"expected {want} in 6 (a weight and a bias per Linear).",
                             f"MLP({IN}, {list(HIDDEN)}, {OUT}).parameters()에는 텐서 {len(params)}개에 스칼라 {total}개가 "
                             f"있습니다. 텐서 6개(Linear마다 가중치와 편향 하나씩)에 {want}개여야 합니다."),
          REGISTER_HINT)
    names = set(seen["names"])
    check(len(names) == 6 and sum(n.endswith("weight") for n in names) == 3,
          say(f"MLP named_parameters() should give 3 weights and 3 biases, got {sorted(names)}.",
              f"MLP의 named_parameters()는 가중치 3개와 편향 3개를 내야 하는데 {sorted(names)}입니다."),
          REGISTER_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("MLP applies Linear then ReLU, with no ReLU after the last layer",
                   ko="MLP는 Linear와 ReLU를 차례로 적용하고, 마지막 계층 뒤에는 ReLU를 두지 않습니다")
def test_mlp_matches_functional_recomputation(impl):
    generator = torch.Generator().manual_seed(0)
    for hidden in (list(HIDDEN), []):
        model = _build_mlp(impl, IN, hidden, OUT)
        layers = _linears_in_order(model, IN, len(hidden) + 1, f"MLP({IN}, {hidden}, {OUT})", impl)
        x = torch.randn(8, IN, generator=generator)
        first = expect_tensor(model(x), f"MLP({IN}, {hidden}, {OUT})(x)")
        assert_tensor(model(x), first, say("a second call MLP(x) on the same x", "같은 x로 MLP(x)를 두 번째 호출한 결과"),
                      hint=say("Create the layers in __init__, never inside forward: a new nn.Linear has new random weights.",
                               "계층은 forward 안이 아니라 __init__에서 만드세요: 새 nn.Linear는 "
                               "새로운 무작위 가중치를 가집니다."))
        want = _functional_forward(layers, x)
        assert_tensor(first, want,
                      say(f"MLP({IN}, {hidden}, {OUT})(x) for x of shape (8, {IN})",
                          f"shape가 (8, {IN})인 x에 대한 MLP({IN}, {hidden}, {OUT})(x)"),
                      hint=say("ReLU after every Linear except the last; use the layers made in __init__.",
                               "마지막을 뺀 모든 Linear 뒤에 ReLU를 두세요. __init__에서 만든 계층을 사용하세요."),
                      mistakes={(say("a ReLU after the last Linear too, so every negative logit becomes 0.",
                                     "마지막 Linear 뒤에도 ReLU를 두어서 음수 로짓이 모두 0이 됩니다."),
                                 say("The loop applies ReLU to all layers but the last: the output is raw scores.",
                                     "반복문은 마지막을 뺀 계층에만 ReLU를 적용합니다. 출력은 가공하지 않은 점수입니다.")):
                                F.relu(want),
                                (say("a softmax on the output: MLP returns logits; nn.CrossEntropyLoss applies "
                                     "log-softmax itself, so a softmax in the model is applied twice.",
                                     "출력에 softmax를 적용했습니다. MLP는 로짓을 반환합니다. "
                                     "nn.CrossEntropyLoss가 log-softmax를 직접 적용하므로 모델 안의 softmax는 두 번 "
                                     "적용됩니다."),
                                 say("Return the last Linear's output as it is.", "마지막 Linear의 출력을 그대로 반환하세요.")):
                                [F.softmax(want, dim=-1), F.log_softmax(want, dim=-1)]})


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("make_sequential_mlp builds the same network as an nn.Sequential",
                   ko="make_sequential_mlp는 같은 신경망을 nn.Sequential로 만듭니다")
def test_sequential_matches_functional_recomputation(impl):
    model = impl.make_sequential_mlp(IN, list(HIDDEN), OUT)
    kind = kind_of(impl, model)  # its real class, beside the student's code (a class can name itself Sequential)
    own = kind["type"] == "Sequential"  # a class of its own that calls itself Sequential
    check(kind["sequential"], say(f"make_sequential_mlp should return an nn.Sequential, got {kind['type']}"
                                  + (" (a class named Sequential that is not torch.nn.Sequential)." if own else "."),
                                  f"make_sequential_mlp는 nn.Sequential을 반환해야 하는데 {kind['type']}입니다"
                                  + ("(이름만 Sequential이고 torch.nn.Sequential은 아닌 클래스)." if own else ".")),
          say("Return nn.Sequential(*layers).", "nn.Sequential(*layers)를 반환하세요."))
    layers = _linears_in_order(model, IN, 3, "make_sequential_mlp(5, [7, 6], 3)", impl)
    x = torch.randn(8, IN, generator=torch.Generator().manual_seed(1)) * 3
    assert_tensor(model(x), _functional_forward(layers, x), "make_sequential_mlp(5, [7, 6], 3)(x)",
                  hint=say("The output is logits: no ReLU after the last Linear (negative scores must survive).",
                           "출력은 로짓입니다. 마지막 Linear 뒤에는 ReLU를 두지 마세요"
                           "(음수 점수도 살아남아야 합니다)."))
    children = children_kinds(impl, model)
    check(len([m for m in children if m["relu"]]) == 2 and bool(children) and children[-1]["linear"],
          say(f"make_sequential_mlp(5, [7, 6], 3) should be Linear, ReLU, Linear, ReLU, Linear; got "
              f"{[m['name'] for m in children]}.",
              f"make_sequential_mlp(5, [7, 6], 3)는 Linear, ReLU, Linear, ReLU, Linear여야 하는데 "
              f"{[m['name'] for m in children]}입니다."),
          say("No activation after the last Linear.", "마지막 Linear 뒤에는 활성화 함수를 두지 마세요."))


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
    expect_tensor(seen["out"], say("MLP(x) (whose squared error is the loss)", "MLP(x)(제곱 오차를 손실로 쓰는 출력)"))
    check(seen["requires_grad"], say("MLP(x) does not require grad: autograd cannot reach the weights.",
                                     "MLP(x)의 requires_grad가 False입니다: Autograd가 가중치까지 도달할 수 없습니다."),
          say("Do not detach, call .data or wrap forward in torch.no_grad().",
              "detach하거나 .data를 쓰거나 forward를 torch.no_grad()로 감싸지 마세요."))
    # the reference: the same loss through F.linear on leaf copies of the observed weights
    params = [layer[key].detach().requires_grad_() for layer in layers for key in ("weight", "bias")]
    leaves = [{"weight": w, "bias": b} for w, b in zip(params[0::2], params[1::2])]
    reference = torch.autograd.grad(((_functional_forward(leaves, x) - target) ** 2).sum(), params)
    grads = [g for layer in layers for g in seen["grads"][layer["index"]]]
    for p, grad, want, name in zip(params, grads, reference, ["weight", "bias"] * 3):
        check(grad is not None, say(f"after loss.backward() a Linear {name} has no .grad.",
                                    f"loss.backward() 뒤에 어떤 Linear의 {name}에 .grad가 없습니다."),
              say("Every layer must be used in forward through autograd (no .detach(), no .data).",
                  "모든 계층은 forward에서 Autograd를 거쳐 사용되어야 합니다(.detach()도 .data도 금지)."))
        assert_tensor(grad, want, say(f"the gradient of a Linear {name} of shape {tuple(p.shape)}",
                                      f"shape가 {tuple(p.shape)}인 Linear {name}의 변화도"))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("count_parameters counts each parameter once, or the trainable ones",
                   ko="count_parameters는 각 매개변수를 한 번씩 세고, 학습 가능한 것만 셀 수도 있습니다")
def test_count_parameters_counts_each_parameter_once(impl, run_seed):
    # Linear(a, b), BatchNorm1d(b), Linear(b, a), Linear(a, b) with the last weight tied to the first (_tied_model);
    # a and b drawn for this run and sealed, so only the model beside the student's code knows them
    a, b = _tied_sizes(run_seed)
    total = a * b + b + b + b + b * a + a + b
    frozen = b * a + a
    layers = f"Linear({a},{b}), BatchNorm1d({b}), Linear({b},{a}), Linear({a},{b})"
    got = count_parameters_of_tied_model(impl, pristine.seal((a, b, False)))
    check(type(got) is int, say(f"count_parameters should return a Python int, got {type(got).__name__}.",
                                f"count_parameters는 Python int를 반환해야 하는데 {type(got).__name__}입니다."),
          say("sum(p.numel() for p in ...) is an int.", "sum(p.numel() for p in ...)은 int입니다."))
    check(got == total, say(f"count_parameters for {layers} with the last weight tied to the first: expected {total}, "
                            f"got {got}.",
                            f"마지막 가중치를 첫 번째 가중치와 공유하는 모델({layers})에 대한 count_parameters: {got}입니다. 기댓값은 "
                            f"{total}입니다."),
          say("Count model.parameters(): state_dict() also holds buffers (BatchNorm's running statistics) and lists "
              "a tied weight twice; len(list(...)) counts tensors, not scalars.",
              "model.parameters()를 세세요: state_dict()에는 버퍼(BatchNorm의 누적 통계)도 들어 있고 공유된 "
              "가중치가 두 번 나옵니다. len(list(...))는 스칼라가 아니라 텐서 개수를 셉니다."))
    got = count_parameters_of_tied_model(impl, pristine.seal((a, b, True)), trainable_only=True)
    check(got == total - frozen, say(f"count_parameters(trainable_only=True) for {layers} with the middle "
                                     f"Linear({b}, {a}) frozen: expected {total - frozen}, got {got}.",
                                     f"{layers}에서 가운데 Linear({b}, {a})를 동결했을 때 "
                                     f"count_parameters(trainable_only=True): 기댓값은 {total - frozen}인데 "
                                     f"{got}입니다."),
          say("Keep only parameters with p.requires_grad.", "p.requires_grad가 True인 매개변수만 남기세요."))
    check(count_parameters_of_tied_model(impl, pristine.seal((a, b, True))) == total,
          say("count_parameters(model) without trainable_only must count frozen parameters too.",
              "trainable_only 없이 호출한 count_parameters(model)는 동결된 매개변수도 세야 합니다."),
          say("trainable_only defaults to False.", "trainable_only의 기본값은 False입니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("init_weights gives every Linear Kaiming-normal weights and zero bias",
                   ko="init_weights는 모든 Linear의 가중치를 Kaiming 정규분포로, 편향을 0으로 초기화합니다")
def test_init_weights_kaiming_normal_and_zero_bias(impl):
    # Linear(512, 256), ReLU, Sequential(LayerNorm(256) with weight 2.0, Linear(256, 384)) (_init_model)
    seen = init_weights_result(impl, 2.0)
    check(seen["same"], say("init_weights(model) should return the same model, initialised in place.",
                            "init_weights(model)는 제자리에서 초기화한 같은 모델을 반환해야 합니다."),
          say("Change the parameters with nn.init.* (in place) and return model.",
              "nn.init.*로 매개변수를 (제자리에서) 바꾸고 model을 반환하세요."))
    for layer in seen["linears"]:
        w = layer["weight"].detach()
        want_std = (2.0 / layer["in_features"]) ** 0.5
        std, tails = w.std().item(), (w.abs() > 2 * want_std).float().mean().item()
        check(abs(std / want_std - 1) < 0.05 and abs(w.mean().item()) < 0.1 * want_std,
              say(f"the weight of a nested Linear({layer['in_features']}, {layer['out_features']}): expected mean 0 and "
                  f"std sqrt(2/{layer['in_features']}) = {want_std:.4f}, got mean {w.mean().item():.4f} and std "
                  f"{std:.4f}.",
                  f"중첩된 Linear({layer['in_features']}, {layer['out_features']})의 가중치: 기댓값은 평균 0, 표준편차 "
                  f"sqrt(2/{layer['in_features']}) = {want_std:.4f}인데 실제로는 평균 {w.mean().item():.4f}, 표준편차 "
                  f"{std:.4f}입니다."),
              say("Use nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='relu') on every nn.Linear; visit nested "
                  "ones with model.modules() or model.apply (children() stops at the first level).",
                  "모든 nn.Linear에 nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='relu')를 쓰세요. 중첩된 "
                  "계층은 model.modules()나 model.apply로 방문하세요(children()은 첫 단계에서 멈춥니다)."))
        check(0.03 < tails < 0.06, say(f"the weight of Linear({layer['in_features']}, {layer['out_features']}) has "
                                       f"{tails:.1%} "
                                       f"of values beyond 2 std; a normal distribution has 4.6%.",
                                       f"Linear({layer['in_features']}, {layer['out_features']})의 가중치 중 "
                                       f"표준편차의 2배를 벗어나는 값의 비율이 {tails:.1%}입니다. 정규분포라면 4.6%입니다."),
              say("Use kaiming_normal_, not kaiming_uniform_ (a uniform has no tails).",
                  "kaiming_uniform_이 아니라 kaiming_normal_을 쓰세요(균등분포에는 꼬리가 없습니다)."))
        check(bool((layer["bias"] == 0).all()), say("after init_weights every Linear bias should be 0.",
                                                    "init_weights 뒤에는 모든 Linear의 편향이 0이어야 합니다."),
              say("nn.init.zeros_(bias).", "nn.init.zeros_(bias)를 쓰세요."))
    check(bool((seen["norm_weight"] == 2.0).all()), say("init_weights changed a LayerNorm's weight; only nn.Linear layers "
                                                        "should be re-initialised.",
                                                        "init_weights가 LayerNorm의 가중치를 바꿨습니다. nn.Linear 계층만 "
                                                        "다시 초기화해야 합니다."),
          say("Test isinstance(module, nn.Linear) before initialising.",
              "초기화하기 전에 isinstance(module, nn.Linear)를 확인하세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("decay_groups decays only matrices and leaves out frozen parameters",
                   ko="decay_groups는 2차원 이상의 매개변수에만 가중치 감쇠를 적용하고 동결된 매개변수는 뺍니다")
def test_decay_groups_split_by_parameter_dimension(impl, run_seed):
    # Embedding(10, 4), Linear(4, 6), LayerNorm(6), Linear(6, 2) (_decay_model) under names drawn for this run, one of
    # the Linear layers frozen and the last one with or without a bias, drawn too and sealed; the groups go to torch.optim.AdamW(groups,
    # lr=1e-3) beside the model, and are read as AdamW reads them
    names, frozen, last_bias = _decay_case(run_seed)
    seen = decay_groups_in_adamw(impl, 0.05, pristine.seal((names, frozen, last_bias)))
    named = [(name, p) for name, p in _decay_model(names, frozen, last_bias).named_parameters() if p.requires_grad]
    want = [(0.05, sorted(n for n, p in named if p.ndim >= 2)), (0.0, sorted(n for n, p in named if p.ndim < 2))]
    check(seen["groups"] is not None, say(f"decay_groups(model, 0.05) should be a list, got {seen['type']}.",
                                          f"decay_groups(model, 0.05)는 list여야 하는데 {seen['type']}입니다."))
    got = [(g["weight_decay"], sorted(g["param_names"])) for g in seen["groups"]]
    check(got == want, say(f"decay_groups(model, 0.05) as AdamW reads it, (weight_decay, names), for Embedding, Linear, "
                           f"LayerNorm and Linear with model.{names[frozen]} frozen: expected {want}, got {got}.",
                           f"Embedding, Linear, LayerNorm, Linear로 이루어지고 model.{names[frozen]}만 동결된 모델에서 "
                           f"decay_groups(model, 0.05)를 AdamW가 읽는 대로 (weight_decay, names)로 나타내면 {got}입니다. "
                           f"기댓값은 {want}입니다."),
          say("Put (name, p) pairs from model.named_parameters(); decay p.ndim >= 2, no decay for p.ndim < 2 (a LayerNorm "
              "weight is 1-D), and skip parameters with requires_grad=False.",
              "model.named_parameters()의 (name, p) 쌍을 넣으세요. p.ndim >= 2인 매개변수는 감쇠하고, p.ndim < 2인 "
              "매개변수는 감쇠하지 않으며(LayerNorm 가중치는 1차원입니다), requires_grad=False인 매개변수는 건너뛰세요."))
    for group in seen["groups"]:
        check(group["paired"],
              say("decay_groups paired a name with another parameter.",
                  "decay_groups가 이름을 다른 매개변수와 짝지었습니다."),
              say("Keep the pairs from named_parameters() as they are.",
                  "named_parameters()에서 나온 쌍을 그대로 유지하세요."))


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
    check(seen["shapes"] == [], say("Standardize has trainable parameters; mean and std must not be trained.",
                                    "Standardize에 학습 가능한 매개변수가 있습니다. mean과 std는 학습되면 안 됩니다."),
          say("Use register_buffer, not nn.Parameter.", "nn.Parameter가 아니라 register_buffer를 쓰세요."))
    keys = seen["state_dict"]
    check(keys == ["mean", "std"], say(f"Standardize.state_dict() should have the keys ['mean', 'std'], got {keys}.",
                                       f"Standardize.state_dict()의 키는 ['mean', 'std']여야 하는데 {keys}입니다."),
          say("Store them with self.register_buffer('mean', ...) so they are saved and moved with the module.",
              "self.register_buffer('mean', ...)로 저장하세요. 그래야 모듈과 함께 저장되고 옮겨집니다."))
    # a new Standardize(mean, std), then the caller's mean += 100 in place, both in the student's process
    assert_tensor(standardize_after_the_caller_changes_mean(impl, mean.clone(), std, x, 100.0), (x - mean) / std,
                  say("Standardize(x) after the caller changed its mean tensor",
                      "호출한 쪽이 자신의 mean 텐서를 바꾼 뒤의 Standardize(x)"),
                  hint=say("Clone the tensors you are given before registering them.",
                           "전달받은 텐서는 등록하기 전에 clone하세요."))


def _three_models(impl):
    return (("MLP(5, [7, 6], 3)", _build_mlp(impl), OUT),
            ("make_sequential_mlp(5, [7, 6], 3)", impl.make_sequential_mlp(IN, list(HIDDEN), OUT), OUT),
            ("Standardize", in_sequential(impl, impl.Standardize(torch.zeros(IN), torch.ones(IN))), IN))


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("Each module moves wholly with .to('meta') and runs there",
                   ko="각 모듈은 .to('meta')로 통째로 옮겨지고 그 장치에서 실행됩니다")
def test_modules_follow_to_meta_device(impl):
    for what, model, width in _three_models(impl):
        states = moved_to(impl, model, "meta")  # (device type, dtype) of each parameter and buffer afterwards
        check(len(states) > 0 and all(device == "meta" for device, _ in states),
              say(f"after {what}.to('meta') some of its tensors are elsewhere or it has none: "
                  f"{sorted({device for device, _ in states})}.",
                  f"{what}.to('meta') 뒤에 일부 텐서가 다른 곳에 있거나 텐서가 하나도 없습니다: "
                  f"{sorted({device for device, _ in states})}."),
              REGISTER_HINT + say(" Fixed tensors go in register_buffer.", " 고정된 텐서는 register_buffer에 넣으세요."))
        out = _forward(model, torch.empty(4, IN, device="meta"), say(f"{what} on meta", f"meta 장치의 {what}"))
        assert_tensor(out, torch.empty(4, width, device="meta"),
                      say(f"{what}(x) for x of shape (4, 5) on meta", f"meta에 있고 shape가 (4, 5)인 x에 대한 {what}(x)"),
                      check_dtype=False, hint=REGISTER_HINT)


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("Each module converts wholly with .to(torch.float64) and runs",
                   ko="각 모듈은 .to(torch.float64)로 모두 변환되어 float64로 실행됩니다")
def test_modules_follow_to_dtype(impl):
    x = torch.randn(2, IN, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    for what, model, width in _three_models(impl):
        states = moved_to(impl, model, torch.float64)
        check(all(dtype == torch.float64 for _, dtype in states), say(f"after {what}.to(torch.float64) some tensors are "
                                                                      f"{sorted({str(dtype) for _, dtype in states})}.",
                                                                      f"{what}.to(torch.float64) 뒤에도 float64가 아닌 텐서가 있습니다. 텐서의 dtype: "
                                                                      f"{sorted({str(dtype) for _, dtype in states})}."),
              REGISTER_HINT + say(" Fixed tensors go in register_buffer.", " 고정된 텐서는 register_buffer에 넣으세요."))
        out = expect_tensor(_forward(model, x, f"{what}.to(torch.float64)"), f"{what}(x)")
        check(out.dtype == torch.float64 and tuple(out.shape) == (2, width),
              say(f"{what}.to(torch.float64)(x) for a float64 x of shape (2, 5): expected a (2, {width}) float64 tensor, "
                  f"got {tuple(out.shape)} {out.dtype}.",
                  f"shape가 (2, 5)인 float64 x에 대한 {what}.to(torch.float64)(x): shape가 (2, {width})인 float64 "
                  f"텐서여야 하는데 shape는 {tuple(out.shape)}, dtype은 {out.dtype}입니다."), REGISTER_HINT)


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
    assert_tensor(model(x), _functional_forward(layers, x), say("MLP(x) on CUDA", "CUDA에서의 MLP(x)"),
                  hint=REGISTER_HINT)
