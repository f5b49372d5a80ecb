"""1.1 PyTorch 소개 및 설치 — 무엇을 설치했는지, 그리고 그것으로 무엇을 쓸 수 있는지 알아봅니다.

PyTorch는 자동 미분(automatic differentiation)과 GPU 지원을 갖춘 텐서(tensor) 라이브러리로, 평범한 Python 코드에서
그대로 사용합니다. PyTorch를 가장 잘 보여 주는 설계 선택은 **즉시 실행(eager execution)**입니다: Python이 각 줄에
닿는 순간 그 줄이 실행되므로, 모델을 `print`와 `pdb`로 디버깅하고 제어 흐름(control flow)도 평범한 `if`와 `for`로
작성합니다. TensorFlow 1은 반대 길을 택했습니다(정적 그래프를 먼저 만든 다음 세션(session)에서 실행). TensorFlow 2는
즉시 실행을 기본값으로 바꾸고 `tf.function`으로 그래프를 되찾습니다. PyTorch는 거꾸로 갔습니다: 즉시 실행이
먼저이고, 그래프는 필요할 때 `torch.compile`과 `torch.export`로 얻습니다(항목 4.1과 4.3). 생태계도 다릅니다:
PyTorch에는 torchvision(이미지), torchaudio(오디오, 지금은 유지보수 모드이며 입출력(I/O)은 TorchCodec으로 옮겨
갔습니다), Hugging Face `transformers`, PyTorch Lightning, 그리고 대부분의 연구 코드가 있습니다. TensorFlow에는
Keras, TFX, 그리고 배포를 위한 TF Serving과 TF Lite/LiteRT가 있습니다. 둘 다 ONNX로 내보낼(export) 수 있습니다.

설치: `pip install torch torchvision`을 실행하면 여러분의 플랫폼에 맞는 빌드가 설치됩니다. CUDA 빌드의 torch
(`torch.version.cuda`에 값이 있음)도 NVIDIA GPU나 드라이버가 없는 컴퓨터에서는 CPU로 실행됩니다. 즉 "CUDA로
빌드됨"이 "CUDA 사용 가능"을 뜻하지는 않습니다: `torch.cuda.is_available()`에 물어보세요. Apple silicon에서는
GPU가 `mps` 장치(device)입니다(`torch.backends.mps.is_available()`).

이 항목에서는 버그 리포트에 붙여 넣을 보고서를 작성합니다: 버전, 어떤 가속기가 있는지, 그리고 코드가 어느 장치를
써야 하는지를 담습니다. 선택 패키지는 설치되어 있지 않을 수 있습니다: 그럴 때는 `None`으로 보고하고, 절대로
프로그램이 멈추지(crash) 않게 하세요. 그다음 즉시 실행과 그래프의 차이를 코드로 확인합니다: 데이터에 대한 `if`가
있는 함수를 한 번은 추적(trace)으로(분기 하나만 남습니다), 한 번은 `torch.export`와 `torch.cond`로(두 분기가
모두 남습니다) 그래프에 담습니다.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 1.1`을 실행하세요.
"""
from typing import Callable

import torch


def package_version(name: str) -> str | None:
    """가져올(import) 수 있는 패키지의 버전을 `__version__` 문자열로 반환하고, 패키지가 없으면 None을 반환합니다.

    함수가 실행될 때 패키지를 이름으로 가져오세요. 가져오는 중에 `ImportError`가 발생하면
    (`ModuleNotFoundError`도 그중 하나입니다) None을 반환합니다. 그렇지 않으면 그 `__version__`을 str로
    반환합니다. 예를 들어 `package_version("torch")`는 `torch.__version__`과 같은 문자열입니다.
    """
    raise NotImplementedError("package_version")


