"""1.3 Autograd & 자동 미분 — requires_grad, 잎(leaf), backward, .grad, 누적, no_grad, detach, 사용자 정의 Function,
벡터-야코비안 곱(vector-Jacobian product)과 torch.func.

Autograd는 변화도(gradient)가 필요한 텐서(tensor)에 대한 모든 연산을 기록하고, 입력에서 결과까지 이어지는 그래프를
만듭니다. `loss.backward()`는 그 그래프를 거꾸로 따라가면서(연쇄 법칙(chain rule)) 각 **잎(leaf)** Tensor(연산의
결과가 아니라 여러분이 `requires_grad=True`로 직접 만든 Tensor)에 대한 `loss`의 변화도를 그 잎의 `.grad`에
*더합니다*.

Autograd 버그의 대부분은 다음 세 가지 사실에서 생깁니다:

- `.grad`는 **누적됩니다(accumulate)**: 두 번째 `backward()`는 이미 들어 있는 값에 더합니다.
  마이크로 배치(micro-batch)에 걸친 변화도 누적이 동작하는 것도, 학습 루프가 매 단계 전에 변화도를 0으로
  만들어야(`w.grad = None` 또는 `optimizer.zero_grad()`) 하는 것도 이 때문입니다.
- 잎만 `.grad`를 유지합니다. 중간(잎이 아닌) 텐서의 변화도는 `backward()` 전에 그 텐서에서 `.retain_grad()`를
  호출하거나 `torch.autograd.grad`로 요청하지 않으면 버려집니다.
- 매개변수(parameter) 갱신은 미분할 대상이 아닙니다: `with torch.no_grad():` 안에서 하세요.
  `.detach()`는 데이터는 공유하지만 그래프에서 잘려 나간 텐서를 반환합니다: 그 텐서를 통해서는 변화도가
  흐르지 않습니다. 몇몇 정확한 자리에서는 바로 이것이 필요하지만, 그 밖의 모든 곳에서는 조용한 버그가 됩니다.

Autograd의 공식으로는 원하는 결과를 얻을 수 없을 때(수치 안정성, straight-through 추정기(estimator), 융합(fused)
커널)는 `torch.autograd.Function`의 하위 클래스를 만들어 `forward`와 `backward`를 직접 작성하세요.
`backward`는 출력에 대한 손실(loss)의 변화도(`grad_output`)를 받아, `forward`의 각 입력에 대한 변화도를 반환해야
합니다: 거기서는 연쇄 법칙이 *여러분의* 몫입니다.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 1.3`을 실행하세요.
"""
from typing import Callable, Sequence

import torch


