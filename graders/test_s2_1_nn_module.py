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
from torch import nn

from graders.observations.s2_1_nn_module import (
    _decay_model,
    batchnorm_steps,
    children_kinds,
    collapse_linears_result,
    count_parameters_of_tied_model,
    decay_groups_in_adamw,
    dropout_runs,
    in_sequential,
    init_weights_result,
    kind_of,
    linear_layers,
    moved_to,
    own_state,
    parameters_of,
    squared_error_gradients,
    standardize_after_the_caller_changes_its_tensors,
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
    # no hidden layer: the same architecture as MLP(5, [], 3), a single Linear 5 -> 3
    what = f"make_sequential_mlp({IN}, [], {OUT})"
    empty_hint = say(f"hidden may be empty: {what} is nn.Sequential(nn.Linear({IN}, {OUT})). Build the sizes as "
                     "[in_features, *hidden, out_features] and pair neighbours; do not index hidden[0] or hidden[-1].",
                     f"hidden은 비어 있을 수 있습니다. {what}의 결과는 nn.Sequential(nn.Linear({IN}, {OUT}))입니다. 크기를 "
                     "[in_features, *hidden, out_features]로 만들고 이웃한 크기끼리 짝지으세요. hidden[0]이나 "
                     "hidden[-1]을 인덱싱하지 마세요.")
    model = errors.calling(what, empty_hint, impl.make_sequential_mlp, IN, [], OUT)
    check(kind_of(impl, model)["sequential"], say(f"{what} should return an nn.Sequential.",
                                                 f"{what}: nn.Sequential을 반환해야 합니다."), empty_hint)
    children = children_kinds(impl, model)
    check(len(children) == 1 and children[0]["linear"],
          say(f"{what} should be a single Linear({IN}, {OUT}); got {[m['name'] for m in children]}.",
              f"{what}: Linear({IN}, {OUT}) 하나여야 하는데 {[m['name'] for m in children]}입니다."), empty_hint)
    layers = _linears_in_order(model, IN, 1, what, impl)
    assert_tensor(_forward(model, x, what), _functional_forward(layers, x), f"{what}(x)", hint=empty_hint)


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
    # Linear(512, 256), ReLU, Sequential(LayerNorm(256) with weight 2.0 and bias -2.0, Linear(256, 384)),
    # Linear(384, 64) (_init_model); then the same with Linear(384, 64, bias=False) last
    seen = init_weights_result(impl, 2.0)
    check(seen["same"], say("init_weights(model) should return the same model, initialised in place.",
                            "init_weights(model)는 제자리에서 초기화한 같은 모델을 반환해야 합니다."),
          say("Change the parameters with nn.init.* (in place) and return model.",
              "nn.init.*로 매개변수를 (제자리에서) 바꾸고 model을 반환하세요."))
    check(not seen["replaced"],
          say(f"init_weights replaced parameters with new tensors ({', '.join(sorted(set(seen['replaced'])))}) "
              "instead of "
              "re-initialising them in place: an optimizer made before holds the old ones and never sees the new "
              "values.",
              f"init_weights가 매개변수를 제자리에서 다시 초기화하지 않고 새 텐서로 바꿨습니다"
              f"({', '.join(sorted(set(seen['replaced'])))}). 그 전에 만든 옵티마이저는 예전 매개변수를 가지고 있어 새 값을 보지 "
              "못합니다."),
          say("Fill the existing parameters: nn.init.kaiming_normal_(module.weight, ...) and "
              "nn.init.zeros_(module.bias) change them in place; do not assign a new nn.Parameter.",
              "기존 매개변수를 채우세요. nn.init.kaiming_normal_(module.weight, ...)와 nn.init.zeros_(module.bias)는 "
              "제자리에서 바꿉니다. 새 nn.Parameter를 대입하지 마세요."))
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
        check(layer["bias"] is None or bool((layer["bias"] == 0).all()),
              say("after init_weights every Linear bias should be 0.",
                  "init_weights 뒤에는 모든 Linear의 편향이 0이어야 합니다."),
              say("nn.init.zeros_(bias).", "nn.init.zeros_(bias)를 쓰세요."))
    check(bool((seen["norm_weight"] == 2.0).all()), say("init_weights changed a LayerNorm's weight; only nn.Linear layers "
                                                        "should be re-initialised.",
                                                        "init_weights가 LayerNorm의 가중치를 바꿨습니다. nn.Linear 계층만 "
                                                        "다시 초기화해야 합니다."),
          say("Test isinstance(module, nn.Linear) before initialising.",
              "초기화하기 전에 isinstance(module, nn.Linear)를 확인하세요."))
    check(bool((seen["norm_bias"] == -2.0).all()),
          say("init_weights changed a LayerNorm's bias (it held -2.0): the biases to zero are the nn.Linear ones only; "
              "zeroing the bias of every module changes the other modules' parameters.",
              "init_weights가 LayerNorm의 편향(-2.0이었습니다)을 바꿨습니다. 0으로 만들 편향은 nn.Linear의 편향뿐입니다. "
              "모든 모듈의 편향을 0으로 만들면 다른 모듈의 매개변수가 바뀝니다."),
          say("Zero module.bias inside the `if isinstance(module, nn.Linear):` branch, not for every module.",
              "module.bias를 0으로 만드는 코드는 모든 모듈이 아니라 `if isinstance(module, nn.Linear):` 분기 안에 "
              "두세요."))
    no_bias = say("A Linear made with bias=False has module.bias None: zero the bias only when module.bias is not None.",
                  "bias=False로 만든 Linear는 module.bias가 None입니다. module.bias가 None이 아닐 때만 편향을 0으로 "
                  "만드세요.")
    last = errors.calling(say("init_weights(model) for a model whose last Linear has no bias",
                              "마지막 Linear에 편향이 없는 모델에 대한 init_weights(model)"),
                          no_bias, init_weights_result, impl, 2.0, False)["linears"][-1]
    check(last["bias"] is None, say("init_weights gave a bias to a Linear made with bias=False.",
                                    "init_weights가 bias=False로 만든 Linear에 편향을 만들었습니다."), no_bias)
    want_std = (2.0 / last["in_features"]) ** 0.5
    std = last["weight"].std().item()
    check(abs(std / want_std - 1) < 0.05,
          say(f"the weight of Linear(384, 64, bias=False): expected std sqrt(2/384) = {want_std:.4f}, got {std:.4f}.",
              f"Linear(384, 64, bias=False)의 가중치: 표준편차 기댓값은 sqrt(2/384) = {want_std:.4f}인데 실제로는 "
              f"{std:.4f}입니다."), no_bias)


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
    # a new Standardize(mean, std), then the caller's mean += 100 and std += 100 in place, in the student's process
    clone_hint = say("Clone the tensors you are given before registering them: register_buffer('mean', mean.clone()) "
                     "and register_buffer('std', std.clone()).",
                     "전달받은 텐서는 등록하기 전에 clone하세요: register_buffer('mean', mean.clone()), "
                     "register_buffer('std', std.clone()).")
    shift = 100.0
    assert_tensor(standardize_after_the_caller_changes_its_tensors(impl, mean.clone(), std.clone(), x, shift),
                  (x - mean) / std,
                  say("Standardize(x) after the caller changed its mean and std tensors in place",
                      "호출한 쪽이 자신의 mean과 std 텐서를 제자리에서 바꾼 뒤의 Standardize(x)"),
                  hint=clone_hint,
                  mistakes={(say("std was registered without clone(): the layer shares the caller's tensor, so "
                                 "changing it changes the layer.",
                                 "std를 clone() 없이 등록했습니다. 계층이 호출한 쪽의 텐서를 공유하므로 그 텐서를 바꾸면 "
                                 "계층도 바뀝니다."), clone_hint): (x - mean) / (std + shift),
                            (say("mean was registered without clone(): the layer shares the caller's tensor, so "
                                 "changing it changes the layer.",
                                 "mean을 clone() 없이 등록했습니다. 계층이 호출한 쪽의 텐서를 공유하므로 그 텐서를 "
                                 "바꾸면 계층도 바뀝니다."), clone_hint): (x - mean - shift) / std,
                            (say("mean and std were registered without clone(): the layer shares the caller's "
                                 "tensors, so changing them changes the layer.",
                                 "mean과 std를 clone() 없이 등록했습니다. 계층이 호출한 쪽의 텐서를 공유하므로 그 "
                                 "텐서를 바꾸면 계층도 바뀝니다."), clone_hint): (x - mean - shift) / (std + shift)})


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


# -- why a nonlinearity: two Linears with nothing between them are one Linear -------------------------

_COLLAPSE_HINT = say("second(first(x)) = x @ (W2 @ W1).T + (W2 @ b1 + b2): make nn.Linear(first.in_features, "
                     "second.out_features) and copy W2 @ W1 into its weight and W2 @ b1 + b2 into its bias under "
                     "torch.no_grad().",
                     "second(first(x)) = x @ (W2 @ W1).T + (W2 @ b1 + b2)입니다. nn.Linear(first.in_features, "
                     "second.out_features)를 만들고 torch.no_grad() 안에서 가중치에 W2 @ W1을, 편향에 W2 @ b1 + b2를 "
                     "복사하세요.")


def _collapse_case(seed, sizes):
    generator = torch.Generator().manual_seed(seed)
    n_in, hidden, n_out = sizes
    w1, b1 = torch.randn(hidden, n_in, generator=generator), torch.randn(hidden, generator=generator)
    w2, b2 = torch.randn(n_out, hidden, generator=generator), torch.randn(n_out, generator=generator)
    return w1, b1, w2, b2, torch.randn(6, n_in, generator=generator)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("collapse_linears returns one Linear equal to second(first(x))",
                   ko="collapse_linears는 second(first(x))와 같은 Linear 하나를 반환합니다")
def test_collapse_linears_equals_the_two_layers(impl):
    for seed, sizes in ((60, (4, 4, 4)), (61, (5, 7, 3))):
        w1, b1, w2, b2, x = _collapse_case(seed, sizes)
        layers = f"Linear({sizes[0]}, {sizes[1]}), Linear({sizes[1]}, {sizes[2]})"
        seen = errors.calling(say(f"collapse_linears(first, second) for {layers}",
                                  f"{layers}에 대한 collapse_linears(first, second)"),
                              _COLLAPSE_HINT, collapse_linears_result, impl, w1, b1, w2, b2, x)
        check(seen["is_linear"], say(f"collapse_linears should return an nn.Linear, got {seen['type']}.",
                                     f"collapse_linears는 nn.Linear를 반환해야 하는데 {seen['type']}입니다."),
              _COLLAPSE_HINT)
        got = seen["linear"]
        check((got["in_features"], got["out_features"]) == (sizes[0], sizes[2]),
              say(f"collapse_linears for {layers} should be Linear({sizes[0]}, {sizes[2]}), got "
                  f"Linear({got['in_features']}, {got['out_features']}).",
                  f"{layers}에 대한 collapse_linears는 Linear({sizes[0]}, {sizes[2]})여야 하는데 "
                  f"Linear({got['in_features']}, {got['out_features']})입니다."), _COLLAPSE_HINT)
        weight_mistakes = {}
        if sizes[0] == sizes[2]:
            weight_mistakes[(say("W1 @ W2, the product in the wrong order: second(first(x)) applies W1 first, so W1 "
                                 "sits on the right, W2 @ W1.",
                                 "곱의 순서가 뒤바뀐 W1 @ W2입니다. second(first(x))는 W1을 먼저 적용하므로 W1이 "
                                 "오른쪽에 옵니다: W2 @ W1."), _COLLAPSE_HINT)] = [w1 @ w2, (w2 @ w1).T]
        assert_tensor(got["weight"], w2 @ w1, say(f"the weight of collapse_linears(first, second) for {layers}",
                                                  f"{layers}에 대한 collapse_linears(first, second)의 가중치"),
                      hint=_COLLAPSE_HINT, mistakes=weight_mistakes)
        forgot = say("the first layer's bias b1 must go through W2 as well: the bias is W2 @ b1 + b2.",
                     "첫 계층의 편향 b1도 W2를 거쳐야 합니다: 편향은 W2 @ b1 + b2입니다.")
        assert_tensor(got["bias"], w2 @ b1 + b2, say(f"the bias of collapse_linears(first, second) for {layers}",
                                                      f"{layers}에 대한 collapse_linears(first, second)의 편향"),
                      hint=_COLLAPSE_HINT,
                      mistakes={(say("b2 alone: the first layer's bias was forgotten.",
                                     "b2뿐입니다: 첫 계층의 편향을 빠뜨렸습니다."), forgot): b2,
                                (say("b1 + b2: the first layer's bias was added without going through W2.",
                                     "b1 + b2입니다: 첫 계층의 편향을 W2에 통과시키지 않고 더했습니다."), forgot): b1 + b2
                                if sizes[1] == sizes[2] else [],
                                (say("W2 @ b1: the second layer's bias b2 was forgotten.",
                                     "W2 @ b1입니다: 두 번째 계층의 편향 b2를 빠뜨렸습니다."), _COLLAPSE_HINT): w2 @ b1,
                                (say("zeros: no bias was copied in (a new nn.Linear starts with a random bias, so "
                                     "this one was zeroed).",
                                     "0입니다: 편향을 복사하지 않았습니다(새 nn.Linear의 편향은 무작위로 시작하므로 "
                                     "0으로 지운 것입니다)."), _COLLAPSE_HINT): torch.zeros_like(b2)})
        want = F.linear(F.linear(x, w1, b1), w2, b2)
        assert_tensor(seen["out"], want, say(f"collapse_linears(first, second)(x) against second(first(x)), {layers}",
                                             f"{layers}에서 second(first(x))와 비교한 collapse_linears(first, second)(x)"),
                      hint=_COLLAPSE_HINT)
        for name, value, given in (("first.weight", seen["first"], w1), ("first.bias", seen["first_bias"], b1),
                                   ("second.weight", seen["second"], w2), ("second.bias", seen["second_bias"], b2)):
            assert_tensor(value, given, say(f"{name} after collapse_linears", f"collapse_linears 호출 뒤의 {name}"),
                          hint=say("Return a new nn.Linear; leave both arguments as they were.",
                                   "새 nn.Linear를 반환하고 두 인자는 그대로 두세요."))


# -- dropout by hand ----------------------------------------------------------------------------------

_DROPOUT_P = 0.3
_DROPOUT_HINT = say("In training mode: keep = (torch.rand_like(x) >= p), return x * keep / (1 - p); in eval mode "
                    "(not self.training) return x.",
                    "학습 모드에서는 keep = (torch.rand_like(x) >= p)로 두고 x * keep / (1 - p)를 반환하세요. 평가 "
                    "모드(self.training이 False)에서는 x를 반환하세요.")


def _dropout_runs(impl, seed):
    """x (200 x 500 values in [0.5, 1.5)), and dropout_runs of a new Dropout(0.3) made by the student's code."""
    x = torch.rand(200, 500, generator=torch.Generator().manual_seed(seed)) + 0.5
    model = errors.calling(f"Dropout({_DROPOUT_P})", _DROPOUT_HINT, impl.Dropout, _DROPOUT_P)
    model = _expect_module(impl, model, f"Dropout({_DROPOUT_P})", _DROPOUT_HINT)
    return x, errors.calling(say(f"Dropout({_DROPOUT_P})(x)", f"Dropout({_DROPOUT_P})(x)"), _DROPOUT_HINT,
                             dropout_runs, impl, model, x, seed + 1000)  # not x's seed (a mask from x's
    # own stream drops exactly its smallest elements)


def _dropped_fraction(out, x, what):
    """The share of `out`'s elements that are exactly 0 (x has none), once `out` is a tensor of x's shape."""
    out = expect_tensor(out, what, _DROPOUT_HINT)
    check(tuple(out.shape) == tuple(x.shape), say(f"{what}: expected shape {tuple(x.shape)}, got {tuple(out.shape)}.",
                                                  f"{what}: shape가 {tuple(out.shape)}입니다. 기댓값은 "
                                                  f"{tuple(x.shape)}입니다."), _DROPOUT_HINT)
    return (out == 0).float().mean().item()


def _check_drops_p(fraction, what):
    p = _DROPOUT_P
    check(abs(fraction - p) < 0.012,
          say(f"{what} zeroed {fraction:.1%} of 100,000 elements; dropout with p = {p} zeroes about {p:.0%} "
              f"(within 1.2 points)."
              + (" That is 1 - p: the mask keeps elements with probability p instead of dropping them."
                 if abs(fraction - (1 - p)) < 0.012 else ""),
              f"{what}: 요소 100,000개 중 0이 된 비율이 {fraction:.1%}입니다. p = {p}인 드롭아웃은 약 {p:.0%}의 "
              f"요소를 0으로 만듭니다(허용 오차 1.2%p)."
              + (" 이는 1 - p입니다: 마스크가 요소를 확률 p로 버리지 않고 확률 p로 남깁니다."
                 if abs(fraction - (1 - p)) < 0.012 else "")),
          _DROPOUT_HINT)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("Dropout in training mode zeroes about p of the elements and scales the rest by 1 / (1 - p)",
                   ko="학습 모드의 Dropout(p)은 요소의 약 p만큼을 0으로 만들고 나머지에 1 / (1 - p)를 곱합니다")
def test_dropout_zeroes_p_and_scales_survivors(impl):
    x, runs = _dropout_runs(impl, 62)
    p, what = _DROPOUT_P, say(f"Dropout({_DROPOUT_P})(x) in training mode", f"학습 모드의 Dropout({_DROPOUT_P})(x)")
    first = runs["first"]
    fraction = _dropped_fraction(first, x, what)
    _check_drops_p(fraction, what)
    kept = first != 0
    assert_tensor(first[kept], x[kept] / (1 - p),
                  say(f"the elements {what} kept (x was in [0.5, 1.5))", f"{what}에서 남은 요소(x는 [0.5, 1.5) 범위)"),
                  hint=_DROPOUT_HINT,
                  mistakes={(say("the survivors were not scaled: each output's mean shrinks to (1 - p) * x.",
                                 "남은 요소에 배율을 곱하지 않았습니다: 각 출력의 평균이 (1 - p) * x로 줄어듭니다."),
                             _DROPOUT_HINT): x[kept],
                            (say("the survivors were scaled by p or 1 / p, not by 1 / (1 - p), the inverse of the "
                                 "probability of being kept.",
                                 "남은 요소에 1 / (1 - p)가 아니라 p나 1 / p를 곱했습니다. 곱할 값은 남을 확률의 "
                                 "역수입니다."), _DROPOUT_HINT): [x[kept] * p, x[kept] / p],
                            (say("the survivors were scaled by 1 - p, not divided by it.",
                                 "남은 요소를 1 - p로 나누지 않고 곱했습니다."), _DROPOUT_HINT): x[kept] * (1 - p)})
    ratio = first.mean().item() / x.mean().item()
    check(abs(ratio - 1) < 0.02, say(f"{what}.mean() is {ratio:.3f} times x.mean(); inverted dropout keeps the mean "
                                     "(within 2%).",
                                     f"{what}.mean()이 x.mean()의 {ratio:.3f}배입니다. 역 드롭아웃은 평균을 "
                                     "유지합니다(허용 오차 2%)."), _DROPOUT_HINT)
    quarters = [q.item() for q in (first.reshape(4, -1) == 0).float().mean(1)]
    check(all(abs(q - p) < 0.02 for q in quarters),
          say(f"{what}: each quarter of the elements should lose about {p:.0%}, got "
              f"{', '.join(f'{q:.1%}' for q in quarters)}: each element is dropped independently, at random.",
              f"{what}: 요소를 네 부분으로 나누면 각 부분에서 약 {p:.0%}의 요소가 0이 되어야 하는데 "
              f"{', '.join(f'{q:.1%}' for q in quarters)}입니다. 각 요소는 독립적으로, 무작위로 버려집니다."),
          _DROPOUT_HINT)
    hint = say("Draw the mask from torch's global generator on every call (torch.rand_like(x)); never reseed it "
               "yourself and never keep a mask from an earlier call.",
               "마스크는 호출할 때마다 torch의 전역 생성기에서 뽑으세요(torch.rand_like(x)). 직접 시드를 다시 "
               "설정하거나 이전 호출의 마스크를 재사용하지 마세요.")
    check(not torch.equal(expect_tensor(runs["again"], what) != 0, kept),
          say(f"{what} called twice dropped the same elements: every call draws a new mask.",
              f"{what}: 두 번 호출했더니 같은 요소가 버려졌습니다. 호출할 때마다 새 마스크를 뽑아야 합니다."), hint)
    assert_tensor(runs["replay"], first, say(f"{what} after torch.manual_seed(s) again",
                                             f"torch.manual_seed(s)를 다시 호출한 뒤의 {what}"), hint=hint)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("Dropout in eval mode returns its input unchanged, and drops again after train()",
                   ko="평가 모드의 Dropout(p)은 입력을 그대로 반환하고, train() 뒤에는 다시 요소를 버립니다")
def test_dropout_is_the_identity_in_eval_mode(impl):
    x, runs = _dropout_runs(impl, 63)
    p = _DROPOUT_P
    what = say(f"Dropout({p})(x) after model.eval()", f"model.eval() 뒤의 Dropout({p})(x)")
    evaluated = expect_tensor(runs["evaluated"], what)
    zeroed = int((evaluated == 0).sum()) if evaluated.shape == x.shape else 0
    eval_hint = say("In forward, return x as it is when self.training is False (model.eval() sets it).",
                    "forward에서 self.training이 False이면(model.eval()이 그렇게 설정합니다) x를 그대로 반환하세요.")
    check(zeroed == 0, say(f"{what} zeroed {zeroed} of {x.numel()} elements: in eval mode dropout drops nothing.",
                           f"{what}: 요소 {x.numel()}개 중 {zeroed}개가 0이 되었습니다. 평가 모드의 드롭아웃은 "
                           "아무것도 버리지 않습니다."), eval_hint)
    assert_tensor(evaluated, x, what, hint=eval_hint,
                  mistakes={(say("x * (1 - p): the old, non-inverted dropout scales at evaluation; inverted dropout "
                                 "scales the survivors in training and returns x unchanged in eval mode.",
                                 "x * (1 - p)입니다. 예전의 역이 아닌 드롭아웃은 평가 때 배율을 곱합니다. 역 드롭아웃은 "
                                 "학습 때 남은 요소에 배율을 곱하고 평가 모드에서는 x를 그대로 반환합니다."),
                             eval_hint): x * (1 - p),
                            (say("x / (1 - p): scaled in eval mode as in training.",
                                 "x / (1 - p)입니다: 평가 모드에서도 학습 때처럼 배율을 곱했습니다."), eval_hint):
                            x / (1 - p)})
    back = say(f"Dropout({p})(x) after model.eval() and then model.train()",
               f"model.eval() 다음 model.train()을 호출한 뒤의 Dropout({p})(x)")
    _check_drops_p(_dropped_fraction(runs["back"], x, back), back)


# -- batch normalisation by hand ----------------------------------------------------------------------

_BN_HINT = say("Training: mean = x.mean(0), var = x.var(0, unbiased=False), out = (x - mean) / sqrt(var + eps) * "
               "weight + bias; then under torch.no_grad() running_mean = (1 - momentum) * running_mean + momentum * "
               "mean and running_var the same with x.var(0, unbiased=True). Eval: normalise with the running "
               "statistics and update nothing.",
               "학습 모드: mean = x.mean(0), var = x.var(0, unbiased=False), out = (x - mean) / sqrt(var + eps) * "
               "weight + bias로 계산한 다음, torch.no_grad() 안에서 running_mean = (1 - momentum) * running_mean + "
               "momentum * mean으로, running_var도 x.var(0, unbiased=True)로 같은 방식으로 갱신하세요. 평가 모드: "
               "누적 통계로 정규화하고 아무것도 갱신하지 마세요.")
_BN_REGISTER_HINT = say("self.weight = nn.Parameter(torch.ones(num_features)), self.bias = "
                        "nn.Parameter(torch.zeros(num_features)), self.register_buffer('running_mean', "
                        "torch.zeros(num_features)), self.register_buffer('running_var', torch.ones(num_features)).",
                        "self.weight = nn.Parameter(torch.ones(num_features)), self.bias = "
                        "nn.Parameter(torch.zeros(num_features)), self.register_buffer('running_mean', "
                        "torch.zeros(num_features)), self.register_buffer('running_var', "
                        "torch.ones(num_features))로 등록하세요.")


def _batchnorm_case(seed, features, modes):
    """weight, bias and the steps (x (8, features), the upstream gradient, training mode) of one run: every batch
    drawn from the same per-feature scale and shift, so the running statistics settle towards them."""
    generator = torch.Generator().manual_seed(seed)
    weight, bias = torch.rand(features, generator=generator) + 0.5, torch.randn(features, generator=generator)
    scale, shift = torch.rand(features, generator=generator) * 2 + 0.5, torch.randn(features, generator=generator) * 3
    steps = [(torch.randn(8, features, generator=generator) * scale + shift,
              torch.randn(8, features, generator=generator), train) for train in modes]
    return weight, bias, steps


def _batchnorm_reference(weight, bias, steps, eps, momentum):
    """The same steps through the judge's own nn.BatchNorm1d: out, x.grad, weight.grad, bias.grad and the running
    statistics after each step."""
    norm = nn.BatchNorm1d(len(weight), eps=eps, momentum=momentum)
    with torch.no_grad():
        norm.weight.copy_(weight)
        norm.bias.copy_(bias)
    records = []
    for x, upstream, train in steps:
        norm.train(train)
        leaf = x.clone().requires_grad_()
        out = norm(leaf)
        (out * upstream).sum().backward()  # the vector-Jacobian product with upstream, from a scalar (an explicit
        # gradient tensor would import sympy in the judge: seconds of a cold check)
        records.append({"out": out.detach(), "x_grad": leaf.grad, "weight": norm.weight.grad.clone(),
                        "bias": norm.bias.grad.clone(), "running_mean": norm.running_mean.clone(),
                        "running_var": norm.running_var.clone()})
        norm.weight.grad = norm.bias.grad = None
    return records


def _batchnorm_mistake(weight, bias, steps, eps, momentum, *, normalise_unbiased=False, running_biased=False,
                       swapped=False, batch_in_eval=False, update_in_eval=False, update_in_eval_first=False,
                       detached=False, frozen=False):
    """The same steps written by hand with one of the usual mistakes: out, x.grad and the running statistics after each
    step."""
    running_mean, running_var = torch.zeros(len(weight)), torch.ones(len(weight))
    new = 1 - momentum if swapped else momentum
    records = []
    for x, upstream, train in steps:
        leaf = x.clone().requires_grad_()
        if not train and update_in_eval_first:  # the running statistics updated before they normalise x
            running_mean = (1 - new) * running_mean + new * x.mean(0)
            running_var = (1 - new) * running_var + new * x.var(0)
        if train or batch_in_eval:
            mean, var = leaf.mean(0), leaf.var(0, unbiased=normalise_unbiased)
            if detached:
                mean, var = mean.detach(), var.detach()
        else:
            mean, var = running_mean, running_var
        out = (leaf - mean) / torch.sqrt(var + eps) * weight + bias
        if (train or update_in_eval) and not frozen:
            running_mean = (1 - new) * running_mean + new * x.mean(0)
            running_var = (1 - new) * running_var + new * x.var(0, unbiased=not running_biased)
        records.append({"out": out.detach(), "x_grad": torch.autograd.grad((out * upstream).sum(), leaf)[0],
                        "running_mean": running_mean, "running_var": running_var})
    return records


def _batchnorm_run(impl, args, kwargs, seed, modes):
    """A BatchNorm1d made by the student's code with (args, kwargs), run through the steps of _batchnorm_case; what
    it gave, the judge's nn.BatchNorm1d's, and what each usual mistake gives, per step."""
    features = args[0]
    eps, momentum = kwargs.get("eps", 1e-5), kwargs.get("momentum", 0.1)
    shown = ", ".join([*map(str, args), *(f"{k}={v}" for k, v in kwargs.items())])
    what = f"BatchNorm1d({shown})"
    model = _expect_module(impl, errors.calling(what, _BN_REGISTER_HINT, impl.BatchNorm1d, *args, **kwargs), what,
                           _BN_REGISTER_HINT)
    weight, bias, steps = _batchnorm_case(seed, features, modes)
    seen = errors.calling(say(f"{what}(x)", f"{what}(x)"), _BN_HINT, batchnorm_steps, impl, model, weight, bias, steps)
    check(not seen["missing"], say(f"{what} has no parameter named {' or '.join(seen['missing'])}.",
                                   f"{what}에 이름이 {', '.join(seen['missing'])}인 매개변수가 없습니다."),
          _BN_REGISTER_HINT)
    reference = _batchnorm_reference(weight, bias, steps, eps, momentum)
    mistakes = {name: _batchnorm_mistake(weight, bias, steps, eps, momentum, **{name: True})
                for name in ("normalise_unbiased", "running_biased", "swapped", "batch_in_eval", "update_in_eval",
                             "update_in_eval_first", "detached", "frozen")}
    return what, seen["steps"], reference, mistakes


_BN_UNBIASED = (say("the unbiased variance (divided by batch - 1) in the normalisation: x.var(0) is unbiased by "
                    "default; batch normalisation divides by the batch size, x.var(0, unbiased=False).",
                    "정규화에 불편 분산(batch - 1로 나눔)을 썼습니다. x.var(0)은 기본으로 불편 분산입니다. 배치 "
                    "정규화는 배치 크기로 나눕니다: x.var(0, unbiased=False)."), _BN_HINT)
_BN_SWAPPED = (say("momentum the wrong way round: momentum is the weight of the new batch, running = (1 - momentum) "
                   "* running + momentum * batch statistic.",
                   "momentum을 반대로 적용했습니다. momentum은 새 배치의 비중입니다: running = (1 - momentum) * "
                   "running + momentum * 배치 통계."), _BN_HINT)
_BN_FROZEN = (say("the running statistics never change: update them in place (running_mean.mul_(...).add_(...)) "
                  "or assign the new tensor to self.running_mean, under torch.no_grad().",
                  "누적 통계가 전혀 바뀌지 않습니다. torch.no_grad() 안에서 제자리에서 갱신하거나"
                  "(running_mean.mul_(...).add_(...)) 새 텐서를 self.running_mean에 대입하세요."), _BN_HINT)


_BN_UPDATED_IN_EVAL = (say("the running statistics were updated in eval mode: only training updates them (put the "
                           "update inside `if self.training:`).",
                           "평가 모드에서 누적 통계를 갱신했습니다. 누적 통계는 학습 때만 갱신합니다(갱신 코드를 "
                           "`if self.training:` 안에 두세요)."), "")


def _buffer(step, name, what, ko_what):
    check(name in step["buffers"], say(f"{what} has no buffer named {name}.",
                                       f"{ko_what}에 이름이 {name}인 버퍼가 없습니다."), _BN_REGISTER_HINT)
    return step["buffers"][name]


def _check_training_step(what, k, got, want, mistakes):
    label = say(f"{what}(x) in training mode, step {k + 1}", f"학습 모드의 {what}(x), {k + 1}단계")
    tracked = got["buffers_requiring_grad"]
    check(not tracked, say(f"after {label} the running statistics {tracked} require grad: they were updated outside "
                           "torch.no_grad() from the batch's statistics, so each keeps the graph of every batch it has "
                           "seen.",
                           f"{label} 뒤에 누적 통계 {tracked}의 requires_grad가 True입니다. torch.no_grad() 밖에서 배치 "
                           "통계로 갱신했으므로 지금까지 본 모든 배치의 그래프가 남습니다."),
          say("Update running_mean and running_var inside `with torch.no_grad():` (or from mean.detach() and "
              "var.detach()); keep the normalisation itself outside it.",
              "running_mean과 running_var는 `with torch.no_grad():` 안에서(또는 mean.detach()와 var.detach()로) "
              "갱신하세요. 정규화 계산 자체는 그 밖에 두세요."))
    assert_tensor(got["out"], want["out"], label, hint=_BN_HINT,
                  mistakes={_BN_UNBIASED: mistakes["normalise_unbiased"][k]["out"]})
    for name in ("running_mean", "running_var"):
        extra = {}
        if name == "running_var":
            extra[(say("the biased variance in running_var: the running variance takes the unbiased one, "
                       "x.var(0, unbiased=True), as nn.BatchNorm1d does.",
                       "running_var에 편향 분산을 썼습니다. 누적 분산에는 nn.BatchNorm1d처럼 불편 분산 "
                       "x.var(0, unbiased=True)를 씁니다."), _BN_HINT)] = mistakes["running_biased"][k][name]
        assert_tensor(_buffer(got, name, what, what), want[name],
                      say(f"{what}.{name} after training step {k + 1}", f"학습 {k + 1}단계 뒤의 {what}.{name}"),
                      hint=_BN_HINT, mistakes={_BN_SWAPPED: mistakes["swapped"][k][name],
                                               _BN_FROZEN: mistakes["frozen"][k][name], **extra})


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("BatchNorm1d registers weight and bias as parameters and its running statistics as buffers",
                   ko="BatchNorm1d는 weight와 bias를 매개변수로, 누적 통계를 버퍼로 등록합니다")
def test_batchnorm_registers_parameters_and_buffers(impl):
    what = "BatchNorm1d(6)"
    model = _expect_module(impl, errors.calling(what, _BN_REGISTER_HINT, impl.BatchNorm1d, 6), what, _BN_REGISTER_HINT)
    state = own_state(impl, model)
    parameters, buffers = state["parameters"], state["buffers"]
    check(sorted(parameters) == ["bias", "weight"],
          say(f"{what} should have the parameters ['bias', 'weight'], got {sorted(parameters)}.",
              f"{what}의 매개변수는 ['bias', 'weight']여야 하는데 {sorted(parameters)}입니다."), _BN_REGISTER_HINT)
    check({"running_mean", "running_var"} <= set(buffers),
          say(f"{what} should have the buffers running_mean and running_var, got {sorted(buffers)}: running "
              "statistics are state, not learned (not nn.Parameter, not plain attributes).",
              f"{what}에는 running_mean과 running_var 버퍼가 있어야 하는데 {sorted(buffers)}입니다. 누적 통계는 "
              "학습하지 않는 상태입니다(nn.Parameter도 일반 속성도 아닙니다)."), _BN_REGISTER_HINT)
    saved = parameters_of(impl, model)["state_dict"]
    unsaved = sorted({"running_mean", "running_var"} - set(saved))
    check(not unsaved, say(f"{what}.state_dict() leaves out {unsaved}: a buffer registered with persistent=False is "
                           "not saved, so a loaded model would normalise with fresh statistics.",
                           f"{what}.state_dict()에 {unsaved}이(가) 빠져 있습니다. persistent=False로 등록한 버퍼는 "
                           "저장되지 않으므로 불러온 모델이 처음 상태의 통계로 정규화합니다."),
          say("register_buffer('running_mean', ...) without persistent=False: the running statistics are saved in "
              "state_dict().",
              "persistent=False 없이 register_buffer('running_mean', ...)로 등록하세요. 누적 통계는 state_dict()에 "
              "저장됩니다."))
    for name, value, want in (("weight", parameters["weight"], torch.ones(6)), ("bias", parameters["bias"], torch.zeros(6)),
                              ("running_mean", buffers["running_mean"], torch.zeros(6)),
                              ("running_var", buffers["running_var"], torch.ones(6))):
        assert_tensor(value, want, say(f"{what}.{name} when made", f"만든 직후의 {what}.{name}"),
                      hint=_BN_REGISTER_HINT)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("BatchNorm1d in training mode matches nn.BatchNorm1d: outputs and running statistics",
                   ko="학습 모드의 BatchNorm1d는 출력과 누적 통계가 nn.BatchNorm1d와 같습니다")
def test_batchnorm_training_matches_nn_batchnorm1d(impl):
    for args, kwargs, seed in (((4,), {}, 64), ((3,), {"eps": 0.1, "momentum": 0.3}, 65)):
        what, seen, reference, mistakes = _batchnorm_run(impl, args, kwargs, seed, (True, True, True))
        for k, (got, want) in enumerate(zip(seen, reference)):
            _check_training_step(what, k, got, want, mistakes)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("BatchNorm1d in eval mode normalises with the running statistics and leaves them alone",
                   ko="평가 모드의 BatchNorm1d는 누적 통계로 정규화하고 누적 통계를 바꾸지 않습니다")
def test_batchnorm_eval_uses_running_statistics(impl):
    what, seen, reference, mistakes = _batchnorm_run(impl, (4,), {}, 66, (True, True, False, True))
    for k in (0, 1):
        _check_training_step(what, k, seen[k], reference[k], mistakes)
    got, want = seen[2], reference[2]
    eval_hint = say("When self.training is False, use running_mean and running_var in the formula and update "
                    "nothing.",
                    "self.training이 False이면 식에 running_mean과 running_var를 쓰고 아무것도 갱신하지 마세요.")
    assert_tensor(got["out"], want["out"], say(f"{what}(x) after model.eval()", f"model.eval() 뒤의 {what}(x)"),
                  hint=eval_hint,
                  mistakes={(say("the batch's own statistics in eval mode: evaluation uses the running statistics, "
                                 "so an example's output does not depend on the rest of its batch.",
                                 "평가 모드에서 배치 자체의 통계를 썼습니다. 평가에는 누적 통계를 쓰므로 한 예제의 "
                                 "출력이 같은 배치의 다른 예제에 좌우되지 않습니다."), eval_hint):
                             mistakes["batch_in_eval"][2]["out"],
                             _BN_UPDATED_IN_EVAL: mistakes["update_in_eval_first"][2]["out"]})
    for name in ("running_mean", "running_var"):
        assert_tensor(_buffer(got, name, what, what), reference[1][name],
                      say(f"{what}.{name} after a forward in eval mode (it held the value of training step 2)",
                          f"평가 모드에서 순전파한 뒤의 {what}.{name}(학습 2단계의 값이었습니다)"), hint=eval_hint,
                      mistakes={_BN_UPDATED_IN_EVAL: [mistakes["update_in_eval"][2][name],
                                                      mistakes["update_in_eval_first"][2][name]]})
    label = say(f"{what}(x) after model.eval() and then model.train()",
                f"model.eval() 다음 model.train()을 호출한 뒤의 {what}(x)")
    assert_tensor(seen[3]["out"], reference[3]["out"], label, hint=_BN_HINT)
    for name in ("running_mean", "running_var"):
        assert_tensor(_buffer(seen[3], name, what, what), reference[3][name],
                      say(f"{what}.{name} after training again", f"다시 학습한 뒤의 {what}.{name}"), hint=_BN_HINT)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("BatchNorm1d's gradients for x, weight and bias match nn.BatchNorm1d's in both modes",
                   ko="BatchNorm1d의 x, weight, bias에 대한 변화도는 두 모드 모두 nn.BatchNorm1d와 같습니다")
def test_batchnorm_gradients_match_nn_batchnorm1d(impl):
    what, seen, reference, mistakes = _batchnorm_run(impl, (5,), {"momentum": 0.2}, 67, (True, True, False))
    grad_hint = say("Compute out from x, weight and bias with torch operations, through the batch's mean and variance "
                    "(not detached); only the running statistics are updated without a graph.",
                    "out은 x, weight, bias로부터 torch 연산으로, 배치의 평균과 분산을 거쳐(detach하지 말고) "
                    "계산하세요. 그래프 없이 갱신하는 것은 누적 통계뿐입니다.")
    for k, (got, want) in enumerate(zip(seen, reference)):
        mode = say("training mode", "학습 모드") if k < 2 else say("eval mode", "평가 모드")
        step = say(f"{what}(x) in {mode}, step {k + 1}", f"{mode}의 {what}(x), {k + 1}단계")
        check(got["x_grad"] is not None, say(f"{step}: no gradient reached x (the output does not require grad).",
                                             f"{step}: x에 변화도가 전달되지 않았습니다(출력의 requires_grad가 "
                                             "False입니다)."), grad_hint)
        assert_tensor(got["x_grad"], want["x_grad"], say(f"the gradient for x of {step}", f"{step}의 x에 대한 변화도"),
                      hint=grad_hint,
                      mistakes={(say("the batch mean and variance were detached: the gradient must also flow "
                                     "through them, since every output depends on the whole batch.",
                                     "배치의 평균과 분산을 detach했습니다. 모든 출력이 배치 전체에 의존하므로 변화도는 "
                                     "평균과 분산을 거쳐서도 흘러야 합니다."), grad_hint):
                                 mistakes["detached"][k]["x_grad"] if k < 2 else []})
        for name in ("weight", "bias"):
            grad = got["grads"].get(name)
            check(grad is not None, say(f"{step}: {what}.{name} has no .grad after backward.",
                                        f"{step}: backward 뒤에 {what}.{name}에 .grad가 없습니다."),
                  grad_hint + " " + _BN_REGISTER_HINT)
            assert_tensor(grad, want[name], say(f"the gradient for {name} of {step}", f"{step}의 {name}에 대한 변화도"),
                          hint=grad_hint)
