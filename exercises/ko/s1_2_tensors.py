"""1.2 Tensor — 속성, 생성, 뷰(view), 브로드캐스팅(broadcasting), einsum, NumPy 브리지, 인덱싱, cat과 stack, 제자리(in-place) 연산.

`torch.Tensor`는 메모리 블록(*저장소(storage)*)과 그 위의 뷰입니다: 뷰는 `shape`, `dtype`, `device`, 그리고
`stride`(각 축(axis)을 따라 한 칸 이동하려면 요소(element)를 몇 개 건너뛰어야 하는지)로 이루어집니다. 많은 연산
(`view`, `transpose`, `t`, 슬라이싱(slicing), `unsqueeze`)은 복사하지 않고 *같은* 저장소 위에 새 텐서(tensor)를
만듭니다. `view`는 다시 해석할 수 있는 stride 패턴이 필요하므로, 전치(transpose)처럼 연속적이지 않은
(non-contiguous) 텐서에서는 실패합니다. `reshape`는 가능하면 뷰를 반환하고, 꼭 필요할 때만 복사합니다.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 1.2`를 실행하세요.
torch 연산만 사용하세요(요소마다 도는 Python 반복문은 쓰지 마세요. NumPy는 함수의 독스트링이 배열을
넘겨주거나 배열을 요구할 때만 쓰세요).
"""
import numpy
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


def shared_tensor(array: numpy.ndarray) -> torch.Tensor:
    """NumPy 배열 `array`와 *같은 메모리*를 쓰는 텐서입니다: 복사하지 않고, dtype도 같습니다.

    `torch.from_numpy(array)`(또는 `torch.as_tensor(array)`)는 배열의 버퍼를 그대로 감싸므로, 한쪽을 바꾸면
    다른 쪽에도 보입니다:

        a = numpy.zeros(3); t = torch.from_numpy(a); a[0] = 5.0   # 이제 t[0]도 5.0입니다

    그래서 배열이 아무리 커도 비용이 들지 않고, 또 그래서 뜻밖의 결과가 나오기도 합니다. 공유를 깨뜨리는 것은
    모두 복사입니다: `torch.tensor(array)`와 `torch.Tensor(array)`(언제나 복사합니다), 모든 dtype 변환
    (float64 배열에 쓴 `.float()`, `.to(torch.int32)` 등), 다른 장치로 옮기기(`.to("cuda")`). 배열의 dtype을
    유지하세요: float64 배열에서는 float64 텐서가 나와야 합니다.
    """
    raise NotImplementedError("shared_tensor")


def shared_array(t: torch.Tensor) -> numpy.ndarray:
    """텐서 `t`를 NumPy 배열로 만든 것입니다: `t`가 CPU에 있으면 `t`의 메모리를 그대로 쓰고, 아니면 복사본입니다.

    `t.numpy()`는 CPU 텐서와 메모리를 공유합니다(브리지의 반대 방향입니다: 나중에 `t`를 제자리에서 바꾸면
    배열에도 보입니다). 이를 막는 것이 두 가지 있습니다:
    - `t`가 변화도를 요구할 때(예를 들어 모델의 가중치): NumPy가 값에 하는 일을 Autograd가 볼 수 없으므로
      `.numpy()`가 거부합니다. `t.detach()`는 Autograd 기록이 없는 같은 메모리이고, 그 `.numpy()`는 동작합니다.
    - `t`가 GPU에 있을 때: NumPy는 CPU 메모리만 읽으므로 `.numpy()`에서 오류가 발생합니다. `.cpu()`가 먼저 CPU로
      복사합니다(CPU 텐서에서 `.cpu()`는 `t` 자신을 반환하므로 복사하지 않습니다).
    그러니 기억할 한 줄은 `t.detach().cpu().numpy()`입니다: CPU에서는 공유하고, GPU에서는 복사합니다.
    """
    raise NotImplementedError("shared_array")


