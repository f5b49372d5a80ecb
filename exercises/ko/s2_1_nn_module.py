"""2.1 nn.Module로 모델 정의하기 — 하위 클래스(subclass), nn.Sequential, 매개변수(parameter), 버퍼(buffer), 초기화.

`nn.Module`은 자신이 가진 것을 *등록하는(register)* 컨테이너입니다: `__init__`에서 (`super().__init__()` 다음에)
`nn.Module`이나 `nn.Parameter`를 속성에 대입하면, 그것이 `parameters()`, `named_parameters()`, `state_dict()`에
나타나고 `.to(device)` / `.to(dtype)`으로 함께 옮겨집니다. 그 밖의 것(계층(layer)을 담은 일반 Python list, 일반
텐서(tensor) 속성)은 이 모든 것에서 보이지 않습니다: 옵티마이저(optimizer)는 그 가중치(weight)를 전혀 보지 못하고,
`.to("cuda")`를 해도 그것들은 원래 장치(device)에 남습니다. 계층 목록에는 `nn.ModuleList` / `nn.Sequential`을, 학습하지는
않지만 모델의 상태(state)인 텐서에는 `register_buffer`를 사용하세요.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 2.1`을 실행하세요.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


class MLP(nn.Module):
    """다층 퍼셉트론(multilayer perceptron): Linear -> ReLU -> Linear -> ReLU -> ... -> Linear.

    `MLP(5, [7, 6], 3)`에는 `nn.Linear` 계층이 세 개(5 -> 7, 7 -> 6, 6 -> 3) 있고, 마지막을 제외한 모든 계층
    뒤에 ReLU가 있습니다(출력은 원시 점수, 즉 음수일 수도 있는 "logits"입니다).
    `MLP(5, [], 3)`은 Linear 5 -> 3 하나뿐입니다.

    계층은 Python list가 아니라 `nn.ModuleList`(또는 `nn.Sequential`)에 보관하세요: list에 넣으면
    `parameters()`와 `.to(...)`에서 계층이 보이지 않습니다. 모든 계층은 `__init__`에서 만드세요. `forward`는
    계층을 사용하기만 합니다(`forward` 안에서 만든 계층은 호출될 때마다 새로운 무작위 가중치를 갖게 됩니다).
    """

    def __init__(self, in_features: int, hidden: Sequence[int], out_features: int):
        super().__init__()
        raise NotImplementedError("MLP")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, in_features) -> (batch, out_features)."""
        raise NotImplementedError("MLP.forward")


def make_sequential_mlp(in_features: int, hidden: Sequence[int], out_features: int) -> nn.Sequential:
    """`MLP`와 같은 구조를 하나의 `nn.Sequential`로 만듭니다(Sequential 자체를 반환하세요).

    `make_sequential_mlp(5, [7, 6], 3)`은 Sequential(Linear(5, 7), ReLU(), Linear(7, 6), ReLU(),
    Linear(6, 3))입니다: 마지막 Linear 뒤에는 ReLU가 없습니다.
    """
    raise NotImplementedError("make_sequential_mlp")


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    """`model`의 스칼라 매개변수 개수입니다(Python int).

    `state_dict()`(BatchNorm의 누적 통계(running statistics) 같은 버퍼까지 담고 있습니다)가 아니라
    `model.parameters()`(두 계층이 공유하는 가중치는 한 번만 나열합니다)를 세세요. `trainable_only=True`이면
    `requires_grad=True`인 매개변수만 세세요.

    MLP(5, [7, 6], 3)의 경우: (5*7 + 7) + (7*6 + 6) + (6*3 + 3) = 111.
    """
    raise NotImplementedError("count_parameters")


def init_weights(model: nn.Module) -> nn.Module:
    """`model` 안의 모든 `nn.Linear`를, 얼마나 깊이 중첩되어 있든 제자리에서 다시 초기화하고 `model`을 반환합니다.

    가중치: ReLU 신경망을 위한 He(Kaiming) 정규 초기화로, fan-in에서 계산합니다: 평균 0, 표준편차
    sqrt(2 / in_features)인 정규 분포입니다. 편향(bias): 0.
    다른 모듈(LayerNorm, BatchNorm, ...)은 자신의 매개변수를 그대로 유지합니다.

    Linear는 트리의 어디에든 있을 수 있습니다(ModuleList 안의 Sequential 안...): 바로 아래 자식만이 아니라
    모든 하위 모듈을 방문하세요.
    """
    raise NotImplementedError("init_weights")


