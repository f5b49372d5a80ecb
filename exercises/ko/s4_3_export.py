"""4.3 ONNX와 TorchScript 내보내기 — 모델을 Python 학습 코드 밖으로 내보내기.

학습된 모델은 보통 다른 곳에서 실행됩니다: C++ 서버, 휴대폰, 브라우저, 다른 프레임워크.
PyTorch에서 밖으로 나가는 세 가지 길을, 현재 방식부터 레거시 방식 순서로 소개합니다:

- **torch.export**(`torch.export.export(model, args, dynamic_shapes=...)`)는 순전파(forward) 전체를
  `ExportedProgram`으로 캡처합니다. ATen 연산자 그래프에 가중치(weight)를 더한 것입니다.
  `.module()`은 이를 다시 호출 가능한 모듈로 바꾸고, `torch.export.save` / `torch.export.load`는
  `.pt2` 아카이브로 저장하고 읽습니다. 현재 권장되는 경로이자 다른 내보내기 도구(exporter)의 기반입니다.
- **ONNX**(`torch.onnx.export`)는 어떤 ONNX 런타임에서도 실행할 수 있는 그래프를 씁니다. 이 버전의
  PyTorch에서 이 내보내기 도구는 torch.export 위에 만들어져 있고(`dynamo=True`가 기본값),
  `ONNXProgram`을 반환하며, 이를 `.save(path)`로 저장합니다. 파일은 `onnx.checker.check_model`로
  검사하고 `onnxruntime.InferenceSession`으로 실행하세요.
- **TorchScript**(`torch.jit.trace`, `torch.jit.script`)는 이 버전의 PyTorch에서 *지원
  중단(deprecated)*되었습니다(경고를 내고 torch.compile / torch.export를 안내합니다). 배포된 시스템에서
  아직 많이 쓰이므로 어떻게 동작하는지 — 그리고 무엇을 잘못하는지 — 알아 두되, 새 작업에는
  torch.export를 쓰세요. TorchScript의 배포 단계는 `torch.jit.freeze`였습니다: 가중치를 상수로
  인라인하고, BatchNorm을 접어 넣고, dropout을 없앱니다.

이 항목에서 피하는 법을 익힐 함정:

1. **학습 모드.** 드롭아웃과 BatchNorm은 학습 때와 평가 때 다르게 동작합니다. 아직 학습 모드인
   모델을 내보내면 결과물에 학습 때의 동작(무작위 dropout, 배치 통계)이 그대로 남습니다.
   내보내기, 추적(trace), 스크립팅(script) 전에 `model.eval()`을 호출하세요.
2. **고정된 배치 크기.** 어떤 차원이 변할 수 있는지 알려 주지 않으면, 내보낸 그래프는 예제 입력의
   shape에 특화됩니다: `dynamic_shapes={"features": {0: torch.export.Dim("batch")}}`. 키는
   `forward` 인자(argument)의 이름입니다(인자 순서대로 쓴 튜플 `({0: batch},)`도 됩니다). 동적
   차원은 예제 입력에서 0이나 1일 수 없습니다: 예제 배치는 2 이상으로 주세요. (`dynamic_axes=`는
   레거시 내보내기 도구의 인자입니다.)
3. **추적은 한 경로만 기록합니다.** `torch.jit.trace`는 모델을 한 번 실행해서 실제로 일어난 연산을
   기록합니다. 텐서(tensor) 값에 대한 Python `if`는 한 번 평가된 뒤 고정됩니다. `torch.jit.script`는 대신
   Python 소스를 컴파일하므로 제어 흐름이 유지됩니다.
4. **잘못된 방식으로 저장하기.** `ONNXProgram`은 `.save(path)`로, `ExportedProgram`은
   `torch.export.save(program, path)`(`.pt2` 아카이브)로, TorchScript 모듈은 `torch.jit.save`로
   저장합니다. `torch.save`는 Python 객체를 피클(pickle)합니다. ONNX 모델은 저장할 수 없고,
   ExportedProgram으로 만든 파일은 다른 도구가 읽을 수 있는 `.pt2` 아카이브가 아닙니다.

아래의 `Classifier`와 `GatedNet`은 여러분의 함수를 시험해 볼 모델입니다(채점기(grader)는 크기가 다른
자체 모델을 씁니다). 각 `raise NotImplementedError`를 바꾸고 `ptgrade check 4.3`을 실행하세요.
"""
from pathlib import Path

import torch
from torch import nn


class Classifier(nn.Module):
    """BatchNorm과 드롭아웃이 있는 작은 MLP. forward는 `features`라는 이름의 인자 하나를 받습니다."""

    def __init__(self, in_features: int = 8, hidden: int = 16, classes: int = 3):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden)
        self.norm = nn.BatchNorm1d(hidden)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(hidden, classes)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.out(self.dropout(torch.relu(self.norm(self.hidden(features)))))


