"""4.1 torch.compile — 그래프, 그래프 중단, 동적 shape, 그리고 올바른 시간 측정.

`torch.compile(model_or_function)`은 래퍼(wrapper)를 반환합니다. 이 래퍼가 처음 호출되면
TorchDynamo가 Python 바이트코드를 읽고, 텐서(tensor) 연산을 FX 그래프로 기록한 뒤, 그 그래프를
*백엔드(backend)*에 넘깁니다. 백엔드는 "inductor"(기본값: 융합된 C++/Triton 커널을 생성합니다),
"aot_eager"(순전파(forward)와 역전파(backward)를 추적하지만 연산은 평소처럼 실행합니다: 모델이
컴파일되는지 확인하기에 좋습니다), "eager"(캡처한 그래프를 그대로 실행합니다)가 있습니다. 이후의
호출은 *가드(guard)*(shape, dtype, Python 값에 대한 가정)가 유지되는 한 컴파일된 코드를 재사용하고,
그렇지 않으면 다시 컴파일합니다.

**그래프 중단(graph break).** Dynamo는 그래프에 넣을 수 없는 것을 만나면 그래프를 멈추고, 그
부분을 일반 Python으로 실행한 뒤 그 다음부터 새 그래프를 시작합니다. 결과는 올바르지만 더 느리고
덜 융합됩니다. 흔한 원인: `.item()` / `.tolist()`(텐서가 Python 숫자가 됩니다), 텐서 값에 대한
`if`(`if x.sum() > 0:` — 분기가 데이터에 따라 달라집니다), `print`, 그리고 PyTorch가 아닌 라이브러리
호출. `torch._dynamo.explain(fn)(*args)`가 이를 알려 주고(`graph_break_count`, `break_reasons`),
`torch.compile(..., fullgraph=True)`는 모든 그래프 중단을 오류로 바꿉니다. 데이터에 의존하는 `if`는
`torch.where(condition, a, b)`로 없애고(양쪽을 모두 계산한 뒤 그래프 안에서 하나를 고릅니다),
`.item()`을 호출하는 대신 숫자를 0차원 텐서로 유지하세요.

**동적 shape(dynamic shapes).** 그래프는 처음에는 본 그대로의 shape에 맞춰 컴파일됩니다. 새 배치
크기는 shape 가드를 통과하지 못해 재컴파일을 일으킵니다(두 번째에는 Dynamo가 그 차원이 동적이라고
추측하고 한 번 더 컴파일합니다). 입력에 `torch._dynamo.mark_dynamic(x, 0)`을 호출해 0번 차원이
변한다고 미리 알려 주면, 한 번의 컴파일로 모든 배치 크기를 처리합니다(크기 0과 1은 여전히 특별하게
취급됩니다).

**시간 측정.** 컴파일된 모델의 처음 몇 번의 호출에는 컴파일(몇 초에서 몇 분)이 포함되므로 대표성이
없습니다. 워밍업을 한 다음 여러 번의 호출을 측정하고, CUDA에서는 시계를 읽기 전에
`torch.cuda.synchronize()`를 호출하세요(커널은 비동기로 실행되므로, 그러지 않으면 커널이 끝나기
전에 시계가 멈춥니다).

**프로파일링(profiling).** 무엇이든 컴파일하기 전에, 한 단계의 시간이 어디에 쓰이는지부터 알아내세요.
`torch.profiler.profile(activities=[ProfilerActivity.CPU], record_shapes=True)`는 `with` 블록 안에서
실행되는 모든 연산자(`aten::addmm`, `aten::tanh`, ...)를 기록하고, `record_shapes=True`이면 입력의
shape도 함께 기록합니다. `torch.profiler.record_function("name")`은 코드의 한 부분을 여러분이 붙인
이름표(label)가 달린 구간으로 감싸므로, 어떤 연산이 순전파에서, 어떤 연산이 역전파에서 실행되었는지
프로파일에 나타납니다. `prof.key_averages()`는 이벤트를 이름별로 묶습니다. 각 행에는 `key`, `count`,
`self_cpu_time_total`(그 연산 자체에 쓴 시간), `cpu_time_total`(그 연산과 그 연산이 호출한 모든 것)이
있습니다. 시간은 실행할 때마다 달라지지만, 횟수와 shape는 달라지지 않습니다.

**저장.** 컴파일된 모듈은 원래 모듈을 `_orig_mod`로 감싼 `OptimizedModule`이므로, 그
`state_dict()`의 키는 `_orig_mod.`로 시작하고 일반 모델에는 불러올 수 없습니다. 원래 모듈을
저장하세요.

CPU에서 기본 백엔드는 C++ 컴파일러가 필요하며(없으면 `InvalidCxxCompiler`), 첫 컴파일에 시간이
꽤 걸립니다. 각 `raise NotImplementedError`를 바꾸고 `ptgrade check 4.1`을 실행하세요.
"""
import time

