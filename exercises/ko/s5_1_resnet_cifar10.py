"""5.1 프로젝트: CIFAR-10 ResNet — 데이터 파이프라인, 신경망, 학습률 스케줄, 작은 탐색.

CIFAR-10은 10개 클래스의 32x32 픽셀 컬러 이미지 60,000장입니다(학습용 50,000장, 테스트용 10,000장).
실제 학습에 필요한 모든 것을 하나씩 만듭니다:

1. `channel_stats`: 학습 이미지에 대한 색 채널별 평균과 표준편차를 여러분의 코드로 계산합니다(논문에서
   베껴 오지 마세요: 이 숫자는 여러분이 불러온 데이터의 것입니다).
2. `build_transforms`: 학습용에만 데이터 증강(4픽셀 패딩한 이미지를 무작위로 32x32 자르기, 무작위 좌우
   뒤집기)을 넣고, 그다음 그 통계로 `ToTensor`와 `Normalize`를 합니다. 테스트 transform은 변환과
   정규화만 합니다: 테스트 데이터를 증강하면 다른 문제를 재는 셈입니다.
3. `cifar10_datasets`: root 폴더를 받는 실제 `torchvision.datasets.CIFAR10` 로더.
4. `BasicBlock`과 `ResNet`: 32x32 입력을 위한 He et al.(2016)의 ResNet. 블록이 shape를 바꾸는 곳에는
   투영 지름길(projection shortcut, 1x1 합성곱 + BatchNorm)을 씁니다.
5. `warmup_cosine_scheduler`: 선형 워밍업(warm-up) 뒤 코사인 감쇠. 옵티마이저(optimizer) 단계마다 한 번 진행합니다.
6. `train_one_epoch`와 `evaluate`.
7. `search`: 검증 정확도로 가장 좋은 설정을 고릅니다(테스트 정확도로는 절대 고르지 않습니다).
8. 방법으로서의 튜닝: `sample_config`는 시드를 정한 생성기로 탐색 공간에서 설정 하나를 뽑고,
   `random_search`는 그런 설정을 여러 개 시도하며, `successive_halving`은 학습 예산을 효과가 있는 곳에 씁니다.

채점기는 키트가 생성한, 실제 CIFAR-10과 똑같은 형식(`cifar-10-batches-py`, 피클(pickle)된 배치)의 작은
아카이브를 여러분의 함수에 줍니다. 이 아카이브는 실제 파일의 MD5 검사를 건너뛰는 하위 클래스를 통해
torchvision 자체의 CIFAR10 코드로 읽힙니다(`dataset_class=`). 파이프라인 전체는 무엇을 배우는지로도
채점합니다: 여러분의 데이터셋, 스케줄러, `train_one_epoch`으로 ResNet((1, 1, 1), (8, 16, 32))을 아카이브의 학습
이미지 500장에서 3 에폭(배치 20: lr 0.05, Nesterov 모멘텀 0.9, 가중치 감쇠 5e-4, 워밍업 5단계인 SGD 75단계)
학습하면, 아카이브와 같은 방식으로 새로 만든 이미지 200장의 80% 이상을 맞혀야 합니다. 각 `raise NotImplementedError`를 여러분의
코드로 바꾼 다음 `ptgrade check 5.1`을 실행하세요. 모두 통과하면 GPU에서 `ptgrade run 5.1`로 실제
학습을 해 보세요(CIFAR-10이 로컬에 있으면 `--data PATH`, `--smoke`는 CPU에서 1분 안에 전체 파이프라인을
시험합니다).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.datasets import CIFAR10

PAD = 4  # 무작위로 32x32를 자르기 전에 0으로 채우는 패딩 픽셀 수


def channel_stats(images: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """`CIFAR10`의 `.data`가 담고 있는 형태(높이, 너비, 채널이 마지막)인 shape (N, 32, 32, 3)의 uint8
    `images`에 대해, `ToTensor`가 만드는 [0, 1] 범위에서(255로 나눠서) 채널별 (mean, std)를 계산합니다.

    shape (3,)인 float32 텐서 두 개를 반환합니다: 각 채널(R, G, B)의 N * 32 * 32개 픽셀 값 전체에 대한
    평균과 표준편차(모표준편차, `correction=0`)입니다. float64로 계산하고 마지막에 변환하세요: 수백만
    픽셀을 float32로 더하면 자릿수를 잃습니다.
    """
    raise NotImplementedError("channel_stats")


def build_transforms(mean: torch.Tensor, std: torch.Tensor) -> tuple[Callable, Callable]:
    """(train_transform, test_transform): PIL 이미지(CIFAR10이 transform에 넘기는 것)를 shape (3, 32, 32)의
    정규화된 float32 텐서로 바꾸는 호출 가능한 객체(callable) 두 개입니다.

    학습: `transforms.RandomCrop(32, padding=PAD)`(0으로 패딩), `transforms.RandomHorizontalFlip()`(p=0.5),
    `transforms.ToTensor()`, `transforms.Normalize(mean, std)`를 이 순서로 적용합니다.
    테스트: `ToTensor()`와 `Normalize(mean, std)`만 적용합니다: 무작위성이 전혀 없어야 합니다.
    (`ToImage()` + `ToDtype(torch.float32, scale=True)`를 쓰는 `torchvision.transforms.v2`도 괜찮습니다.)
    """
    raise NotImplementedError("build_transforms")


def cifar10_datasets(root: str | Path, *, download: bool = False,
                     dataset_class: type[CIFAR10] = CIFAR10) -> tuple[Dataset, Dataset]:
    """`root`(`cifar-10-batches-py`를 담은 폴더) 아래 CIFAR-10의 (train_set, test_set)을 반환합니다.

    `dataset_class(root, train=..., download=..., transform=...)`로 만드세요(호출하는 쪽이 하위 클래스를
    넘기지 않으면 torchvision의 CIFAR10입니다. 읽기 코드를 직접 만들지 마세요). 먼저 transform 없이 학습
    데이터셋을 불러와 `channel_stats(train.data)`로 통계를 계산한 다음, 학습 transform을 쓴 학습 데이터셋과
    테스트 transform을 쓴 테스트 데이터셋을 반환합니다. 두 데이터셋 모두 학습 데이터의 통계로
    정규화합니다. `download`는 첫 번째 호출에만 넘기세요.
    """
    raise NotImplementedError("cifar10_datasets")


class BasicBlock(nn.Module):
    """기본 잔차 블록(basic residual block): out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).

    conv1: 3x3, `in_channels` -> `out_channels`, stride `stride`, padding 1; conv2: 3x3, `out_channels` ->
    `out_channels`, stride 1, padding 1, 둘 다 `bias=False`이고 각각 뒤에 `nn.BatchNorm2d`가 옵니다.
    shortcut: shape가 바뀌지 않으면(stride 1이고 in_channels == out_channels) 항등 함수이고, 그렇지 않으면
    투영입니다: `nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)` 다음
    `nn.BatchNorm2d(out_channels)`(논문의 "option B"). 입력 (N, in_channels, H, W), 출력
    (N, out_channels, H / stride, W / stride).
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        raise NotImplementedError("BasicBlock")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("BasicBlock.forward")


