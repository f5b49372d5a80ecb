"""3.1 합성곱 신경망 — 출력 크기, 직접 구현하는 합성곱, 작은 CNN, torchvision 모델.

합성곱(convolution)은 (out, in, kh, kw) 커널(kernel)을 이미지 위로 미끄러지듯 옮깁니다. 패딩(padding),
스트라이드(stride), 팽창(dilation)이 커널이 방문할 위치의 수를 정하므로, 모든 계층(layer)의 출력 크기는
머릿속으로 할 수 있는 산수입니다:

    out = floor((size + 2*padding - dilation*(kernel - 1) - 1) / stride) + 1

(PyTorch의 계층은 대부분의 프레임워크처럼 *교차 상관(cross-correlation)*을 계산합니다: 커널을 뒤집지
않습니다.)

`torchvision.models`는 표준 아키텍처를 만들어 줍니다. `resnet18(weights=None)`은 무작위로 초기화하며
아무것도 내려받지 않습니다. `resnet18(weights=ResNet18_Weights.DEFAULT)`
(`from torchvision.models import ResNet18_Weights`)는 ImageNet 가중치(weight)를 한 번 내려받아 torch hub
캐시에 두고, `ResNet18_Weights.DEFAULT.transforms()`는 그 가중치가 기대하는 전처리입니다. 이 키트는
절대 내려받지 않습니다: 여기서는 `weights=None`으로 만들고, 가중치 API는 여러분의 프로젝트에서
사용하세요. (`pretrained=True`는 예전에 쓰이다 제거된 표기입니다.) ImageNet 모델은 224x224 이미지를
32배로 줄입니다. 32x32 이미지(CIFAR-10)에서는 스트라이드 2인 스템(stem)이 그림의 대부분을 버리므로,
흔히 스트라이드 1인 스템과 10개 클래스용 새 헤드(head)로 바꿔서 맞춥니다.

사전 학습된 신경망의 미세 조정(fine-tuning)은 흔히 백본(backbone)을 *동결(freeze)*하는 것에서
시작합니다: 백본의 매개변수(parameter)를 `requires_grad=False`로 두면 역전파(backward) 때 이들의
변화도(gradient)를 계산하지 않고, 새 헤드만 학습됩니다.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 3.1`을 실행하세요.
"""
import math  # noqa: F401

import torch
import torch.nn.functional as F  # noqa: F401
import torchvision  # noqa: F401
from torch import nn


def conv2d_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """길이 `size`인 입력에 대한 `nn.Conv2d`의 한 축 방향 출력 길이입니다(위의 공식).
    예: size 32, kernel 3, stride 2, padding 1 -> 16. Python int를 반환하세요."""
    raise NotImplementedError("conv2d_output_size")


def pool2d_output_size(size: int, kernel_size: int, stride: int | None = None, padding: int = 0,
                       dilation: int = 1, ceil_mode: bool = False) -> int:
    """`nn.MaxPool2d(kernel_size, stride, padding, dilation, ceil_mode=ceil_mode)`의 한 축 방향 출력
    길이입니다.

    합성곱과 다른 점이 두 가지 있습니다: `stride=None`은 stride = kernel_size를 뜻하고(풀링(pooling)
    창은 기본적으로 겹치지 않습니다), `ceil_mode=True`이면 나눗셈을 올림하되, 입력과 왼쪽 패딩을 넘어선
    곳에서 시작하는 마지막 창은 버립니다
    (if (out - 1) * stride >= size + padding: out -= 1).
    """
    raise NotImplementedError("pool2d_output_size")


def conv2d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
           stride: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
           dilation: int | tuple[int, int] = 1) -> torch.Tensor:
    """직접 구현한 2-D 합성곱으로, `F.conv2d(x, weight, bias, stride, padding, dilation)`과 같아야 합니다.

    x (batch, in, H, W), weight (out, in, kh, kw), bias (out,) 또는 None, stride, padding, dilation은
    int 또는 (h, w) 쌍입니다. 여기서는 `F.conv2d`, `nn.Conv2d`, `torch.convolution`을 쓰지 마세요.
    출력 값 하나하나는 (in, kh, kw) 커널과 그 아래 입력 조각의 내적입니다. 그러니 모든 조각(수용 영역,
    receptive field)을 모아 모든 내적을 행렬 곱셈 한 번으로 계산하거나, kh*kw개의 커널 오프셋을 돌면서
    (패딩한) 입력을 옮기고 stride 간격으로 자른 슬라이스에 그 오프셋의 커널 (out, in) 조각을 곱해 더해
    나가세요.
    미분 가능하게 유지하세요(torch 연산만, `.item()`이나 NumPy는 금지): 변화도를 F.conv2d의 것과
    비교합니다. 커널을 뒤집지 마세요.
    """
    raise NotImplementedError("conv2d")


def prepare_digits(x: torch.Tensor, size: int) -> torch.Tensor:
    """scikit-learn의 digits는 [0, 1] 범위의 평평한 (n, 64)로 주어집니다. (n, 1, size, size) 이미지를
    반환하세요: (n, 1, 8, 8)로 reshape한 다음(채널 하나, 맨 앞),
    `F.interpolate(..., size=(size, size), mode="bilinear", align_corners=False)`로 업샘플링합니다."""
    raise NotImplementedError("prepare_digits")