class GatedNet(nn.Module):
    """드롭아웃 다음에 데이터에 따른 분기가 옵니다: h의 평균이 양수면 h를 두 배로, 아니면 부호를 뒤집습니다."""

    def __init__(self, size: int = 6):
        super().__init__()
        self.linear = nn.Linear(size, size)
        self.dropout = nn.Dropout(0.3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.dropout(self.linear(x))
        if h.mean() > 0:
            return h * 2
        return -h


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    """`model`을 배치 차원이 동적인 ONNX 파일로 `path`에 내보냅니다.

    `model.forward`는 텐서 하나를 받고, `example`은 batch >= 2인 (batch, features) 입력입니다.
    평가 모드(evaluation mode)의 모델을 0번 차원이 동적이라고 알려 주며 `torch.onnx.export`(dynamo
    내보내기)로 내보내고, 그 반환값을 `path`에 저장하세요. 파일은 `onnx.checker.check_model`을 통과해야 하고, onnxruntime에서 어떤 배치
    크기에 대해서든 평가 모드 모델과 같은 출력을 내야 합니다.
    """
    raise NotImplementedError("export_onnx")


def run_onnx(path: str | Path, x: torch.Tensor) -> torch.Tensor:
    """`path`의 ONNX 모델을 onnxruntime으로 `x`에 대해 실행하고, 첫 번째 출력을 텐서로 반환합니다.

    onnxruntime의 CPU 실행 프로바이더(execution provider)를 쓰세요. 세션의 입력 이름은 내보낸 그래프가
    정한 것이라 항상 "x"는 아닙니다: 세션에 물어보세요. onnxruntime은 들어갈 때도 나올 때도 텐서가
    아니라 NumPy 배열을 주고받습니다. `x`는 변화도를 추적하는 텐서일 수도 있습니다(내보낸 부분 앞에 있는
    계층의 출력). NumPy는 autograd 그래프를 담지 못하므로, 그런 텐서는 분리(detach)하기 전에는 `.numpy()`가
    거부합니다.
    """
    raise NotImplementedError("run_onnx")


def trace_model(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """평가 모드의 모델을 `example`로 `torch.jit.trace`하고, 추적된 모듈을 반환합니다.

    추적의 함정을 보여 줍니다: `GatedNet`에서는 `example`이 택한 분기만 추적 결과에 남습니다.
    """
    raise NotImplementedError("trace_model")


def to_torchscript(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """`model`을 배포할 때 쓸 TorchScript 모듈: 평가 모드이고, `example`과 같은 분기를 타는 입력만이
    아니라 *모든* 입력에 대해 올바라야 합니다.

    `example`은 추적해도 안전한 경우에 쓰라고 주어집니다. forward가 텐서 값에 따라 분기하는
    모델(`GatedNet` 같은)에서는 안전하지 않습니다. 결과는 `torch.jit.save` / `torch.jit.load`를
    거쳐도 그대로 동작해야 합니다.
    """
    raise NotImplementedError("to_torchscript")


def export_program(model: nn.Module, example: torch.Tensor) -> torch.export.ExportedProgram:
    """평가 모드의 모델을 배치 차원을 동적으로 지정해 `(example,)`로 `torch.export.export`합니다.

    프로그램의 `.module()`은 어떤 배치 크기(2 이상)든 받아서 평가 모드 모델과 같은 출력을 내야
    합니다.
    """
    raise NotImplementedError("export_program")


def save_program(program: torch.export.ExportedProgram, path: str | Path) -> None:
    """`torch.export.load`가 읽을 수 있도록 `program`을 `path`(`.pt2`로 끝나는 파일)에 씁니다."""
    raise NotImplementedError("save_program")


def load_program(path: str | Path) -> torch.export.ExportedProgram:
    """`save_program`이 쓴 ExportedProgram을 다시 읽습니다."""
    raise NotImplementedError("load_program")


def freeze_for_inference(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """`model`을 최적화한 TorchScript 결과물: 평가 모드 모델과 같은 출력을 내는 *동결된(frozen)*
    ScriptModule입니다.

    고정(`torch.jit.freeze`)은 TorchScript 배포의 마지막 단계였습니다. 평가 모드로 script하거나
    trace한 모듈을 받아서 그 매개변수와 버퍼를 그래프 안에 상수로 인라인합니다: 동결된 모듈에는
    읽을 `weight` 속성이 남지 않고, 그래프도 속성을 읽지 않습니다(`module.graph`에 `prim::GetAttr`가
    없습니다). 가중치를 알게 되었으니 그래프를 단순하게 만듭니다: 합성곱 뒤의 BatchNorm은 합성곱의
    가중치에 접혀(fold) 들어가고, 평가 모드의 dropout은 사라집니다. `torch.jit.optimize_for_inference`도
    모듈을 고정한 뒤 CPU에 맞게 그래프를 더 고쳐 씁니다. 동결된 모듈은 더 이상 학습할 수도, 학습 모드로
    되돌릴 수도 없습니다. 그래서 학습 모드의 모듈은 고정을 거부합니다.

    `model`은 학습 모드로 주어집니다. 텐서 값에 따른 분기가 없으므로, script 대신 trace하고 싶다면
    `example`(모델 입력 shape의 입력)을 쓰면 됩니다. 이 PyTorch에서 `torch.jit.trace`,
    `torch.jit.script`, `torch.jit.freeze`는 지원 중단(deprecated)되었습니다(경고를 내고
    torch.compile / torch.export를 권합니다): 새 작업에서는 위의 torch.export가 앞으로의 길입니다.
    고정은 이미 배포된 TorchScript 모델에서 만나게 될 것입니다.
    """
    raise NotImplementedError("freeze_for_inference")


def quantize_linear_int8(model: nn.Module) -> nn.Module:
    """동적 양자화(dynamic quantization): 추론할 준비가 된 `model`의 복사본으로, `nn.Linear` 계층이
    int8 가중치로 계산합니다(`torch.ao.quantization.quantize_dynamic`에 `dtype=torch.qint8`).

    왜 하나요: Linear의 float32 가중치는 하나에 4바이트를 차지하지만 int8로 저장하면 1바이트에
    텐서마다 스케일(scale) 하나만 더하면 됩니다. *동적* 양자화는 가중치를 미리 한 번 변환하고,
    활성화(activation)는 실행할 때의 값 범위를 보고 그때그때 양자화하므로 보정(calibration) 데이터가
    필요 없습니다. 가중치가 대부분을 차지하는 모델, 곧 CPU에서 실행하는 MLP, LSTM, 트랜스포머에서
    효과가 큽니다.

        quantized = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
        quantized[0]   # DynamicQuantizedLinear(in_features=..., dtype=torch.qint8, ...)

    채점기가 직접 측정하는 약속: 저장한 `state_dict`에는 각 Linear의 가중치가 int8로 들어 있고(모든
    가중치가 float 가중치와 양자화 간격의 절반 이내), 그 크기는 float `state_dict`의 40% 미만입니다.
    양자화한 모델의 출력은 평가 모드 float 모델의 출력(크기가 1 정도)과 0.05 이내로 가깝고, 입력의
    90% 이상에서 같은 클래스를 고릅니다.

    주의할 점: `inplace=True`(넘겨준 바로 그 모델의 계층을 바꾸고 그 모델에 `.eval()`을 호출하므로
    비교할 float 모델이 사라집니다. 기본값이면 `quantize_dynamic`은 복사본을 양자화하고, 그 복사본을
    스스로 평가 모드로 바꿔 드롭아웃을 끄며, `model`은 그대로 둡니다). `dtype=torch.float16`(다른
    방식입니다. 저장한 가중치가 float로 남아 파일이 작아지지 않습니다). 이 PyTorch(2.14, CPU 빌드)에서 `quantize_dynamic`은 기본
    x86(fbgemm) 엔진과 qnnpack에서 동작합니다(`torch.backends.quantized.supported_engines`).
    `torch.ao.quantization`이 torchao의 `quantize_`로 대체되어 지원 중단(deprecated)되었다는 경고를
    내지만, API는 여전히 실행되며 이미 배포된 많은 코드가 이 API를 씁니다.
    """
    raise NotImplementedError("quantize_linear_int8")


def saved_size(model: nn.Module, path: str | Path) -> int:
    """`model.state_dict()`를 `torch.save`로 `path`에 쓰고, 그 파일의 크기를 바이트 단위로 반환합니다.

    float 모델과 양자화한 모델의 크기는 이렇게 비교합니다: 저장한 가중치의 바이트 수입니다.
    `sys.getsizeof`(Python 객체 자체만 잽니다)도, `model.parameters()`에 대한 합도 아닙니다(동적
    양자화한 Linear는 int8 가중치를 패킹된 매개변수에 두는데, `parameters()`는 이를 나열하지
    않습니다). 모듈이 아니라 state_dict를 저장하고(`torch.save(model)`은 클래스까지 pickle로
    저장합니다), 킬로바이트가 아니라 바이트를 세세요. 예: `saved_size(nn.Linear(100, 10), p)`는
    가중치 (100 * 10 + 10) * 4 = 4040바이트에 아카이브 자체의 기록을 더해 모두 5900바이트 정도입니다.
    """
    raise NotImplementedError("saved_size")