def best_device() -> torch.device:
    """이 컴퓨터에서 가장 좋은 장치입니다: `torch.cuda.is_available()`가 True이면 CUDA, 아니고
    `torch.backends.mps.is_available()`가 True이면 MPS, 둘 다 아니면 CPU. `torch.device("cuda")`, `"mps"` 또는
    `"cpu"`를 반환하세요.

    함수가 호출될 때, 이 두 함수를 통해 판단하세요(채점기(grader)는 여러분에게 없는 컴퓨터를 시험하려고 두 함수의
    답을 가짜로 바꿉니다). `torch.version.cuda`로 판단하면 *안 됩니다*: 이 값은 torch가 어떻게 빌드되었는지를 알려 줄
    뿐, GPU가 있는지는 알려 주지 않습니다.
    """
    raise NotImplementedError("best_device")


def environment_report() -> dict:
    """이 설치 환경을 설명하는 dict로, 정확히 다음 키(key)를 가집니다:

    - "python": Python 버전, `platform.python_version()`, 예: "3.12.3"
    - "torch", "torchvision", "torchaudio": 각 패키지의 `package_version(...)` (설치되지 않았으면 None)
    - "cuda_built": `torch.version.cuda`, torch를 빌드할 때 사용한 CUDA 버전 (CPU 빌드이면 None)
    - "cuda_available": bool, `torch.cuda.is_available()`
    - "mps_available": bool, `torch.backends.mps.is_available()`
    - "device_count": CUDA 장치의 개수, int (CUDA를 사용할 수 없으면 0)
    - "device_names": 각 CUDA 장치 i의 `torch.cuda.get_device_name(i)`를 순서대로 담은 list
      (CUDA를 사용할 수 없으면 []: 그때는 이름을 묻지 마세요. 예외가 발생합니다)
    - "best_device": `best_device().type`, str: "cuda", "mps" 또는 "cpu"
    """
    raise NotImplementedError("environment_report")


def smoke_test(device: torch.device) -> torch.Tensor:
    """`device`가 실제로 계산하는지 증명합니다: x = [[0, 1, 2], [3, 4, 5]] (float32)를 처음부터 `device` *위에*
    만들고(CPU에서 만든 뒤 옮기지 말고), `x @ x.T`를 그 장치에 그대로 둔 채 반환하세요.
    제대로 동작하는 컴퓨터라면 값은 [[5, 14], [14, 50]]입니다.
    """
    raise NotImplementedError("smoke_test")


# -- eager execution against a captured graph ---------------------------------------------------

def scale_by_sign(x: torch.Tensor) -> torch.Tensor:
    """주어진 함수입니다(여기에는 쓸 것이 없습니다): 텐서 값에 대한 Python `if`가 있는 즉시 실행 PyTorch 코드입니다.

    `x`의 요소 합이 0보다 크면 `x`를 두 배로, 아니면 부호를 뒤집습니다. 즉시 실행에서는 호출할 때마다 `if`가
    실행되므로 입력마다 자기 분기를 지납니다: `scale_by_sign(torch.tensor([1., 2.]))`는 `tensor([2., 4.])`,
    `scale_by_sign(torch.tensor([-1., -2.]))`는 `tensor([1., 2.])`입니다.
    """
    if x.sum() > 0:
        return x * 2
    return -x