def decay_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """가중치 감쇠(weight decay)를 의미 있는 곳에만 적용하는 옵티마이저 매개변수 그룹입니다.

    `model.named_parameters()`를 순회하면서 두 그룹을 이 순서대로 반환하세요:
      [{"params": [(name, parameter), ...], "weight_decay": weight_decay},   # 행렬 (ndim >= 2)
       {"params": [(name, parameter), ...], "weight_decay": 0.0}]            # 편향, 정규화 계층의 스케일 (ndim < 2)
    동결된(frozen) 매개변수(`requires_grad=False`)는 건너뛰세요. 이름이 아니라 `parameter.ndim`으로 판단하세요:
    LayerNorm의 `weight`는 1차원이므로, 이름에 "weight"가 들어 있더라도 감쇠를 적용하면 안 됩니다.

    `torch.optim.AdamW(decay_groups(model, 0.01), lr=1e-3)`는 (name, parameter) 쌍을 받아들이고, 각 그룹의
    "param_names"에 이름을 보관합니다.
    """
    raise NotImplementedError("decay_groups")


class Standardize(nn.Module):
    """고정된 입력 정규화 계층: 특징(feature)별로 forward(x) = (x - mean) / std.

    `mean`과 `std`는 `__init__`에 주어지는 (features,) 텐서입니다. 이 둘은 모델 상태의 일부이지만
    (`state_dict()`에 저장되고 `.to(...)`로 옮겨짐) 학습되지는 않습니다: "mean"과 "std"라는 이름의 버퍼(buffer)로
    등록하세요(받은 텐서의 clone으로). 일반 속성으로 두지 마세요
    (`.to("cuda")` 뒤에도 CPU에 남고 `state_dict()`에서 빠집니다). `nn.Parameter`로도 두지 마세요(옵티마이저가
    값을 바꿔 버립니다).
    """

    def __init__(self, mean: torch.Tensor, std: torch.Tensor):
        super().__init__()
        raise NotImplementedError("Standardize")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Standardize.forward")


# -- 비선형 함수가 필요한 이유, 그리고 직접 작성하는 두 계층: 드롭아웃과 배치 정규화 --------------------

def collapse_linears(first: nn.Linear, second: nn.Linear) -> nn.Linear:
    """`second(first(x))`와 정확히 같은 값을 계산하는 새 `nn.Linear` 하나를 반환합니다: 신경망에 비선형 함수가
    필요한 이유입니다.

    Linear는 first(x) = x @ W1.T + b1을 계산합니다(W1은 shape가 (hidden, in)인 `first.weight`). 이를
    second(h) = h @ W2.T + b2에 넣으면
        second(first(x)) = x @ (W2 @ W1).T + (W2 @ b1 + b2)
    가 되고, 이는 다시 가중치가 W2 @ W1, 편향이 W2 @ b1 + b2인 Linear(first.in_features, second.out_features)
    하나입니다. Linear를 몇 개 쌓든 사이에 아무것도 없으면 전체가 Linear 하나와 같습니다: 아무리 깊게 쌓아도 직선
    결정 경계밖에 그리지 못합니다. 둘 사이에 ReLU를 넣으면 어떤 Linear 하나로도 같게 만들 수 없습니다:
    relu(h)는 선형이 아니고(relu(-h) != -relu(h)), 이 덕분에 MLP는 결정 경계를 구부릴 수 있습니다.

    작은 예: first = 가중치 2, 편향 1인 Linear(1, 1), second = 가중치 3, 편향 -1인 Linear(1, 1)이면
    second(first(x)) = 3 * (2x + 1) - 1 = 6x + 2이므로, 합친 Linear의 가중치는 6, 편향은 2입니다.

    새 nn.Linear를 반환하세요(두 인자의 가중치는 그대로 둡니다). 값은 torch.no_grad() 안에서 복사해 넣거나
    nn.Parameter로 감싸세요. 주의할 점: 곱의 순서(W2 @ W1, 두 번째 계층의 가중치가 왼쪽입니다. W1 @ W2는 shape가
    맞지 않거나, 정사각 계층이면 값이 틀립니다)와 첫 계층의 편향입니다. 첫 계층의 편향도 W2를 거칩니다(편향은
    b2도 b1 + b2도 아닌 W2 @ b1 + b2입니다).
    """
    raise NotImplementedError("collapse_linears")