class ResNet(nn.Module):
    """32x32 이미지를 위한 ResNet: `ResNet(num_blocks=(3, 3, 3), widths=(16, 32, 64), num_classes=10)`은
    He et al.(2016)의 ResNet-20이고, `num_blocks=(2, 2, 2, 2), widths=(64, 128, 256, 512)`는 CIFAR용
    ResNet-18입니다.

    스템(stem): 3x3 합성곱, 3 -> widths[0], stride 1, padding 1, bias=False, BatchNorm2d, ReLU(이미지가
    작으므로 max-pool은 없습니다). 그다음 `num_blocks`의 항목마다 단계(stage)가 하나씩 있습니다: i번째
    단계는 widths[i] 채널의 BasicBlock num_blocks[i]개이며, 첫 단계를 뺀 모든 단계의 첫 블록은 stride
    2입니다(H와 W를 절반으로 줄입니다). 헤드(head): 전역 평균 풀링 다음
    `nn.Linear(widths[-1], num_classes)`. 입력 (N, 3, 32, 32) float, 출력 (N, num_classes) 가공하지 않은
    로짓(logit). 나열한 층만 쓰세요(매개변수 개수를 셉니다).
    """

    def __init__(self, num_blocks: Sequence[int] = (3, 3, 3), widths: Sequence[int] = (16, 32, 64),
                 num_classes: int = 10):
        raise NotImplementedError("ResNet")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("ResNet.forward")