import torch
from torch import nn
from torch.nn import functional as F
from torch.profiler import ProfilerActivity, profile, record_function


def compile_model(model: nn.Module, backend: str = "inductor") -> nn.Module:
    """`model`을 `torch.compile`과 주어진 `backend`(이름 또는 호출 가능한 백엔드)로 컴파일하고, 컴파일된
    모듈을 반환합니다. `model`과 정확히 같은 것을 계산해야 합니다."""
    raise NotImplementedError("compile_model")


def compile_function(fn, backend: str = "inductor"):
    """일반 함수 `fn`을 주어진 `backend`와 `fullgraph=True`로 컴파일합니다. 그러면 `fn`에 그래프
    중단이 있을 때, 조용히 여러 그래프로 나누는 대신 컴파일된 함수를 호출하는 순간 오류가 납니다."""
    raise NotImplementedError("compile_function")


def count_graph_breaks(fn, *args) -> int:
    """`fn(*args)`가 실행될 때 TorchDynamo가 찾아내는 그래프 중단의 수:
    `torch._dynamo.explain(fn)(*args)`를 사용하세요. (중단이 하나인 함수는 그래프 두 개로 캡처됩니다.)"""
    raise NotImplementedError("count_graph_breaks")


class BreakyNet(nn.Module):
    """eager 모드에서는 동작하지만 torch.compile에서는 그래프를 세 번 중단시키는 모델."""

    def __init__(self, features: int = 8, hidden: int = 16):
        super().__init__()
        self.proj = nn.Linear(features, hidden)
        self.head = nn.Linear(hidden, features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.tanh(self.proj(x))
        scale = h.abs().max().item()          # 그래프 중단: 텐서가 Python float이 됩니다
        h = h / (scale + 1e-6)
        print("평균 활성값:", h.mean())       # 그래프 중단: print
        if h.sum() > 0:                       # 그래프 중단: 분기가 데이터에 따라 달라집니다
            return self.head(h)
        return self.head(-h)


class SmoothNet(BreakyNet):
    """*하나의* 그래프로(`fullgraph=True`, 그래프 중단 0개) 컴파일되도록 다시 쓴 BreakyNet.

    생성자와 매개변수(parameter)는 BreakyNet과 같고(`super().__init__(features, hidden)`을 호출하세요),
    BreakyNet이 어느 분기를 택하든 모든 입력에 대해 출력도 같아야 합니다. 분기는 요소별로가 아니라
    Tensor `h` *전체*의 합으로 정해집니다. `.item()`, `print`, 텐서 값에 대한 `if`는 쓰지 마세요.
    """

    def __init__(self, features: int = 8, hidden: int = 16):
        raise NotImplementedError("SmoothNet")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("SmoothNet")


def predict_batches(model: nn.Module, batches: list[torch.Tensor], backend: str = "inductor") -> list[torch.Tensor]:
    """`model`을 (`backend`로) 한 번 컴파일하고 `batches`의 각 텐서에 대한 출력을 반환합니다.

    배치들은 0번 차원의 크기가 서로 다릅니다(각각 2 이상). 호출 전체에 드는 컴파일은 새 배치 크기마다
    한 번이 아니라 정확히 *한 번*이어야 합니다. 첫 호출 전에 입력의 0번 차원이 바뀐다는 것을
    컴파일러에게 알려 주세요.
    """
    raise NotImplementedError("predict_batches")


def eager_state_dict(model: nn.Module) -> dict:
    """`model`이 컴파일되었든 아니든, 일반 모듈의 키를 가진 `model`의 state_dict. 컴파일하지 않은 새
    인스턴스(instance)에 `load_state_dict(..., strict=True)`로 불러올 수 있어야 합니다.
    (컴파일된 모듈 자신의 state_dict는 모든 키 앞에 `_orig_mod.`가 붙습니다.)"""
    raise NotImplementedError("eager_state_dict")


def benchmark(fn, warmup: int = 3, iters: int = 20, timer=time.perf_counter) -> float:
    """`fn()`(인자 없음) 한 번 호출의 평균 시간(초)을 올바르게 측정합니다.

    먼저 `fn()`을 시간을 재지 않고 `warmup`번 호출하고(컴파일과 캐시는 여기서 일어납니다), 이어지는
    `iters`번의 호출을 `timer()`로 측정하세요(시계는 이 인자로만 읽으세요: 채점기(grader)가 가짜 시계를
    넘겨줍니다). `fn`은 정확히 `warmup + iters`번 호출해야 합니다. `torch.cuda.is_available()`이면
    호출들을 마친 뒤, 그 뒤에 시계를 읽을 때마다 그 전에 `torch.cuda.synchronize()`를 호출하세요.
    Python float을 반환합니다.
    """
    raise NotImplementedError("benchmark")


def compare_compile_speed(model: nn.Module, example: torch.Tensor, modes=("default", "reduce-overhead"),
                          warmup: int = 3, iters: int = 20, timer=time.perf_counter,
                          backend: str = "inductor") -> list[dict]:
    """`model`을 컴파일하면 정말 빨라질까요? eager 모드와 `modes`의 각 모드로 컴파일했을 때
    `model(example)` 한 번 호출에 걸리는 시간, 그리고 각각이 eager보다 몇 배 빠른지(speed-up)를 구합니다.

    컴파일 모드(mode)는 백엔드에 무엇을 최적화할지 알려 줍니다: "default"(융합된 커널),
    "reduce-overhead"(CUDA에서는 CUDA 그래프: 커널들의 순서 전체를 한 번 기록해 두고 한 번의 실행(launch)으로
    다시 재생합니다. 작은 연산이 많아 커널 실행 오버헤드가 시간을 차지하는 모델에서 효과가 큽니다),
    "max-autotune"(여러 커널 설정을 시험해 가장 빠른 것을 고릅니다. 컴파일이 가장 오래 걸립니다).

    `model`은 모드마다 한 번씩, `backend`와 그 모드로 컴파일하되 `model` 자체는 컴파일하지 않은 채로
    두세요. eager(`model` 자체)와 컴파일된 각 버전을 같은 `example`로, 변화도 없이, 여러분이 만든
    `benchmark(fn, warmup, iters, timer)`로 측정하세요: 컴파일은 시간을 재지 않는 워밍업에서 일어나야
    합니다. 측정마다 행(row) 하나를 반환합니다. eager가 먼저, 그다음 주어진 순서대로의 모드입니다:
    `{"mode": "eager" 또는 그 모드, "seconds": 호출 한 번의 시간(초), "speedup": eager보다 몇 배
    빠른지}` (eager 자신의 speed-up은 1.0이고, 1.0보다 작으면 eager보다 느리다는 뜻입니다).

    이 파일을 실행하면(`python exercises/ko/s4_1_compile.py`) 여러분의 컴퓨터에서 커널 실행 오버헤드가 큰
    모델에 대한 비교 결과를 읽을 수 있습니다.
    """
    raise NotImplementedError("compare_compile_speed")


def profile_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                 optimizer: torch.optim.Optimizer) -> torch.profiler.profile:
    """`model`의 학습 단계 하나를 CPU에서 프로파일링하고 프로파일러를 반환합니다.

    `with torch.profiler.profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:` 안에서
    `optimizer.zero_grad()`, `loss = F.mse_loss(model(x), y)`, `loss.backward()`, `optimizer.step()` 단계를
    진행하되, 여러분의 이름표 세 개(`torch.profiler.record_function`)를 붙이세요: 순전파와 손실 계산을
    감싸는 "forward", `loss.backward()`를 감싸는 "backward", `optimizer.step()`을 감싸는
    "optimizer_step". `prof`를 반환하세요(`with` 블록이 닫힌 뒤에).

    예: `nn.Linear` 계층 세 개로 된 모델이면 `prof.key_averages()`에 "forward" 행이 하나 있고, 그 안에서
    `aten::addmm`이 3번(계층마다 한 번), "backward" 안에는 변화도를 구하는 `aten::mm`이 기록됩니다.
    주의: 이름표 밖에서 실행된 연산은 그 이름표 아래로 세지 않습니다(`with` 블록을 중첩하세요).
    `record_shapes=True`가 없으면 프로파일에 입력 shape가 남지 않습니다.
    """
    raise NotImplementedError("profile_step")