def grad_of(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """스칼라 `fn(x)`의 `x`에 대한 변화도로, `x`와 shape, dtype이 같은 텐서입니다.

    `x`는 받은 그대로 두세요: `requires_grad`를 켜지 말고, `.grad`에 쓰지도 마세요(호출한 쪽이 거기에 변화도를
    누적하고 있을 수 있습니다). `x`로 만든 새 잎에서 작업하거나, 어떤 `.grad`도 건드리지 않고 Autograd에
    변화도를 직접 요청하세요.
    예: `grad_of(lambda t: (t ** 2).sum(), torch.tensor([1., 2.]))`는 `tensor([2., 4.])`입니다.
    """
    raise NotImplementedError("grad_of")


def vector_jacobian_product(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
                            v: torch.Tensor) -> torch.Tensor:
    """v^T J: `x`에서 `fn`의 벡터-야코비안 곱으로, `x`와 shape, dtype이 같은 텐서입니다.

    `y = fn(x)`는 스칼라가 아니어도 됩니다. y의 야코비안(Jacobian) 행렬 J는 모든 쌍의 d y[i] / d x[j]를 담지만,
    역전파는 J를 만들지 않습니다. 역전파 한 번이 계산하는 것은 `y`와 shape가 같은 `v` 하나에 대한 v^T J, 즉 스칼라
    `(y * v).sum()`의 변화도입니다. 여기서 `v`는 뒤따르는 손실에서 전달된 "d loss / d y" 역할을 합니다. 그래서
    스칼라가 아닌 `y`에 `y.backward()`를 호출하면 거부됩니다(`grad can be implicitly created only for scalar
    outputs`). `v`를 직접 넘기거나(`y.backward(v)`) `torch.autograd.grad(y, leaf, grad_outputs=v)`로 요청하세요.
    예: `fn = lambda t: t.cumsum(0)`이고 `x`의 shape가 (3,)이면 J는 1로 채워진 하삼각 행렬이므로,
    `v = tensor([1., 0., 0.])`이면 `tensor([1., 0., 0.])`이, `v = tensor([0., 0., 1.])`이면 `tensor([1., 1., 1.])`이
    나옵니다.

    주의할 점: `fn(x).sum().backward()`는 v가 모두 1일 때의 v^T J일 뿐입니다. J v(야코비안-벡터 곱, 순방향 모드)는
    다른 값이며, J가 대칭이 아니면 결과가 달라집니다. `grad_of`에서처럼 `x`는 받은 그대로 두세요: `x`로 만든 새
    잎에서 작업하세요.
    """
    raise NotImplementedError("vector_jacobian_product")


def jacobian(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """`x`에서 `fn`의 야코비안 J 전체를 `torch.func.jacrev`로 만들어 반환합니다. shape는
    `fn(x).shape + x.shape`이고, 요소 `J[i..., j...]`는 d fn(x)[i...] / d x[j...]입니다(출력의 인덱스가 먼저).

    `vector_jacobian_product`는 역전파 한 번에 v^T J 하나를 얻을 뿐 J를 만들지 않습니다. J 자체가 필요할 때(작은
    함수, 민감도 표, 뉴턴 방법의 한 단계) `torch.func.jacrev(fn)(x)`는 VJP로 J를 만듭니다: J의 i번째 행은 원-핫
    벡터 v = e_i에 대한 VJP이고, jacrev는 역전파를 Python 반복문으로 여러 번 도는 대신 `vmap`으로 한꺼번에
    실행합니다. `torch.func.jacfwd(fn)(x)`는 순방향 모드의 야코비안-벡터 곱 J e_j로 같은 J를 열 단위로 만듭니다:
    x의 요소가 fn(x)보다 적으면 jacfwd를, 그렇지 않으면 jacrev를 고르세요.
    예: `fn = lambda t: t.cumsum(0)`이고 `x`의 shape가 (3,)이면 J는
    `tensor([[1., 0., 0.], [1., 1., 0.], [1., 1., 1.]])`이고, fn(x)와 shape가 같은 어떤 `v`에 대해서도
    `torch.tensordot(v, J, dims=v.dim())`은 `vector_jacobian_product(fn, x, v)`와 같습니다: J^T v가 곧 VJP입니다.

    주의할 점: 인덱스의 순서. 입력의 인덱스가 먼저 오는 J는 전치된 행렬이며, (n,)에서 (n,)으로 가는 함수에서는
    shape는 맞고 값은 틀립니다. `torch.func.grad`는 출력이 스칼라일 때만 씁니다: `fn(x).sum()`의 변화도는 J의 행을
    모두 더한 것이지 J가 아닙니다. `x`는 받은 그대로 두세요(torch.func는 `.grad`를 건드리지 않습니다).
    """
    raise NotImplementedError("jacobian")


def tanh_layer_grads(x: torch.Tensor, w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """h = x @ w, loss = tanh(h).sum()일 때 (d loss / d w, d loss / d h)를 반환합니다.

    `w`는 잎입니다(들어올 때 변화도를 요구할 수도, 요구하지 않을 수도 있으니 이것으로 직접 잎을 새로 만드세요).
    `h`는 잎이 아닙니다: `backward()` 전에 `h.retain_grad()`를 호출해야만(또는 `torch.autograd.grad`에 요청해야만)
    그 변화도가 남습니다. shape: x는 (n, i), w는 (i, j)이며, 두 결과의 shape는 각각 w, h와 같습니다.
    """
    raise NotImplementedError("tanh_layer_grads")


def accumulated_grad(w: torch.Tensor, xs: Sequence[torch.Tensor], ys: Sequence[torch.Tensor]) -> torch.Tensor:
    """변화도 누적: 마이크로 배치 손실들의 평균에 대한 변화도를 `w.grad`에 쌓아 갑니다.

    `w`는 `requires_grad=True`인 잎입니다(shape (d,)). `xs[k]`는 (n_k, d), `ys[k]`는 (n_k,)입니다.
    마이크로 배치 k의 손실은 `((xs[k] @ w - ys[k]) ** 2).mean()`이고, 변화도를 구하려는 손실은 이 K개 손실의
    평균입니다. 마이크로 배치들을 이어 붙이지 마세요(한꺼번에는 메모리에 들어가지 않는다고 가정합니다): 배치마다
    손실을 계산하고, K로 나눈 뒤 `backward()`를 호출해서 `.grad`가 기여분을 더해 가게 하세요.

    `w.grad`에는 이전 작업에서 남은 오래된 변화도가 들어 있을 수 있습니다: 먼저 지우고(`w.grad = None`), 반복문
    안에서는 다시 지우지 마세요. `w.grad`를 반환합니다.
    """
    raise NotImplementedError("accumulated_grad")


def sgd_fit(w0: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    """손실 ((x @ w - y) ** 2).mean()에 단순 경사 하강법(gradient descent)을 `steps`번 적용해 y ≈ x @ w를 맞춥니다.

    `w0`의 복사본을 담은 새 잎에서 시작하세요(`w0`는 수정하지 마세요). 각 단계에서는 손실을 계산하고, 역전파한
    다음, Autograd가 기록하지 않는 곳에서 `w`를 변화도의 `lr`배만큼 제자리(in-place)에서 옮기세요(변화도를 요구하는
    잎의 제자리 갱신은 Autograd가 기록하는 동안에는 거부되고, `w = w - lr * w.grad`는 `w`를 다음 단계에서 `.grad`가
    없는 잎이 아닌 텐서로 만들어 버립니다). 그다음 다음 단계를 위해 변화도를 지우세요.
    `w`를 반환합니다: 여전히 잎이고, 변화도를 요구하며, `grad_fn`이 없어야 합니다.
    """
    raise NotImplementedError("sgd_fit")


def straight_through_round(x: torch.Tensor) -> torch.Tensor:
    """순전파(forward)에서는 `x.round()`, 역전파(backward)에서는 항등 함수입니다(straight-through 추정기).

    `round`의 변화도는 거의 모든 곳에서 0이므로, 양자화(quantization)된 신경망은 이를 거쳐서는 결코 학습하지
    못합니다. 요령은 결과를 `x`에 보정값을 더한 것으로 쓰는 것입니다. 보정값은 결과를 정확히 `x.round()`로
    만들지만 Autograd에게는 상수이므로 d out / d x = 1이 됩니다. `detach`를 어디에 두느냐가 모든 것을 결정합니다.
    """
    raise NotImplementedError("straight_through_round")


class Softplus(torch.autograd.Function):
    """softplus_beta(x) = log(1 + exp(beta * x)) / beta를 구현하되, backward는 직접 작성합니다.

    `forward(ctx, x, beta)`: 단순한 공식은 오버플로(overflow)가 납니다(`exp(1000.)`은 inf입니다). 양수를 지수 함수에
    넣는 일이 없는, 값이 같은 안정적인 형태로 바꿔 써서 |x|가 커도 유한하고 정확한 값이 나오게 하세요.
    backward에 필요한 것은 `ctx.save_for_backward(...)`로 저장하세요(텐서만 저장합니다: 그래야 Autograd가
    backward 뒤에 이들을 해제하고, 이들에 대한 제자리 변경을 감지합니다). 일반 float인 `beta`는 `ctx.beta`로
    보관하세요.

    `backward(ctx, grad_output)`: softplus_beta를 x에 대해 직접 미분하고, `grad_output`과 곱한 다음(연쇄 법칙),
    `forward`의 입력마다 변화도를 하나씩 반환하세요: 텐서가 아니라 float인 `beta`에는 `None`을 반환합니다.
    """

    @staticmethod
    def forward(ctx, x: torch.Tensor, beta: float) -> torch.Tensor:
        raise NotImplementedError("Softplus")

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        raise NotImplementedError("Softplus")


def softplus(x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """여러분의 Function을 적용합니다: `Softplus.apply(x, beta)` (`forward`를 직접 호출하지 마세요)."""
    raise NotImplementedError("softplus")


def per_sample_grads(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    """샘플마다 그 샘플만의 손실에 대한 변화도를 모든 매개변수에 대해 구합니다: {이름: shape가 (N, *param.shape)인 텐서}.

    `model`은 분류기이고, `x` (N, ...)는 입력 N개로 이루어진 배치, `y` (N,)는 그 클래스 인덱스입니다. 샘플 i의
    손실은 `F.cross_entropy(model(x[i:i + 1]), y[i:i + 1])`이고, 각 결과의 [i] 항목은 그 손실 하나만의
    변화도입니다. 배치에 `loss.backward()`를 호출하면 배치 평균 손실의 변화도 하나만 나옵니다. 샘플별
    변화도(차등 프라이버시(differential privacy)에 쓰거나, 어떤 샘플이 한 단계를 좌우하는지 보려고 구합니다)는
    합쳐져 사라집니다.

    샘플을 도는 반복문으로도 되지만, 그러면 역전파를 N번 합니다. `torch.func`는 한 번에 합니다. 샘플 하나의
    손실을 매개변수의 함수 `sample_loss(params, xi, yi)`로 쓰고, 주어진 매개변수로 모델을 실행할 때는
    `torch.func.functional_call(model, params, (xi.unsqueeze(0),))`를 쓰세요(`params`는
    `model.named_parameters()`에서 얻은 것 같은 {이름: 텐서} 딕셔너리입니다). `torch.func.grad(sample_loss)`는
    d sample_loss / d params(params와 같은 꼴의 딕셔너리)를 반환하는 함수이고,
    `torch.func.vmap(..., in_dims=(None, 0, 0))`은 매개변수는 공유한 채(None: 매핑하지 않음) 그 함수를 `x`와 `y`의
    0번 차원을 따라 적용합니다.

    키: `model.named_parameters()`의 모든 이름. 모델은 받은 그대로 두세요: 매개변수와 그 `.grad`, 그리고
    모드(학습 또는 평가)를 바꾸면 안 됩니다(torch.func는 `.grad`를 건드리지 않지만, backward()를 호출하는 반복문은
    건드립니다).
    """
    raise NotImplementedError("per_sample_grads")