def warmup_cosine_scheduler(optimizer: torch.optim.Optimizer, total_steps: int,
                            warmup_steps: int) -> torch.optim.lr_scheduler.LRScheduler:
    """옵티마이저 단계 t(t = 0, 1, ..., total_steps - 1, 스케줄러를 t번 진행한 상태)의 학습률을 다음과
    같이 정하는 스케줄러(`LambdaLR` 같은 아무 `torch.optim.lr_scheduler` 클래스)를 반환합니다.

        base_lr * (t + 1) / warmup_steps                                    t < warmup_steps이면
        base_lr * 0.5 * (1 + cos(pi * (t - warmup_steps) / (total_steps - warmup_steps)))   그 밖에는

    base_lr은 스케줄러를 만들 때 옵티마이저의 학습률입니다(매개변수 그룹마다). 만든 직후에 학습률이 이미
    t = 0의 값이어야 합니다. 에폭마다가 아니라 옵티마이저 단계마다 진행하도록 만든 스케줄입니다.
    1 <= warmup_steps < total_steps입니다.
    """
    raise NotImplementedError("warmup_cosine_scheduler")


def train_one_epoch(model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer,
                    scheduler: torch.optim.lr_scheduler.LRScheduler) -> float:
    """`loader`(배치 (x, y))를 한 번 훑으며 로짓에 대한 교차 엔트로피 손실(cross-entropy loss)로
    `model`을 학습합니다.

    먼저 `model.train()`, 각 배치를 모델 매개변수의 장치로 옮기고, 배치마다: zero_grad, 순전파 +
    `F.cross_entropy`, 역전파, `optimizer.step()`, 그다음 `scheduler.step()`.
    샘플당 평균 손실(`loss.item() * 배치 크기`의 합을 샘플 수로 나눈 값)을 Python float로 반환합니다.
    """
    raise NotImplementedError("train_one_epoch")


def evaluate(model: nn.Module, loader: DataLoader) -> tuple[float, float]:
    """`loader`에 대한 `model`의 (샘플당 평균 교차 엔트로피, 정확도)를 Python float 두 개로 반환합니다.

    `model.eval()`과 `torch.no_grad()`(또는 `torch.inference_mode()`), 배치는 모델의 장치로 옮깁니다.
    정확도는 로짓의 argmax가 레이블과 같은 샘플의 비율입니다.
    """
    raise NotImplementedError("evaluate")


def search(configs: Sequence[dict], train_and_evaluate: Callable[[dict], dict]) -> tuple[dict, list[dict]]:
    """작은 하이퍼파라미터 탐색: 각 설정마다 순서대로 `train_and_evaluate(config)`를 한 번씩 호출합니다.
    이 함수는 적어도 "val_acc"(검증 데이터에 대한 정확도)를 담은 지표 dict를 반환합니다. 다른 값(예:
    "test_acc")이 들어 있을 수도 있지만, 그 값으로 고르면 안 됩니다.

    (best_config, results)를 반환합니다: "val_acc"가 가장 높은 설정(같으면 앞의 것)과, `configs`의 순서대로
    설정마다 하나씩인 지표 dict의 목록입니다.
    """
    raise NotImplementedError("search")


