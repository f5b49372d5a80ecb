"""2.3 손실 함수(loss function)와 옵티마이저(optimizer) — 직접 작성한 뒤 torch의 것과 비교합니다.

`nn.MSELoss`, `nn.CrossEntropyLoss`, `torch.optim.SGD`, `torch.optim.Adam`은 각각 몇 줄짜리 산술
연산입니다. 직접 작성해 보면 옵션들(`reduction`, `ignore_index`, `label_smoothing`, `momentum`,
Adam의 편향 보정)이 무슨 뜻인지, 수치적인 함정이 어디에 있는지 알게 됩니다:
float32에서 `exp(1000.)`은 `inf`이므로, 소프트맥스(softmax)는 먼저 최댓값을 빼야 합니다.

torch 텐서(tensor) 연산만 사용하세요(코드 안에서 `torch.nn.functional`의 손실 함수나 `torch.optim`을 쓰지
마세요: 채점기가 여러분의 결과를 바로 그것들과 비교합니다). 각 `raise NotImplementedError`를 여러분의
코드로 바꾼 다음 `ptgrade check 2.3`을 실행하세요.
"""
from __future__ import annotations

import torch


def mse_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """`nn.MSELoss(reduction=...)`와 같은 평균제곱오차(mean-squared error)입니다.

    차이의 제곱 (prediction - target) ** 2를 구한 다음: "mean"은 모든 요소의 평균(0-d Tensor),
    "sum"은 합(0-d)을 반환하고, "none"은 축소하지 않은 그대로(prediction의 shape) 반환합니다.
    """
    raise NotImplementedError("mse_loss")


def log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """`dim`을 따라 구한 log(softmax(logits))로, 수치적으로 안정적이어야 합니다.

    log softmax(x)_i = x_i - log(sum_j exp(x_j)). `exp`를 그대로 계산하면 float32에서는 로짓(logit)이
    100 정도만 돼도 inf로 넘쳐서(한계는 89) nan이 나옵니다. `dim`을 따라 모든 로짓에서 같은 상수를 빼도
    softmax는 바뀌지 않습니다: 어떤 exp도 양수를 받지 않도록 그 상수를 고르세요. 로짓이 수천 단위여도
    정확해야 합니다. 텐서 연산으로 작성하세요: torch의
    `F.log_softmax` / `torch.log_softmax` / `Tensor.log_softmax`(또는 torch의 어떤 softmax든)는 채점기가
    여러분의 결과와 비교하는 기준이므로 여기서는 쓸 수 없습니다.
    """
    raise NotImplementedError("log_softmax")


def cross_entropy(logits: torch.Tensor, target: torch.Tensor, ignore_index: int = -100,
                  label_smoothing: float = 0.0) -> torch.Tensor:
    """(N, C) 로짓과 (N,) int64 클래스 인덱스 사이의 교차 엔트로피(cross-entropy)로, 기본 평균
    축소를 쓰는 `nn.CrossEntropyLoss(ignore_index=..., label_smoothing=...)`와 같습니다.

    클래스가 y = target[n]이고 로그 확률이 lp = log_softmax(logits[n])인 각 행 n에 대해:
        loss_n = -(1 - label_smoothing) * lp[y] - label_smoothing * mean_c(lp[c])
    (레이블 스무딩(label smoothing)은 One-Hot 정답을, 정답 클래스를 포함한 C개 클래스 전체의 균등
    분포와 섞습니다.) 정답이 `ignore_index`인 행(예: 패딩)은 전혀 반영되지 않습니다: 결과는 나머지
    행들에 대한 loss_n의 평균입니다. 여러분의 `log_softmax`를 사용하세요(`F.cross_entropy`, `F.nll_loss`,
    `nn.CrossEntropyLoss`, torch의 log_softmax는 쓰지 마세요).
    `ignore_index`는 유효한 클래스가 아니므로 절대 그것으로 로그 확률을 인덱싱하지 마세요.
    """
    raise NotImplementedError("cross_entropy")


def sgd_momentum_step(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                      momentum: float, weight_decay: float = 0.0) -> None:
    """모멘텀(momentum)을 쓰는 SGD 한 단계를 제자리(in-place)에서 수행하며,
    `torch.optim.SGD(params, lr, momentum, weight_decay=weight_decay)`(dampening 0, Nesterov 아님)와
    정확히 같아야 합니다.

    각 매개변수(parameter) p(그 변화도(gradient)는 p.grad)와 그 속도 v(p와 shape가 같은 텐서로,
    여러분이 제자리에서 갱신합니다. 호출하는 쪽에서 0으로 시작합니다)에 대해:
        g = p.grad + weight_decay * p
        v = momentum * v + g
        p = p - lr * v
    p와 v는 Autograd를 끈 채 *제자리에서* 갱신하세요: 이름을 다시 바인딩하면(`p = p - ...`) 함수 밖에서는 아무것도 바뀌지 않고, `requires_grad=True`인
    매개변수를 제자리에서 바꾸는 것은 Autograd를 끄지 않는 한 오류입니다.
    """
    raise NotImplementedError("sgd_momentum_step")