def dominant_op(prof) -> str:
    """`prof.key_averages()`의 행 중에서 SELF CPU 시간(`self_cpu_time_total`)이 가장 큰 행의 이름(`key`):
    스스로 가장 많은 시간을 쓴 연산자, 곧 한 단계의 시간이 쓰이는 곳입니다.

    `cpu_time_total`이 아닙니다: 연산의 total에는 그 연산이 호출한 모든 것이 들어가므로, 단계 전체를 감싼
    이름표나 `aten::addmm`을 감싼 `aten::linear`는 언제나 그 안에서 실행된 것 이상의 total을 가지며 아무것도
    알려 주지 않습니다. 가장 자주 호출된 행(`count`)도 아닙니다: 아주 작은 연산 천 개가 큰 행렬 곱 하나보다
    시간이 덜 걸릴 수 있습니다. 예: 768 x 768 행렬 곱 하나와 작은 계층 열두 개로 된 단계라면 "aten::mm"입니다.
    """
    raise NotImplementedError("dominant_op")


if __name__ == "__main__":
    class LaunchBound(nn.Module):
        """작은 텐서에 대한 아주 작은 요소별 연산이 많은 모델: eager 모드는 연산마다 커널을 하나씩
        실행하므로, 계산이 아니라 커널 실행이 시간을 차지합니다."""

        def forward(self, x):
            for step in range(32):
                x = torch.sin(x) * 0.9 + 0.01 * step
            return x

    def row_of(*cells):
        """표의 한 줄: (텍스트, 너비) 칸마다 그 너비까지 공백을 채웁니다(너비가 음수면 왼쪽 정렬). 글자마다
        터미널이 차지하는 칸 수로 셉니다: 한글처럼 넓은 글자는 두 칸입니다."""
        import unicodedata
        line = ""
        for text, width in cells:
            columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
            padding = " " * max(0, abs(width) - columns)
            line += text + padding if width < 0 else padding + text
        return line

    cuda = torch.cuda.is_available()
    modes = ("default", "reduce-overhead") if cuda else ("default",)  # CUDA 그래프는 CUDA에서만 쓸 수 있습니다
    rows = compare_compile_speed(LaunchBound(), torch.randn(256, device="cuda" if cuda else "cpu"),
                                 modes=modes, warmup=5, iters=100)
    print(row_of(("모드", -16), ("호출당 ms", 12), ("속도 향상", 10)))
    for row in rows:
        print(row_of((row["mode"], -16), (f"{row['seconds'] * 1e3:.3f}", 12), (f"{row['speedup']:.2f}x", 10)))
