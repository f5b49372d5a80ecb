"""1.2 Tensor — 속성, 생성, 뷰(view)와 shape 바꾸기, 브로드캐스팅(broadcasting), 행렬 곱(matmul)과 einsum.

`torch.Tensor`는 메모리 블록(*저장소(storage)*)과 그 위의 뷰입니다: 뷰는 `shape`, `dtype`, `device`, 그리고
`stride`(각 축(axis)을 따라 한 칸 이동하려면 요소(element)를 몇 개 건너뛰어야 하는지)로 이루어집니다. 많은 연산
(`view`, `transpose`, `t`, 슬라이싱(slicing), `unsqueeze`)은 복사하지 않고 *같은* 저장소 위에 새 텐서(tensor)를
만듭니다. `view`는 다시 해석할 수 있는 stride 패턴이 필요하므로, 전치(transpose)처럼 연속적이지 않은
(non-contiguous) 텐서에서는 실패합니다. `reshape`는 가능하면 뷰를 반환하고, 꼭 필요할 때만 복사합니다.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 1.2`를 실행하세요.
torch 연산만 사용하세요(요소마다 도는 Python 반복문도, NumPy도 쓰지 마세요).
"""
import torch


def describe(t: torch.Tensor) -> dict:
    """텐서의 속성을 정확히 다음 키(key)를 가진 dict로 보고합니다:

    - "shape": int로 이루어진 tuple, 예: (2, 3)
    - "dtype": torch.dtype, 예: torch.float32
    - "device": torch.device
    - "stride": int로 이루어진 tuple
    - "is_contiguous": bool
    - "numel": 요소의 개수, int
    """
    raise NotImplementedError("describe")


def seeded_normal(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """shape가 `shape`인 표준 정규분포 표본으로, `seed`만으로 재현할 수 있어야 합니다.

    `seed`로 시드를 설정한 지역(local) `torch.Generator`를 사용하세요(전역 시드는 건드리지 마세요). 그러면 같은
    호출은 언제나 같은 값을 반환합니다: 정확히 `torch.randn(shape, generator=<seed로 시드를 설정한 생성기>)`의
    값입니다.
    """
    raise NotImplementedError("seeded_normal")


def eye_like(x: torch.Tensor) -> torch.Tensor:
    """크기가 `x.shape[-1]`인 단위 행렬(identity matrix)로, dtype과 장치(device)는 `x`와 같습니다.

    새 텐서는 입력을 저절로 따라가지 않습니다: `dtype=`과 `device=`를 넘기세요.
    """
    raise NotImplementedError("eye_like")


def flatten_last_two(x: torch.Tensor) -> torch.Tensor:
    """마지막 두 축을 합칩니다: (..., A, B) -> (..., A*B).

    입력이 연속적이든 아니든 동작해야 하며(`x.transpose(-1, -2)`로 시험해 보세요), `x`가 연속적이면 언제나
    `x`의 저장소를 공유하는 뷰를 반환해야 합니다.
    """
    raise NotImplementedError("flatten_last_two")


def split_heads(x: torch.Tensor, n_heads: int) -> torch.Tensor:
    """(batch, time, features) 텐서의 특징(feature) 축을 어텐션 헤드(attention head)들로 나눕니다.

    (batch, n_heads, time, features // n_heads)를 반환하며, 헤드 h는 각 시간 단계의 특징
    h*d ... (h+1)*d - 1을 담습니다(d = features // n_heads). 어느 축을 나누는지, 새 축들이 어떤 순서로
    놓이는지가 어떤 특징이 어느 헤드에 들어가는지를 정합니다.
    """
    raise NotImplementedError("split_heads")


def to_column(v: torch.Tensor) -> torch.Tensor:
    """요소가 n개인 1차원 텐서를 (n, 1) 열(column)로 만든 것으로, `v`의 뷰입니다(복사하지 않습니다)."""
    raise NotImplementedError("to_column")


def drop_singletons(x: torch.Tensor) -> torch.Tensor:
    """크기가 1인 축을 모두 없앤 `x`: (1, 3, 1, 4) -> (3, 4)."""
    raise NotImplementedError("drop_singletons")


def normalize_rows(x: torch.Tensor) -> torch.Tensor:
    """2차원 텐서의 각 행을 표준화합니다: 그 행의 평균을 빼고, 그 행의 표준편차(모표준편차,
    `unbiased=False` / `correction=0`)로 나눕니다. 반복문 없이 브로드캐스팅을 사용하세요.
    """
    raise NotImplementedError("normalize_rows")


def pairwise_sq_dists(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a (n, d)의 행들과 b (m, d)의 행들 사이의 유클리드 거리 제곱입니다.

    out[i, j] = sum_k (a[i, k] - b[j, k]) ** 2인 (n, m)을 반환합니다. 행에 대한 반복문 없이
    브로드캐스팅으로 모든 쌍을 한 번에 계산하세요.
    """
    raise NotImplementedError("pairwise_sq_dists")


def batched_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(batch, i, j) @ (batch, j, k) -> (batch, i, k)를 `torch.einsum`으로 작성하세요."""
    raise NotImplementedError("batched_matmul")


def trace(m: torch.Tensor) -> torch.Tensor:
    """정사각 행렬의 대각합(trace, 대각 요소의 합)을 0차원 텐서로 반환합니다. `torch.einsum`을 사용하세요."""
    raise NotImplementedError("trace")


def bilinear(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """각 행 b에 대해 x[b] @ w @ y[b], 즉 sum_ij x[b, i] * w[i, j] * y[b, j]를 계산합니다.

    x는 (batch, i), w는 (i, j), y는 (batch, j)이고, (batch,)를 반환합니다. `torch.einsum`을 한 번만 호출하세요.
    """
    raise NotImplementedError("bilinear")


def matrix_product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """두 행렬의 곱 (n, k) @ (k, m) -> (n, m)을 `torch.mm`으로 계산합니다.

    행렬만 받습니다: `a`나 `b`가 2차원이 아니면 `torch.mm`이 발생시키는 RuntimeError가 그대로 호출한
    쪽에 전달되어야 합니다(reshape도, 몰래 배치로 처리하는 것도 없이). 그래야 앞 단계의 shape 실수가
    여기서 드러납니다.
    """
    raise NotImplementedError("matrix_product")


def batched_product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """행렬 묶음(stack)의 행렬 곱입니다: (..., n, k) @ (..., k, m) -> (..., n, m).

    배치 축(...)은 요소별 연산처럼 브로드캐스트됩니다: (2, 1, n, k)와 (5, k, m)은 (2, 5, n, m)이 되고,
    2차원 `b`는 `a`의 모든 행렬에 공유됩니다. `torch.mm`으로는 할 수 없습니다.
    """
    raise NotImplementedError("batched_product")