def trace_graph(fn: Callable[[torch.Tensor], torch.Tensor], example: torch.Tensor) -> Callable:
    """`fn`을 `example`로 추적(trace)해 그래프로 담아 `torch.jit.trace(fn, (example,))`를 반환합니다. 반환값은
    `example`과 shape가 같은 어떤 입력에든, `fn`이 `example`에서 실행한 텐서 연산을 다시 실행하는 호출 가능한
    객체입니다.

    추적은 연산을 기록할 뿐, 그 연산을 고른 Python 코드는 기록하지 않습니다. `scale_by_sign`의 `if`는 추적하는 동안
    `example`에 대해 한 번만 실행됩니다. 그래프에는 `example`이 지나간 분기만 남고, 이후의 모든 입력에 그 분기가
    다시 실행됩니다. 즉시 실행이라면 다른 분기로 갈 입력도 마찬가지입니다. `torch.ones(3)`으로 추적한 그래프는
    `torch.tensor([-1., -2., -3.])`을 두 배로 만들어 `tensor([-2., -4., -6.])`을 내지만, 즉시 실행은
    `tensor([1., 2., 3.])`을 냅니다. torch.jit.trace는 이를 경고합니다
    (`Converting a tensor to a Python boolean might cause the trace to be incorrect`): 그 경고가 이 과제의
    교훈입니다.

    TensorFlow 2도 추적합니다: `tf.function`은 새로운 입력 시그니처마다 Python 함수를 한 번 실행해 그래프를 만들어
    둡니다. AutoGraph가 텐서에 대한 `if`를 `tf.cond`로 바꾸므로 두 분기가 모두 그래프에 남습니다. 고정되는 것은
    Python 값(Python bool이나 int 인자, Python 전역 변수)이며, 새로운 Python 값이나 입력 shape가 오면 다시
    추적합니다. PyTorch의 새로운 그래프 캡처는 짐작하는 대신 거부합니다: `torch.fx.symbolic_trace`는
    `TraceError`("symbolically traced variables cannot be used as inputs to control flow")를 발생시키고,
    `torch.export.export`는 데이터에 따른 분기에서 예외를 발생시키며 `torch.cond`를 쓰라고 합니다(다음 함수).
    `torch.compile`(항목 4.1)은 `if`에서 그래프를 나누고(graph break) Python이 결정하게 하므로, 즉시 실행처럼
    데이터를 따릅니다.

    `torch.jit.trace`는 이 버전의 PyTorch(2.14)에서 지원 중단(deprecated)되었습니다: 경고를 내고
    torch.compile과 torch.export를 안내합니다. 여기서 쓰는 까닭은 추적이 무엇을 하는지 분명히 보여 주기
    때문이며, 항목 4.3에서 다시 다룹니다. 주의할 점: 직접 만든 텐서가 아니라 `example` 자체로 추적하세요. 기록되는
    분기는 추적할 때 넣은 입력의 분기입니다.
    """
    raise NotImplementedError("trace_graph")


def export_scale_by_sign(example: torch.Tensor) -> torch.export.ExportedProgram:
    """그래프가 두 분기를 모두 유지해 즉시 실행처럼 데이터를 따르도록 `torch.export`로 담은 `scale_by_sign`:
    이를 계산하는 모듈을 `(example,)`로 내보낸(export) `torch.export.ExportedProgram`을 반환합니다.

    `scale_by_sign`을 쓰인 그대로 내보내면 실패합니다: torch.export는 값이 없는 기호 텐서로 추적하므로
    `if x.sum() > 0`을 결정할 수 없습니다(`Could not guard on data-dependent expression`. `strict=True`이면
    `Data-dependent branching`). 선택이 데이터에 달려 있다는 것을
    그래프 안에서 말하세요: `torch.cond(pred, true_fn, false_fn, (x,))`는 `true_fn`과 `false_fn`을 두 개의
    하위 그래프로 유지하고, 실행할 때 요소가 하나인 불리언 텐서 `pred`(여기서는 `x.sum() > 0`)에 따라 그중 하나를
    실행합니다. 두 분기는 같은 피연산자를 받고 shape와 dtype이 같은 텐서를 반환해야 합니다. TensorFlow의
    `tf.cond`에 해당하는 torch.export의 도구입니다. (`torch.where(x.sum() > 0, x * 2, -x)`도 데이터를 따릅니다:
    두 분기를 모두 계산하고 하나를 남기므로, 이처럼 가벼운 분기에는 괜찮습니다.)

    `torch.export.export`는 `nn.Module`을 받습니다: `forward(self, x)`에서 torch.cond를 쓰는 작은 모듈을 만들고
    그 인스턴스를 내보내세요. 프로그램은 `example`의 shape에 특수화됩니다(`dynamic_shapes`는 항목 4.3에서
    다룹니다). 실행은 `program.module()(x)`로 합니다. 예: `program = export_scale_by_sign(torch.ones(3))`이면
    `program.module()(torch.tensor([-1., -2., -3.]))`은 즉시 실행과 같은 `tensor([1., 2., 3.])`입니다.
    """
    raise NotImplementedError("export_scale_by_sign")