class Dropout(nn.Module):
    """직접 작성하는 드롭아웃("역(inverted)" 드롭아웃)으로, `nn.Dropout(p)`와 같은 값을 계산합니다.

    학습 모드(`self.training`이 True: 새로 만든 모듈이거나 `model.train()`을 호출한 뒤)에서는 x의 각 요소를
    확률 p로 서로 독립적으로 0으로 만들고, 살아남은 요소에는 모두 1 / (1 - p)를 곱합니다. 그래서 각 출력의
    기댓값은 입력과 같습니다: (1 - p) * x / (1 - p) = x. 평가 모드(`model.eval()`을 호출한 뒤)에서는 forward가
    x를 그대로 반환합니다: 아무것도 버리지 않고 배율도 곱하지 않습니다. `self.training`은 `forward`에서 호출될
    때마다 읽으세요: 모드는 모듈을 만든 뒤에 바뀝니다.

    이유: 어떤 유닛도 다른 유닛이 있으리라 기대할 수 없으므로, 신경망은 함께일 때만 동작하는 특징 대신 여러 곳에
    겹쳐 있는 특징을 배웁니다. 과적합을 막는 정규화 기법입니다. 학습 때 배율을 곱해 두면 두 모드에서 활성값의
    크기가 같으므로, 평가 때는 아무것도 보정할 필요가 없습니다.

    마스크는 torch의 전역 생성기에서 뽑으세요(`torch.rand_like(x) < p`가 버릴 요소를 표시합니다. 또는
    `torch.bernoulli`): `torch.manual_seed(s)` 뒤에 같은 호출을 하면 같은 마스크가 나옵니다. 0 <= p < 1입니다.

    작은 예: 학습 모드에서 p = 0.5, x = [2., 2., 2., 2.]이면 각 요소가 0. 또는 4.가 됩니다(각각 절반 정도).
    평가 모드에서는 [2., 2., 2., 2.]입니다.

    주의할 점: 살아남은 요소에 배율을 곱하지 않는 것(평균이 (1 - p) * x로 줄어듭니다), 1 / (1 - p) 대신 p나
    1 / p를 곱하는 것, 확률 1 - p로 버리는 것(확률 p로 남기는 것), 평가 모드에서도 요소를 버리거나 배율을 곱하는
    것.
    """

    def __init__(self, p: float = 0.5):
        super().__init__()
        raise NotImplementedError("Dropout")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """shape가 무엇이든 x -> 같은 shape의 텐서."""
        raise NotImplementedError("Dropout.forward")


class BatchNorm1d(nn.Module):
    """직접 작성하는 배치 정규화로, shape가 (batch, num_features)인 x에 대해
    `nn.BatchNorm1d(num_features, eps, momentum)`과 같은 값을 계산합니다.

    학습 모드: 각 특징(열)을 이 배치의 통계로 정규화합니다. 분산은 편향 분산(batch - 1이 아니라 batch로
    나눔)입니다:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        out = (x - mean) / torch.sqrt(var + eps) * weight + bias
    그리고 누적 통계를 갱신합니다. momentum은 새 배치의 비중이고, 분산은 불편 분산입니다:
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var  = (1 - momentum) * running_var  + momentum * x.var(0, unbiased=True)
    평가 모드: 대신 running_mean과 running_var로 정규화하고, 아무것도 갱신하지 않습니다.

    shape가 (num_features,)인 `weight`(1로 채움)와 `bias`(0으로 채움)는 학습하는 값이므로 nn.Parameter로
    등록하세요. `running_mean`(0으로 채움)과 `running_var`(1로 채움)는 `register_buffer`로 등록하세요: 상태이지만
    (`state_dict()`에 저장되고 `.to(...)`로 옮겨집니다) 학습하지 않습니다. 이 둘은 `torch.no_grad()` 안에서(또는
    detach한 통계로) 제자리에서 갱신하거나, 같은 이름에 새 텐서를 대입해 갱신하세요. 변화도는 배치의 평균과 분산을
    거쳐 흘러야 합니다: 정규화할 때 이 둘을 detach하지 마세요.

    이유: 앞 계층이 무엇을 하든 각 특징이 평균 0, 분산 1로 다음 계층에 도달하므로, 깊은 신경망을 더 큰 학습률로
    학습할 수 있습니다. 평가 때는 예제 하나에 통계를 낼 배치가 없으므로, 학습 중에 모은 누적 평균을 대신 씁니다.

    작은 예: 학습 모드에서 x = [[1.], [3.]]이면 평균 2, 편향 분산 1이므로 out = [[-1.], [1.]](eps 차이는
    무시)입니다. running_mean = 0.9 * 0 + 0.1 * 2 = 0.2, running_var = 0.9 * 1 + 0.1 * 2 = 1.1입니다(1과 3의
    불편 분산은 2입니다).

    주의할 점: 정규화에 불편 분산을 쓰는 것(torch의 `x.var(0)`은 기본이 불편 분산입니다), running_var에 편향
    분산을 쓰는 것, momentum을 반대로 적용하는 것(새 배치에 0.9), 평가 모드에서 누적 통계를 갱신하는 것, 평가
    모드에서 배치 통계를 쓰는 것.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        raise NotImplementedError("BatchNorm1d")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, num_features) -> (batch, num_features)."""
        raise NotImplementedError("BatchNorm1d.forward")