def sample_config(space: dict, generator: torch.Generator) -> dict:
    """`space`에서 무작위로 뽑은 설정 하나입니다. 모든 난수는 `generator`에서 가져옵니다.

    `space`는 각 하이퍼파라미터의 이름을 뽑는 방법에 대응시킵니다:
    - `("log_uniform", low, high)`: 로그 값이 log(low)와 log(high) 사이에서 균등한 float입니다. 학습률과
      가중치 감쇠에 씁니다: 1e-4와 1e-3의 차이는 1e-2와 1e-1의 차이만큼 크므로, 자릿수 구간마다 같은
      빈도로 뽑혀야 합니다. [1e-5, 1]에서 그냥 균등하게 뽑으면 열에 아홉은 0.1보다 큽니다.
    - `("uniform", low, high)`: low와 high 사이에서 균등한 float입니다(드롭아웃 비율, 모멘텀).
    - `("choice", options)`: 목록 `options`의 요소 하나이며, 각 요소가 뽑힐 확률은 같습니다(배치 크기, 옵티마이저).
    `space`와 키가 정확히 같고 값이 범위 안에 있는(low <= value <= high) {name: value}를 반환합니다.
    키마다 난수를 따로 하나씩 써서 서로 독립적으로 뽑습니다: 모든 키가 난수 하나를 함께 쓰면 값들이 서로 묶입니다(학습률이
    높으면 언제나 드롭아웃도 높고 배치도 가장 커집니다).

    예: `sample_config({"lr": ("log_uniform", 1e-4, 1.0), "batch_size": ("choice", [64, 128])}, g)`는
    `{"lr": 0.0031, "batch_size": 128}`를 줄 수 있습니다. 전역 난수 상태가 아니라
    `torch.rand((), generator=generator)`(또는 `torch.randint(..., generator=generator)`)로 뽑으세요: 그 사이에
    무엇이 실행되었든 같은 시드는 같은 설정을 주어야 하고, 한 생성기에서 두 번 뽑은 설정은 달라야 합니다.
    """
    raise NotImplementedError("sample_config")


def random_search(space: dict, n_trials: int, train_and_evaluate: Callable[[dict], dict],
                  generator: torch.Generator) -> tuple[dict, list[tuple[dict, dict]]]:
    """무작위 탐색: 시도마다 하나씩 `sample_config(space, generator)`로 설정 `n_trials`개를 뽑아 각각
    `train_and_evaluate`를 실행하고(`search`처럼 적어도 "val_acc"를 담은 지표를 반환합니다), 검증 정확도가
    가장 높은 것(같으면 앞의 것)을 고릅니다. 고르는 일은 위의 `search`가 합니다.

    (best_config, history)를 반환합니다: history는 실행한 순서대로 시도마다 하나씩인 (config, metrics) 쌍의
    목록입니다. 격자 대신 무작위로 하는 이유: 시도 9번이면 3x3 격자는 학습률을 3개만 시도하지만 무작위
    탐색은 9개를 시도합니다(중요한 하이퍼파라미터가 모든 시도를 얻습니다. Bergstra와 Bengio, 2012).
    주의할 점: 반복문 전에 설정을 한 번만 뽑는 것(모든 시도가 같아집니다), "val_acc"가 아닌 값으로 고르는 것.
    """
    raise NotImplementedError("random_search")


def successive_halving(configs: Sequence[dict], train_for: Callable[[dict, int], dict], min_budget: int,
                       eta: int = 3) -> tuple[dict, list[tuple[dict, int, dict]]]:
    """연속 반감(successive halving): 많은 설정은 짧게, 유망한 설정은 더 길게 학습합니다.

    `train_for(config, budget)`는 `config`를 처음부터 `budget` 에폭 동안 학습하고 적어도 "val_acc"를 담은
    지표를 반환합니다. 모든 설정이 살아 있고 budget = min_budget인 상태로 시작해서, 살아 있는 설정이 둘 이상인
    동안 다음을 반복합니다:
    1. 살아 있는 설정마다 `train_for(config, budget)`를 한 번씩 호출합니다(이 예산으로 새로 실행합니다.
       더 작은 예산의 결과는 다시 쓰지 마세요: 빨리 올라가는 설정이 낮게 끝날 수도 있습니다).
    2. 이번 라운드의 "val_acc"가 높은 순서로 `max(1, len(alive) // eta)`개를 남깁니다.
    3. 예산에 eta를 곱합니다.
    설정이 하나 남으면 그것이 답입니다(다시 학습하지 않습니다). (best_config, history)를 반환합니다:
    history는 train_for를 호출한 순서대로 호출마다 하나씩인 (config, budget, metrics)의 목록입니다.

    예: 설정 9개, min_budget=1, eta=3이면 1에폭 실행 9번, 가장 좋은 3개가 각각 3에폭, 그중 가장 좋은 것을
    반환합니다: 9 * 1 + 3 * 3 = 18에폭이고, 9개를 모두 3에폭 학습하면 27에폭입니다. 주의할 점: 반대로
    정렬하는 것(가장 나쁜 것을 남깁니다), 늘지 않는 예산, 라운드를 하나 더 하거나 덜 하는 것.
    """
    raise NotImplementedError("successive_halving")
