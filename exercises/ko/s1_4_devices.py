"""1.4 장치 설정 (CPU vs GPU) — torch.device, 장치 고르기, 텐서(tensor)와 모듈 옮기기, 고정 메모리(pinned memory).

모든 텐서는 하나의 장치(device)에 있습니다: `torch.device("cpu")`, `torch.device("cuda", 0)`(첫 번째 NVIDIA
GPU), `"mps"`(Apple silicon), 또는 `"meta"`(shape와 dtype만 있고 데이터는 없음: GPU가 없는 컴퓨터에서 장치를
따라가는 코드를 시험할 때 편리합니다). 연산의 텐서 입력은 모두 같은 장치에 있어야 하므로, 장치를 섞어 쓰는
코드는 "Expected all tensors to be on the same device" 오류를 내며 실패합니다.

코드를 장치에 무관하게(device-agnostic) 유지하는 규칙입니다(노트북에서도 GPU 서버에서도 고치지 않고 실행됩니다):

- 사용할 수 있는 것을 보고 장치를 한 번만 고른 뒤, 그 장치를 넘겨 주세요. `.cuda()`를 하드코딩하지 마세요.
- `tensor.to(device)`는 **새** 텐서를 반환하고 원래 텐서는 있던 곳에 그대로 둡니다: 결과를 대입하세요.
  `module.to(device)`는 예외입니다: 모듈의 매개변수(parameter)와 버퍼(buffer)를 제자리에서 옮깁니다
  (그리고 모듈을 반환합니다).
- 함수 안에서 만든 텐서는 입력을 저절로 따라가지 않습니다: `torch.zeros(shape)`는 CPU에 float32로 만들어집니다.
  `device=x.device, dtype=x.dtype`을 넘기거나, `torch.zeros_like(x)` / `x.new_zeros(shape)`를 사용하세요.
- 호스트에서 GPU로의 복사는 페이지 잠금(page-locked, "고정(pinned)") 메모리에서 할 때 더 빠르고,
  `non_blocking=True`를 쓰면 계산과 겹쳐서 진행될 수 있습니다. 메모리 고정에는 CUDA가 필요하므로, 데이터가 CUDA
  장치로 갈 때만 고정하세요. (실제 학습 루프에서는 `DataLoader(..., pin_memory=True)`가 고정을 대신 해 줍니다.)

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 1.4`를 실행하세요.
"""
from typing import Any, Sequence

import torch
from torch import nn


def resolve_device(spec: str = "auto") -> torch.device:
    """장치 요청을 `torch.device`로 바꿉니다.

    - "auto": 사용할 수 있는 가장 좋은 장치입니다: `torch.cuda.is_available()`가 True이면 CUDA, 아니고
      `torch.backends.mps.is_available()`가 True이면 MPS, 둘 다 아니면 CPU. CUDA이면 `torch.device("cuda")`
      (또는 "cuda:0")를 반환하세요.
    - "cuda" 또는 "cuda:<index>": 그 장치입니다. 단, CUDA를 사용할 수 없거나 인덱스가
      `torch.cuda.device_count()`보다 작지 않으면 `ValueError`를 (이유를 설명하는 문장과 함께) 발생시키세요.
    - 그 밖의 모든 것("cpu", "meta", "mps", ...): `torch.device(spec)`.

    함수가 호출될 때마다 `torch.cuda.is_available()`, `torch.cuda.device_count()`,
    `torch.backends.mps.is_available()`를 통해 torch에 물어보세요(채점기(grader)는 여러분에게 없는 컴퓨터에서의
    동작을 시험하려고 이 함수들의 답을 가짜로 바꿉니다).
    """
    raise NotImplementedError("resolve_device")


def to_device(batch: Any, device: torch.device) -> Any:
    """(중첩되어 있을 수 있는) 배치(batch)의 모든 텐서를 `device`로 옮기고, 나머지는 그대로 둡니다.

    `batch`는 Tensor, dict, list 또는 tuple일 수 있고 어떤 식으로든 중첩될 수 있으며, 텐서가 아닌 값(int, 문자열,
    None)은 바뀌지 않고 그대로 남습니다. 같은 종류의 새 구조를 반환하세요(dict는 dict로, tuple은 tuple로). dtype은
    바뀌지 않습니다. `tensor.to(device)`는 텐서를 옮기는 것이 아니라 옮겨진 복사본을 반환한다는 점을 기억하세요.
    대상이 CUDA이면 `non_blocking=True`를 넘기세요.
    """
    raise NotImplementedError("to_device")


def move_model(model: nn.Module, device: torch.device) -> nn.Module:
    """`model`을 매개변수와 *버퍼까지*(예: BatchNorm의 누적 통계(running statistics)) `device`로 옮기고
    반환합니다(제자리에서 옮긴 바로 그 모듈 객체).
    """
    raise NotImplementedError("move_model")


def positions_like(tokens: torch.Tensor) -> torch.Tensor:
    """토큰 id로 이루어진 (batch, time) 텐서에 대한 위치 인덱스: out[b, t] = t.

    shape가 같은 int64 텐서이며, `tokens`와 같은 장치에 있어야 합니다(`device=`를 넘겨 만드세요).
    """
    raise NotImplementedError("positions_like")


def normalize_channels(x: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """이미지 배치 (N, C, H, W)를 채널별로 정규화(normalize)합니다: (x - mean[c]) / std[c].

    `mean`과 `std`는 float C개로 이루어진 Python 시퀀스입니다. 이들을 `x`와 같은 장치, 같은 dtype의 텐서로
    바꾸고(float32 상수는 float16 배치를 float32로 바꿔 버리고, CPU 상수는 CUDA 배치와 함께 계산될 수 없습니다),
    채널 c가 H와 W 전체에서 mean[c], std[c]와 만나도록 shape를 맞추세요.
    """
    raise NotImplementedError("normalize_channels")


def stage_for_device(x: torch.Tensor, device: torch.device) -> torch.Tensor:
    """CPU 텐서를 빠른 방법으로 `device`에 복사합니다.

    `device`가 CUDA 장치이면: 텐서를 고정된(page-locked) 메모리에 둔 다음, 호스트를 막지 않고(non-blocking)
    복사하세요. 그 밖의 장치라면 고정하지 말고 그냥 복사하세요(메모리 고정에는 CUDA가 필요하고, 그 밖의 경우에는
    순전히 오버헤드일 뿐입니다).
    """
    raise NotImplementedError("stage_for_device")