def gather_rows(table: torch.Tensor, ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """정수 텐서 `ids`(shape는 무엇이든 됩니다)가 가리키는 `table` (V, D)의 행을 찾고, 패딩(padding)은 0으로 만듭니다.

    shape가 (*ids.shape, D)인 텐서를 반환합니다: out[..., :] = table[ids[...]]이고, ids == pad_id인 곳의 행은
    모두 0입니다. `table` 자체는 바뀌면 안 됩니다.

        table = torch.arange(6.).view(3, 2); ids = torch.tensor([2, 0, 0])
        gather_rows(table, ids, pad_id=0)   # [[4., 5.], [0., 0.], [0., 0.]]

    정수 텐서로 하는 인덱싱(`table[ids]`, 고급 인덱싱(advanced indexing))과 불리언(boolean) 텐서로 하는
    인덱싱(`x[mask]`, 마스크가 True인 요소들을 1차원 텐서로)은 슬라이싱(`table[1:]`, `table[0]`)이 뷰를
    주는 것과 달리 언제나 *복사*합니다. 그래서 `table[ids]`에 값을 써도 `table`은 바뀌지 않지만,
    `table[pad_id]`에 쓰면 바뀝니다. 어디에도 값을 쓰지 않고 조건이 맞는 곳의 값을 정하려면
    `torch.where(mask, value, x)`나 `x.masked_fill(mask, value)`를 쓰세요(둘 다 새 텐서를 반환합니다). 마스크
    `ids == pad_id`의 shape는 ids와 같으므로, 행의 D개 값과 맞추려면 축을 하나 추가하세요.
    (`torch.nn.functional.embedding(..., padding_idx=)`은 출력을 0으로 만들지 않습니다: 변화도만 막습니다.)
    """
    raise NotImplementedError("gather_rows")


def batch_sequences(sequences: list[list[torch.Tensor]]) -> torch.Tensor:
    """각 시퀀스의 조각을 시간 축으로 이은 다음, 시퀀스들을 배치로 묶습니다: (batch, time, features).

    `sequences`는 시퀀스 B개를 담고, 각 시퀀스는 shape가 (t_i, F)인 조각의 리스트입니다(조각 길이 t_i는
    서로 다릅니다). 조각 길이의 합은 모든 시퀀스에서 같은 T입니다. 결과는 (B, T, F)이고, 행 b는 시퀀스 b이며
    그 조각들이 시간 순서대로 이어져 있습니다.

    `torch.cat(tensors, dim)`은 이미 있는 축을 따라 잇습니다: (2, F)와 (3, F)를 dim 0으로 이으면 (5, F)이고,
    나머지 축은 같아야 합니다. `torch.stack(tensors, dim)`은 *새* 축을 만듭니다: shape가 (T, F)인 텐서 B개를
    dim=0으로 쌓으면 (B, T, F)이고, 모든 텐서의 shape가 같아야 합니다. 한 시퀀스의 조각들은 서로 이어지는
    것(cat)이고, 시퀀스들은 배치의 서로 다른 샘플(stack)입니다.
    """
    raise NotImplementedError("batch_sequences")


def clamped_probabilities(logits: torch.Tensor, eps: float) -> torch.Tensor:
    """`torch.sigmoid(logits)`를 [eps, 1 - eps] 안으로 제한한 값으로(나중에 log가 0이나 1을 보지 않도록),
    미분할 수 있어야 합니다: 변화도는 clamp의 것입니다(값이 제한된 곳은 0, 나머지는 sigmoid의 변화도).

    제자리가 아닌 연산으로 작성하세요(`.clamp_(...)`가 아니라 `.clamp(...)`). 이름이 `_`로 끝나는 연산은 그
    텐서를 제자리에서 바꾸며, Autograd는 그중 일부를 거부합니다. `torch.sigmoid`는 역전파를 위해 *출력*을
    저장합니다(도함수가 p * (1 - p)입니다). 그 출력을 제자리에서 제한하면 저장된 값이 바뀌므로 `backward()`에서
    "one of the variables needed for gradient computation has been modified by an inplace operation"
    오류가 발생합니다. Autograd 모르게(`.data`를 거쳐) 값을 바꾸는 것은 더 나쁩니다: 오류 없이 틀린 변화도가
    나옵니다.
    """
    raise NotImplementedError("clamped_probabilities")


def sgd_step_(param: torch.Tensor, grad: torch.Tensor, lr: float) -> None:
    """`param` 자신에 대한 경사 하강 한 단계를 제자리에서 합니다: param <- param - lr * grad(반환값은 없습니다).

    `param`은 모델의 가중치처럼 변화도를 요구하는 잎(leaf) 텐서입니다. 모델(과 옵티마이저)은 바로 그 텐서를
    들고 있으므로, 새 텐서를 만들지 말고 그 메모리를 바꿔야 합니다: `param = param - lr * grad`는 지역 이름만
    다시 묶을 뿐이라 호출한 쪽의 텐서는 절대 바뀌지 않습니다. 변화도를 요구하는 잎 텐서에 제자리 연산
    (`param.sub_(lr * grad)` 또는 `param -= lr * grad`)을 쓰면 Autograd가 그 갱신을 기록해야 하므로
    "a leaf Variable that requires grad is being used in an in-place operation" 오류가 발생합니다.
    `optimizer.step()`처럼 `with torch.no_grad():` 안에서 하세요. 한 단계 뒤에도 `param`은 같은 메모리 위의
    같은 잎 텐서이고, 여전히 변화도를 요구합니다(그 뷰도 새 값을 봅니다).
    """
    raise NotImplementedError("sgd_step_")