def adam_step(params: list[torch.Tensor], exp_avgs: list[torch.Tensor], exp_avg_sqs: list[torch.Tensor],
              step: int, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
              weight_decay: float = 0.0) -> None:
    """Adam 한 단계를 제자리에서 수행하며, `torch.optim.Adam(params, lr, betas, eps, weight_decay)`와
    정확히 같아야 합니다.

    `step`은 이번 단계의 번호로, 1부터 시작합니다. 변화도가 p.grad인 각 매개변수 p와 그 모멘트
    추정값 m(exp_avgs), v(exp_avg_sqs)에 대해(둘 다 제자리에서 갱신하며, 0에서 시작합니다):
        g = p.grad + weight_decay * p            (Adam의 L2 페널티, AdamW라면 p를 직접 감쇠시킵니다)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** step)          (편향 보정: m과 v가 0에서 시작하기 때문입니다)
        v_hat = v / (1 - beta2 ** step)
        p = p - lr * m_hat / (sqrt(v_hat) + eps) (eps는 제곱근 바깥에 둡니다)
    """
    raise NotImplementedError("adam_step")


def bce_with_logits(logits: torch.Tensor, target: torch.Tensor,
                    pos_weight: torch.Tensor | None = None) -> torch.Tensor:
    """원시 점수(로짓)와 [0, 1] 범위의 정답 사이의 이진 교차 엔트로피(binary cross-entropy)입니다.
    기본값인 모든 요소에 대한 평균으로, `nn.BCEWithLogitsLoss(pos_weight=pos_weight)`와 같습니다.

    요소마다, p = sigmoid(x)를 양성 클래스로 예측한 확률이라 하면:
        loss = -(w * y * log(p) + (1 - y) * log(1 - p))
    이고, w = pos_weight입니다(None이면 1, 텐서이면 마지막 축에 맞춰 브로드캐스트되어 출력마다
    가중치가 하나씩 붙고, w > 1이면 양성을 더 크게 셉니다). 합쳐진(fused) 형태가 있는 이유: float32에서
    x가 약 17을 넘으면 sigmoid(x)는 정확히 1.0으로 반올림되므로 log(1 - p)는 log(0) = -inf가 되고,
    포화된 sigmoid를 지나는 변화도는 0이 됩니다(`nn.BCELoss`는 유한한 값을 유지하려고 log를 -100에서
    자르지만, 그래도 틀린 값입니다). x로 직접 쓰면 log(p)와 log(1 - p)는 큰 양수의 exp가 필요 없으므로,
    손실과 그 변화도가 +-100 이상의 로짓에서도 정확합니다. 그런 로짓에서도 정확해야 하고, 변화도도
    torch의 것과 같아야 합니다.
    """
    raise NotImplementedError("bce_with_logits")


def warmup_cosine_schedule(optimizer: torch.optim.Optimizer, warmup_steps: int, total_steps: int,
                           min_lr_ratio: float = 0.0) -> torch.optim.lr_scheduler.LRScheduler:
    """`optimizer`를 위한 `torch.optim.lr_scheduler`의 스케줄러입니다: 선형 워밍업(warm-up) 다음에
    코사인 감쇠가 이어지며, 배치마다 한 번씩(모든 `optimizer.step()` 뒤에 `scheduler.step()`) 호출됩니다.

    `scheduler.step()`을 t번 호출한 뒤(첫 배치 전에는 t = 0) 모든 매개변수 그룹(param group)의 lr은
    base_lr * f(t)입니다. base_lr은 스케줄러를 만들 때 그 그룹의 lr이고, r = min_lr_ratio입니다:
        f(t) = t / warmup_steps                          (t < warmup_steps일 때)
        f(t) = r + (1 - r) * (1 + cos(pi * s)) / 2       (t >= warmup_steps일 때),
               s = min(1, (t - warmup_steps) / (total_steps - warmup_steps))
    즉 lr은 처음 warmup_steps개의 배치 동안 0에서 base_lr까지 오르고, 코사인의 절반을 따라
    t = total_steps에서 r * base_lr까지 내려간 뒤 그대로 머뭅니다. `scheduler.get_last_lr()`도 같은 값을
    알려줍니다. (이 함수에서만 `torch.optim`을 쓰세요: 그 스케줄러를 다루는 것이 과제입니다.)
    """
    raise NotImplementedError("warmup_cosine_schedule")


def train_with_schedule(model: torch.nn.Module, batches: list[tuple[torch.Tensor, torch.Tensor]], epochs: int,
                        lr: float, warmup_steps: int) -> list[float]:
    """`model`을 제자리에서 학습합니다: `batches`((x, y) 쌍의 리스트)를 `epochs`번 돌며,
    model(x)와 y의 평균제곱오차에 `torch.optim.SGD(model.parameters(), lr=lr)`를 쓰고,
    `warmup_cosine_schedule(optimizer, warmup_steps, total_steps)`를 적용합니다. total_steps는 전체
    학습의 배치 수입니다(min_lr_ratio는 0). 스케줄은 에폭이 아니라 배치를 셉니다.
    배치마다 옵티마이저 단계를 한 번, 그 배치의 변화도만으로 진행합니다. 변화도는 backward()를 호출할 때마다
    누적되므로 각 backward() 전에 (`optimizer.zero_grad()`로) 지우세요.

    각 배치를 학습할 때 쓴 학습률을 순서대로 반환합니다(옵티마이저 단계마다 float 하나).
    """
    raise NotImplementedError("train_with_schedule")
