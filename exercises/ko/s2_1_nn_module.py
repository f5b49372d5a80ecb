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
