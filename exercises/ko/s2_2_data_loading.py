"""2.2 Dataset과 DataLoader — 실제 데이터, 변형(transform), 시드를 고정한 분할, 배치 구성, 패딩(padding).

맵 스타일(map-style) `Dataset`은 두 가지 질문에 답합니다: 샘플이 몇 개인가(`__len__`), 그리고
i번째 샘플은 무엇인가(`__getitem__`). `DataLoader`는 인덱스를 (순서대로, 또는 샘플러(sampler)가
섞어서) 뽑고, 그 샘플들을 가져와 배치로 *병합(collate)*합니다. 제대로 해야 할 것은 세 가지입니다:

- 재현성(reproducibility): 섞기(shuffle)는 난수 생성기에서 값을 뽑습니다. 한 번만 시드를 준
  `torch.Generator`를 DataLoader에 따로 건네세요. 그러면 순서는 그 시드에만 달려 있고, 앞서 다른
  코드가 전역 난수 생성기(RNG)를 썼는지와는 무관해집니다. 에폭(epoch)마다(새로 반복할 때마다)
  새로운 순열이 나옵니다.
- 변형: `torchvision.transforms.v2`는 텐서(tensor)에 동작합니다. `v2.Compose`는 단계들을 순서대로
  적용하며, 순서가 중요합니다(정규화(normalize)한 다음에 패딩하면 가장자리에 가공하지 않은 0이 남습니다).
- 길이가 제각각인 데이터(문장, 시계열)는 그대로 쌓을 수 없습니다: `collate_fn`이 각 배치를 가장 긴
  항목에 맞춰 패딩하고, 실제 길이를 함께 반환합니다.

데이터는 scikit-learn의 손글씨 숫자(digits)입니다(회색조 8x8 이미지 1797장, 레이블(label) 0-9).
scikit-learn에 포함되어 있어서 `sklearn.datasets.load_digits()`는 디스크에서 읽기만 하고, 아무것도
내려받지 않습니다.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 2.2`를 실행하세요.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import torch
from torch.utils.data import DataLoader, Dataset, Subset
from torchvision.io import decode_image
from torchvision.transforms import v2


class DigitsDataset(Dataset):
    """scikit-learn의 digits를 맵 스타일 Dataset으로 제공합니다.

    `__init__`에서 `sklearn.datasets.load_digits()`를 한 번 불러와, `images`((1797, 8, 8), 값은
    0..16)는 [0, 1]로 스케일한(16으로 나눈) float32 텐서로, `target`은 레이블로 보관하세요.
    `__len__`은 이미지 수입니다. `__getitem__(i)`는 `(image, label)`을 반환합니다: `image`는 i번째
    이미지로, shape가 (1, 8, 8)인 float32 텐서이며(torchvision이 기대하는 대로 채널 하나가 맨 앞),
    `transform`이 주어졌다면 그것을 거친 결과입니다. `label`은 Python int입니다.
    """

    def __init__(self, transform: Callable | None = None):
        raise NotImplementedError("DigitsDataset")

    def __len__(self) -> int:
        raise NotImplementedError("DigitsDataset.__len__")

    def __getitem__(self, index: int):
        raise NotImplementedError("DigitsDataset.__getitem__")


class CustomImageDataset(Dataset):
    """이미지는 파일로, 레이블은 CSV 파일에 둔 데이터셋: PyTorch "기본 익히기(Learn the Basics)"의 사용자 정의 Dataset입니다.

    `annotations_file`은 헤더 줄이 없는 CSV 파일이고, 각 줄은 `file_name,label`입니다. 파일 이름은 `img_dir`에
    대한 상대 경로이고, 레이블은 정수입니다:
        cat_07.png,2
        cat_03.png,0
    이름이 무엇이든 i번째 샘플은 i번째 줄입니다(폴더를 나열하거나 정렬하지 마세요: 폴더에 다른 파일이 있을 수
    있습니다).

    `__init__`은 CSV만(이름과 레이블) 읽고 `img_dir`, `transform`, `target_transform`을 보관합니다. `__len__`은
    줄 수입니다. `__getitem__(i)`는 그때 i번째 이미지 파일을 `torchvision.io.decode_image(path)`로 엽니다(튜토리얼의
    `read_image`도 같은 일을 합니다): 파일의 픽셀 값을 스케일을 바꾸지 않고 담은, shape가 (channels, height,
    width)인 uint8 텐서입니다. `(image, label)`을 반환하며 `label`은 Python int입니다. `transform`이 있으면 이미지는
    `transform(image)`이고, `target_transform`이 있으면 레이블은 `target_transform(label)`입니다. 위의 두 줄이라면
    `len(ds) == 2`이고 `ds[1]`은 `(decode_image(os.path.join(img_dir, "cat_03.png")), 0)`입니다.

    `__init__`이 아니라 `__getitem__`에서 읽는 이유: 실제 이미지 폴더는 메모리에 다 들어가지 않고, `num_workers > 0`인
    DataLoader는 모델이 학습하는 동안 다음 배치들의 파일을 병렬로 읽습니다.

    주의할 점: `pandas.read_csv(path)`는 첫 줄을 헤더로 여겨 샘플 하나를 잃습니다(`header=None`을 넘기거나
    `csv.reader`를 쓰세요). `transform`은 이미지에만, `target_transform`은 레이블에만 적용합니다.
    """

    def __init__(self, annotations_file: str | Path, img_dir: str | Path, transform: Callable | None = None,
                 target_transform: Callable | None = None):
        raise NotImplementedError("CustomImageDataset")

    def __len__(self) -> int:
        raise NotImplementedError("CustomImageDataset.__len__")

    def __getitem__(self, index: int):
        raise NotImplementedError("CustomImageDataset.__getitem__")


def make_transform(mean: float, std: float, augment: bool = False) -> v2.Transform:
    """(1, 8, 8) float 이미지(또는 그 배치)를 받아 (1, 12, 12)를 반환하는 `v2.Compose`입니다:

    1. 사방에 두께 2픽셀의 0 테두리(증강(augmentation)이 숫자를 움직일 여유 공간)
    2. `augment`가 True일 때만: 무작위 아핀 변환으로, 어느 방향으로든 10도까지 회전하고 너비와 높이의
       10%까지 이동합니다.
    3. 정규화: 채널마다 (x - mean) / std.

    정규화하기 전에 패딩하세요. 그래야 테두리가 가공하지 않은 0이 아니라, 다른 빈 픽셀처럼
    (0 - mean) / std 값을 갖습니다.
    """
    raise NotImplementedError("make_transform")


def split_train_val(dataset: Dataset, val_fraction: float, seed: int) -> tuple[Subset, Subset]:
    """`seed`만으로 재현할 수 있는 무작위 (학습, 검증) 분할입니다.

    검증(validation) 쪽은 `int(len(dataset) * val_fraction)`개의 샘플을, 학습 쪽은 나머지를 갖고,
    모든 샘플은 정확히 한쪽에만 들어갑니다. `seed`로 시드를 준 여러분만의 생성기(generator)에서 분할을
    뽑으세요. 전역 난수 생성기는 건드리지 마세요.
    """
    raise NotImplementedError("split_train_val")


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool, seed: int,
                collate_fn: Callable | None = None) -> DataLoader:
    """`dataset`을 `batch_size`개씩 배치로 묶는 `DataLoader`입니다(마지막 배치는 더 작을 수 있으니
    버리지 마세요). `shuffle`이 True이면 에폭마다 섞고, `collate_fn`이 주어지면 그것을 사용합니다.

    순서는 오직 `seed`에만 달려 있어야 합니다: 섞기는 `seed`로 시드를 준 생성기에서 뽑습니다. 같은 시드로 만든 두 로더는 같은 배치들을 내놓습니다. 한 로더의 새 에폭은 매번 새로운
    순열이지만, 여전히 모든 샘플을 정확히 한 번씩 방문합니다.
    """
    raise NotImplementedError("make_loader")


def pad_collate(batch: list[tuple[torch.Tensor, int]], padding_value: int = 0):
    """1-D 시퀀스의 길이가 서로 다른 (sequence, label) 쌍의 리스트를 하나의 배치로 병합합니다.

    `(padded, lengths, labels)`를 반환합니다:
      padded:  (batch, longest). 각 시퀀스는 자기 행의 앞부분에 두고 그 뒤는 `padding_value`로
               채우며, dtype과 장치는 시퀀스와 같습니다(시간 축이 아니라 배치 축이 앞입니다)
      lengths: (batch,) int64, CPU에 있는 실제 길이들(`pack_padded_sequence`에 필요한 값)
      labels:  (batch,) int64.
    """
    raise NotImplementedError("pad_collate")
