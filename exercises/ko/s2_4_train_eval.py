"""2.4 학습과 평가 — 학습 루프, 평가, 기록(logging), 과적합, 조기 종료(early stopping), 체크포인트(checkpoint).

모든 PyTorch 학습 루프는 배치마다 다음 네 줄을 반복합니다:
    optimizer.zero_grad()            # 변화도(gradient)는 지우기 전까지 .grad에 계속 *더해집니다*
    loss = loss_fn(model(x), y)      # 순전파(forward), nn.CrossEntropyLoss는 정규화하지 않은 로짓(logit)을 받습니다(softmax 없이)
    loss.backward()                  # 모든 매개변수(parameter)의 .grad를 채웁니다
    optimizer.step()                 # .grad로 매개변수를 갱신합니다
평가는 다릅니다: `model.eval()`은 드롭아웃을 끄고 BatchNorm이 누적 통계(running statistics)를 쓰게
하며, `torch.no_grad()`는 아무도 쓰지 않을 그래프를 Autograd가 기록하지 않게 합니다. 둘 중 하나를
잊어도 코드는 돌아가지만, 조용히 틀린 숫자를 내거나 메모리를 낭비합니다. 평가 뒤에 `model.train()`을
잊으면 다음 에폭(epoch)을 드롭아웃 없이 학습하게 됩니다.

누적 합계는 Python 숫자로 유지하세요(`loss.item()`): `total += loss`는 에폭이 끝날 때까지 모든
배치의 그래프를 살려 둡니다.

체크포인트에는 객체가 아니라 `state_dict()`(텐서(tensor)와 숫자)를 저장합니다: `torch.load`의 기본값은
`weights_only=True`이며, 모델 전체를 언피클(unpickle)하기를 거부합니다. 옵티마이저(optimizer)의
상태도 저장하세요: Adam의 모멘트 추정값도 학습이 어디까지 왔는지의 일부입니다.

학습은 진행되는 동안 지켜보세요: TensorBoard는 `SummaryWriter`가 기록한 곡선(단계마다의 손실, 에폭마다
가중치의 분포)을 그려 줍니다. 가장 중요한 두 곡선은 나란히 놓은 학습 손실과 검증 손실입니다: 학습 손실은
계속 줄어드는데 검증 손실이 다시 올라가면 모델이 과적합(overfitting)하고 있는 것이고(잡음까지 포함해 학습
샘플을 외우는 중), 검증 손실이 가장 낮은 에폭에 남겨 둘 가중치가 있습니다.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 2.4`를 실행하세요.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter


def accuracy(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """(N, C) `logits`의 행 가운데 가장 높은 점수가 (N,) `targets`의 클래스에 있는 행의 비율을
    [0, 1] 범위의 Python float로 반환합니다. 클래스 축은 dim=1입니다."""
    raise NotImplementedError("accuracy")


def train_one_epoch(model: nn.Module, loader: DataLoader, loss_fn: nn.Module,
                    optimizer: torch.optim.Optimizer) -> float:
    """`loader`를 한 번 훑으며 `model`을 학습합니다. 배치 (x, y)마다 옵티마이저 단계를 한 번 밟습니다.

    먼저 모델을 학습 모드로 두고(`model.train()`), 각 배치를 모델 매개변수가 있는 장치로 옮긴 다음, zero_grad, 순전파 + 손실(loss), 역전파(backward),
    단계를 이 순서대로 한 번씩 실행하세요.

    에폭 전체에 대한 샘플당 평균 손실을 Python float로 반환합니다: 배치마다
    `loss.item() * batch_size`(그 배치의 step 이전에 계산한 손실)를 더한 합을 샘플 수로 나눈 값입니다.
    배치마다 크기가 다를 수 있습니다(마지막 배치가 더 작은 경우가 많습니다).

    채점기는 이 함수로 nn.Sequential(Linear(64, 64), ReLU, Linear(64, 10))을 digits에서 3 에폭 학습합니다
    (배치 32, SGD(lr=0.1, momentum=0.9): 129단계). 학습한 가중치의 검증 정확도가 85% 이상이어야 합니다.
    """
    raise NotImplementedError("train_one_epoch")


def evaluate(model: nn.Module, loader: DataLoader, loss_fn: nn.Module) -> tuple[float, float]:
    """`loader` 전체에 대한 모델의 (샘플당 평균 손실, 정확도)를 Python float 두 개로 반환합니다.

    `model.eval()`을 호출하고, 루프는 `torch.no_grad()`(또는 `torch.inference_mode()`) 안에서 실행하세요.
    `train_one_epoch`에서처럼 각 배치의 손실에 그 배치 크기만큼 가중치를 주고, 맞힌 예측(dim=1에 대한
    argmax)의 수를 전체 샘플에 걸쳐 세세요. 역전파도, 옵티마이저도 없습니다.
    """
    raise NotImplementedError("evaluate")


def log_training(log_dir: str | Path, model: nn.Module, loader: DataLoader, loss_fn: nn.Module,
                 optimizer: torch.optim.Optimizer, epochs: int) -> None:
    """`epochs` 에폭 동안 에폭마다 `train_one_epoch`처럼 학습하고(학습 모드, 배치를 모델의 장치로, zero_grad, 손실,
    backward, step), `torch.utils.tensorboard.SummaryWriter(log_dir)`로 TensorBoard용 기록을 남기세요:

    - 단계마다: `writer.add_scalar("Loss/train", loss.item(), step)`. 값은 배치의 손실(그 배치의
      `optimizer.step()` 전에 계산한 값)이고, `step`은 학습 전체에서 그 전까지 한 옵티마이저 단계 수입니다:
      0, 1, 2, ...(에폭마다 0부터 다시 세지 않습니다. 그러면 곡선이 처음으로 되돌아가 겹칩니다);
    - 에폭이 끝날 때마다: `model.named_parameters()`의 각 `name, param`에 대해
      `writer.add_histogram(f"weights/{name}", param, epoch)`. `epoch`은 마친 에폭 수(1, 2, ...)입니다: 학습하면서
      가중치가 어떻게 퍼져 가는지 보여 줍니다;
    - 마지막에 `writer.close()`: 이벤트는 버퍼에 쌓이므로, 닫지 않은 파일에는 아직 일부만 들어 있을 수 있습니다.

    예: 배치 4개짜리 에폭 2번이면 "Loss/train"을 단계 0..7에, "weights/0.weight"를 단계 1과 2에 기록합니다.
    그다음 `tensorboard --logdir <log_dir>`이 손실 곡선(Scalars)과 가중치(Histograms)를 그려 줍니다.
    """
    raise NotImplementedError("log_training")


class EarlyStopping:
    """검증 손실이 더는 나아지지 않을 때 학습을 멈출지 결정합니다.

    `EarlyStopping(patience, min_delta=0.0)`, 에폭마다 `step(val_loss)`를 한 번 호출하면, 학습을
    멈춰야 할 때 True를 반환합니다. 손실이 `best - min_delta`보다 작으면 개선입니다: 그러면 `best`가
    그 손실이 되고, 개선 없이 지난 에폭 수는 0으로 돌아갑니다. 그렇지 않으면 그 수가 하나 늘고, 그
    수가 `patience`에 이르면 `step`이 True를 반환합니다.
    첫 손실은 언제나 개선입니다(`best`는 무한대에서 시작합니다). `best`는 속성으로 유지하세요.

    예시, patience=2: 손실 1.0, 0.9, 0.95, 0.91 -> False, False, False, True.
    """

    def __init__(self, patience: int, min_delta: float = 0.0):
        raise NotImplementedError("EarlyStopping")

    def step(self, val_loss: float) -> bool:
        raise NotImplementedError("EarlyStopping.step")


def overfitting_report(train_losses: list[float], val_losses: list[float]) -> tuple[int, bool]:
    """학습의 에폭별 곡선(에폭마다 학습 손실 하나와 검증 손실 하나, 에폭 0부터)을 읽어
    `(best_epoch, overfitting)`을 반환하세요:

    - `best_epoch`: 검증 손실이 가장 낮은 에폭, 같은 값이 여럿이면 그중 첫 번째: 남겨 둘 가치가 있는 가중치
      (조기 종료의 체크포인트에 담기는 것)이며, int입니다;
    - `overfitting`: `best_epoch` 뒤로 검증 손실이 최저보다 높게 끝났고(`val_losses[-1] > val_losses[best_epoch]`)
      학습 손실은 계속 줄었다면(`train_losses[-1] < train_losses[best_epoch]`) True입니다: 모델이 학습 샘플을
      잡음까지 계속 맞추면서 새 샘플에서는 나빠지는 것입니다. bool입니다.

    검증 손실이 학습 손실보다 높다는 것만으로는 과적합이 아닙니다: 거의 모든 모델에 그 차이가 있습니다.
    예: 학습 [1.0, 0.6, 0.4, 0.3], 검증 [1.1, 0.8, 0.9, 1.0]이면 (1, True)이고,
    학습 [1.0, 0.7, 0.5], 검증 [1.2, 1.0, 0.9]이면 (2, False)입니다.
    """
    raise NotImplementedError("overfitting_report")


def save_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int) -> None:
    """학습을 정확히 이어 가는 데 필요한 것을 `torch.save`로 `path`에 저장합니다:
    `model.state_dict()`, `optimizer.state_dict()`, `epoch`(마친 에폭 수)를 담은 dict입니다.

    모델이나 옵티마이저 객체는 절대 저장하지 말고 state_dict를 저장하세요: 이 파일은 기본값이
    `weights_only=True`인 `torch.load(path)`로 불러올 수 있어야 합니다.
    """
    raise NotImplementedError("save_checkpoint")


def load_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """`save_checkpoint`가 쓴 파일에서 `model`과 `optimizer`(이미 같은 구조로 만들어 둔 것)를 각각
    `load_state_dict`로 복원하고, 저장된 에폭을 반환합니다.

    이후 반환된 에폭부터 학습을 이어 가면, 중단 없이 실행한 결과와 비트 단위까지 같아집니다
    (에폭마다 데이터 순서와 드롭아웃의 시드를 정하는 일은 호출하는 쪽이 맡습니다).
    """
    raise NotImplementedError("load_checkpoint")