class SmallCNN(nn.Module):
    """작은 CNN 분류기(classifier): (batch, in_channels, H, W) -> 로짓(logit) (batch, num_classes).

    합성곱 + ReLU + 풀링 단계를 두세 번, 이어서 적응형 풀링(adaptive pooling) 계층과 Linear 헤드를 둡니다.
    적응형 풀링 덕분에 헤드의 입력 크기가 H와 W에 무관해집니다: 16x16 입력과 32x32 입력에서 똑같이
    동작해야 합니다(H, W >= 8).
    2x2 이상으로 풀링하세요: 1x1까지 풀링해도 실행은 되지만, 획이 *어디에* 있는지를 잊어서 아래 기준에 닿기에는
    숫자를 너무 느리게 배웁니다.
    16x16으로 업샘플링한 digits에서 Adam 200단계(lr 1e-2, 배치 64) 뒤에 검증 정확도 85%에 도달해야
    합니다.
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 10):
        super().__init__()
        raise NotImplementedError("SmallCNN")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("SmallCNN.forward")


def resnet18_for_small_images(num_classes: int = 10) -> nn.Module:
    """`torchvision.models.resnet18(weights=None)`을 32x32 RGB 이미지와 `num_classes`에 맞게 고칩니다:
    - `conv1`: 7x7 stride 2 대신 3x3, stride 1, padding 1인 합성곱(3 -> 64 채널, bias=False)
    - `maxpool`: `nn.Identity()`(초반 다운샘플링 없음)
    - `fc`: 새 `nn.Linear(512, num_classes)`.
    그러면 32x32 입력에서 layer4가 1x1 대신 4x4 특징 맵(feature map)을 내놓습니다. torchvision의
    ResNet 클래스를 그대로 쓰세요(속성을 바꿔 끼우고, 신경망을 새로 만들지 마세요)."""
    raise NotImplementedError("resnet18_for_small_images")


def efficientnet_b0_for_small_images(num_classes: int = 10) -> nn.Module:
    """`torchvision.models.efficientnet_b0(weights=None)`을 같은 방식으로 고칩니다:
    - 스템 합성곱 `features[0][0]`: 3x3, stride 1, padding 1인 `nn.Conv2d(3, 32, bias=False)`
    - `classifier`의 마지막 계층: 새 `nn.Linear(1280, num_classes)`(그 앞의 드롭아웃은 유지).
    그러면 32x32 입력에서 `features`가 1x1 대신 2x2 맵을 내놓습니다."""
    raise NotImplementedError("efficientnet_b0_for_small_images")


def freeze_backbone(model: nn.Module) -> nn.Module:
    """torchvision ResNet에서 헤드 `model.fc`를 제외한 모든 매개변수를 제자리(in-place)에서
    고정하고(`requires_grad_(False)`), 모델을 반환합니다.

    `model.eval()`은 아무것도 고정하지 않으며(Dropout/BatchNorm의 동작을 바꿀 뿐입니다), 순전파(forward)를
    `torch.no_grad()`로 감싸면 헤드까지 학습하지 못합니다. BatchNorm의 누적 통계는 학습 모드에서 여전히
    갱신된다는 점에 유의하세요: 그것이 중요할 때는 백본에도 `.eval()`을 호출하세요.
    """
    raise NotImplementedError("freeze_backbone")


def finetune_optimizer(model: nn.Module, lr: float) -> torch.optim.Optimizer:
    """아직 변화도가 필요한 매개변수만을 대상으로 하는 `torch.optim.SGD(..., lr=lr, momentum=0.9)`입니다
    (`model.parameters()`를 `p.requires_grad`로 거르세요): 옵티마이저(optimizer)는 학습되는 것만
    정확히 쥐고 있어야, 나중에 계층 하나의 고정을 풀 때 뜻밖의 일이 아니라 명시적인 새 매개변수 그룹이
    됩니다."""
    raise NotImplementedError("finetune_optimizer")


def load_pretrained(path: str, num_classes: int) -> nn.Module:
    """`path`에 저장된 사전 학습된 가중치를 담고, `num_classes`개 클래스로 미세 조정(fine-tuning)할
    준비가 된 ResNet-18입니다.

    인터넷이 된다면 `torchvision.models.resnet18(weights=ResNet18_Weights.DEFAULT)`라고 쓰면 됩니다:
    torchvision이 ImageNet 가중치를 torch hub 캐시에 한 번 내려받아 모델에 불러와 줍니다. 여기서는
    채점기가 모델 허브 역할을 합니다: `path`는 ImageNet 모양의 ResNet-18(1000개 클래스)을
    `DistributedDataParallel`(4.4절)로 감싸 학습한 뒤 `torch.save(model.state_dict(), path)`로 쓴
    파일이라서, 모든 키에 래퍼의 접두사 `module.`이 붙어 있습니다(`module.conv1.weight`, ...).

    `weights=None`으로 만든 torchvision ResNet-18을 반환하되, 그 모델은
    - 바로 그 가중치를 담습니다: 백본(backbone)의 모든 매개변수와 BatchNorm 버퍼
    - `num_classes`개를 출력하는 새 헤드 `fc`를 가지며, 이 헤드는 학습됩니다.
    - 백본이 동결되어 있습니다(`fc` 말고는 변화도를 받지 않습니다)
    - 평가 모드입니다(BatchNorm이 불러온 누적 통계를 씁니다).

    파일은 `torch.load(path, weights_only=True)`로 읽으세요: 체크포인트는 피클(pickle)이고, 파일을
    언피클하면 그 안에 든 어떤 코드든 실행될 수 있습니다. `weights_only=True`(PyTorch 2.6부터 기본값)는
    텐서와 평범한 컨테이너만 다시 만듭니다. `load_state_dict`는 기본적으로 엄격해서(strict) 어떤 키가
    맞지 않는지 알려 줍니다. `strict=False`는 그런 키를 조용히 건너뛰고, 빠진 자리에 무작위 가중치를
    남겨 둡니다.
    """
    raise NotImplementedError("load_pretrained")
