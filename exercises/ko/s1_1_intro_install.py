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
프로그램이 멈추지(crash) 않게 하세요.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 1.1`을 실행하세요.
"""
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
