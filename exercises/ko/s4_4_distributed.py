"""4.4 분산 학습 — 프로세스, 프로세스 그룹, DDP, DistributedSampler, FSDP, DeepSpeed.

데이터 병렬(data-parallel) 학습은 장치마다 프로세스(*랭크(rank)*)를 하나씩 실행합니다. 각 랭크는
모델 전체의 사본을 갖고 매 배치에서 자기 몫만 보며, 옵티마이저(optimizer) 단계 전마다 랭크들이
변화도(gradient)를 평균합니다. 그래서 모든 사본이 같은 단계, 즉 한 프로세스가 배치 전체로 밟았을
단계를 똑같이 밟습니다. `torch.distributed`는 랭크들을 *프로세스 그룹(process group)*으로 연결합니다. 모든
랭크가 같은 주소와 포트, 자신의 랭크, 월드 크기(world size)로 `init_process_group`을 호출합니다.
백엔드는 CPU에서는 "gloo"(여기서 쓰는 것), CUDA GPU 사이에서는 "nccl"입니다.

이 항목에서 다루는 함정:
- 모든 랭크는 *같은* 가중치(weight)에서 시작해야 합니다(모든 랭크에서 모델 생성 전에 똑같이 시드(seed)를
  설정하세요)
- 변화도는 *평균*을 냅니다: all-reduce는 합을 구하므로 월드 크기로 정확히 한 번 나누세요
  (`DistributedDataParallel`은 이미 평균을 내 주니 다시 나누지 마세요)
- `DistributedSampler`는 `set_epoch(epoch)`를 호출하지 않으면 에폭(epoch)마다 같은 순서를 줍니다.
- 한 랭크가 끝내 도달하지 않는 집합 연산(collective)은 영원히 기다립니다: `init_process_group`에
  `timeout`을 주세요.
- 작업이 끝나면 프로세스 그룹을 `destroy_process_group`으로 해제해야 합니다.

대형 모델 학습을 위한 두 기법으로 이 항목을 마칩니다. 장치가 하나든 여럿이든 쓰이고, 프로세스 그룹이
필요 없습니다: 혼합 정밀도(bfloat16의 `autocast_train_step`, 손실 스케일링을 쓰는 float16의
`fp16_scaled_train_step`)와 활성값 체크포인팅(`CheckpointedStack`)입니다.

실제 클러스터에서는 `torchrun`이 프로세스를 시작하고, 각 프로세스에 자기 위치를 환경 변수로 알려
줍니다(`setup_from_env`). DeepSpeed는 이 키트와 함께 설치되지 않으며 여기서는 DeepSpeed를 실행하지
않습니다: 그 설정(`deepspeed_config`)만 가르치고 채점합니다. DeepSpeed와 CUDA GPU가 있는 곳에서는
검사 하나가 더 여러분의 설정을 `deepspeed.initialize`에 넘기고, 그 밖의 곳에서는 건너뜁니다.

채점기(grader)는 "spawn" 방식으로 CPU에서 프로세스 2개를 시작하고 그 안에서 여러분의 함수를
호출합니다(spawn된 자식 프로세스는 이 파일을 이름으로 import하므로, 모듈 최상위에서는 작업을 하지
마세요). 여러분도 똑같이 해 볼 수 있습니다: `python exercises/ko/s4_4_distributed.py`는 아래의
`demo`를 랭크 2개로 실행합니다.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 4.4`를 실행하세요.
"""
import datetime
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler


class TinyNet(nn.Module):
    """`build_model`이 만드는 작은 회귀 모델(주어진 코드이니 바꾸지 마세요)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


def find_free_port() -> int:
    """지금 비어 있는 127.0.0.1의 TCP 포트로, 실행 시점에 찾습니다(고정된 번호는 안 됩니다: 두 실행이
    동시에 돌거나, 앞선 실행이 아직 포트를 놓지 않았다면 충돌합니다).

    포트를 짐작하지 말고 운영체제가 고르게 하세요. 그리고 프로세스 그룹이 그 포트를 쓸 수 있도록 반환하기
    전에 놓아 주세요.
    """
    raise NotImplementedError("find_free_port")


def setup(rank: int, world_size: int, port: int, backend: str = "gloo", timeout_s: float = 30.0) -> None:
    """이 프로세스를 `world_size`개 중 `rank`번 랭크로 기본 프로세스 그룹에 참여시킵니다.

    127.0.0.1:`port`에서 랑데부(rendezvous)하고(MASTER_ADDR와 MASTER_PORT를 설정하거나
    init_method=f"tcp://127.0.0.1:{port}"를 넘기세요), `timeout=datetime.timedelta(seconds=timeout_s)`를
    넘기세요. 이것이 없으면 다른 랭크가 끝내 참여하지 않는 집합 연산이 실패하는 대신 30분 동안 멈춰
    있습니다.
    """
    raise NotImplementedError("setup")


def setup_from_env(backend: str = "gloo", timeout_s: float = 30.0) -> tuple[int, int, int]:
    """`torchrun`으로 시작한 스크립트처럼 기본 프로세스 그룹에 참여합니다: 필요한 값은 모두 환경
    변수에서 읽습니다. `(rank, local_rank, world_size)`를 int로 반환합니다.

    `torchrun`은 프로세스를 직접 시작하고(스크립트에 `mp.spawn`이 없습니다), 각 프로세스에 자기 위치를
    환경 변수로 줍니다: RANK(모든 머신을 통틀은 전역 랭크, 0..WORLD_SIZE-1), LOCAL_RANK(자기 머신
    안에서의 프로세스 번호: 쓸 GPU를 정합니다, `torch.cuda.set_device(local_rank)`), WORLD_SIZE(모든
    머신을 통틀은 프로세스 수), MASTER_ADDR / MASTER_PORT(랭크 0이 기다리는 곳). 환경 변수 값은
    문자열이므로 `int(...)`로 바꾸세요. 그다음 `dist.init_process_group(backend, rank=rank,
    world_size=world_size, timeout=datetime.timedelta(seconds=timeout_s))`를 호출하세요: 환경에
    MASTER_ADDR와 MASTER_PORT가 있으면 기본값 `init_method="env://"`가 그 값으로 랭크 0을 찾습니다.

    이 머신에서 프로세스 2개로 실행:

        torchrun --standalone --nproc-per-node=2 train.py

    GPU가 4개씩 있는 머신 두 대(머신마다 같은 명령을, 각자의 --node-rank로 실행):

        torchrun --nnodes=2 --node-rank=0 --nproc-per-node=4 --master-addr=10.0.0.1 --master-port=29500 train.py

    두 번째 머신에서는 RANK가 4..7인 동안 LOCAL_RANK는 다시 0..3입니다: LOCAL_RANK는 장치를 고를 때
    쓰고, 랭크로는 절대 쓰지 않습니다(둘 다 랭크 0이라고 하는 프로세스 두 개는 그룹을 만들 수 없습니다).
    """
    raise NotImplementedError("setup_from_env")


def cleanup() -> None:
    """기본 프로세스 그룹을 떠나고 해제합니다(`dist.destroy_process_group()`)."""
    raise NotImplementedError("cleanup")


def build_model(seed: int) -> TinyNet:
    """초기 가중치가 오직 `seed`에만 달려 있어 모든 랭크에서 같은 TinyNet.

    모든 랭크에서 같은 시드로 호출됩니다. 전역 생성기의 시드를 `seed`로 설정하세요(`seed + rank`가
    아닙니다: 서로 다르게 시작한 랭크들은 직접 작성한 평균 내기로는 다시 만나지 못합니다).
    """
    raise NotImplementedError("build_model")


def epoch_indices(dataset_size: int, world_size: int, rank: int, epochs: int, seed: int = 0) -> list[list[int]]:
    """`world_size`개 중 `rank`번 랭크가 `epochs`개 에폭 각각에서 방문하는 데이터셋 인덱스.

    크기가 `dataset_size`인 데이터셋에 `num_replicas=world_size`, `rank=rank`, `shuffle=True`,
    `seed=seed`로 `DistributedSampler`를 만들고, 학습 루프가 하듯 에폭마다 한 번씩 순회하되 각 에폭
    전에 `sampler.set_epoch(epoch)`를 호출하세요. 에폭마다 int 리스트 하나씩을 반환합니다. 모든 랭크를
    합치면 각 에폭은 모든 인덱스를 정확히 한 번씩 방문하고(크기가 `world_size`로 나누어떨어질 때),
    에폭마다 순서가 새로워집니다. 랭크는 인자(argument)에서 가져오세요: `torchrun`은 RANK 환경 변수를
    설정하지만 `torch.multiprocessing.spawn`은 설정하지 않습니다.
    """
    raise NotImplementedError("epoch_indices")


def average_gradients(model: nn.Module) -> None:
    """직접 구현하는 데이터 병렬: 모든 랭크에서 `loss.backward()`를 마친 뒤, 각 매개변수(parameter)의
    `.grad`를 모든 랭크에 대한 평균으로 제자리(in-place)에서 바꿉니다.

    `dist.all_reduce(tensor)`는 텐서를 랭크들에 걸쳐 제자리에서 합산합니다. `dist.get_world_size()`로
    한 번 나누세요(`op=dist.ReduceOp.AVG`를 쓰면 이미 평균이 되니 다시 나누지 마세요). `.grad`가
    None인 매개변수는 건너뛰세요.
    """
    raise NotImplementedError("average_gradients")


def train_ddp(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float) -> nn.Module:
    """이 랭크가 맡은 배치 몫 (x, y)로 `model`을 `DistributedDataParallel`을 써서 학습시킵니다.

    모델을 `DistributedDataParallel`로 감싸고(CUDA에서는 `device_ids=[x.device.index]`를 넘기세요),
    `torch.optim.SGD(..., lr=lr)`를 만든 다음, (x, y)에서 `F.mse_loss`(평균)를 최소화하는 전체 배치
    단계를 `steps`번 밟으세요. DDP는 `backward()` 중에 변화도를 all-reduce하고 평균하므로, 모든 랭크의
    몫이 같다면 각 단계는 단일 프로세스가 배치 전체로 밟는 한 단계와 같습니다. 학습된 모델은 감싼 것을
    벗겨서(`ddp_model.module`) 반환하세요.
    """
    raise NotImplementedError("train_ddp")


def fsdp_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, lr: float) -> dict[str, torch.Tensor]:
    """이 랭크가 맡은 배치 몫 (x, y)에 대한 완전 샤딩(fully-sharded) SGD 한 단계(FSDP2).

    `model` 안의 모든 `nn.Linear`에, 그다음 `model` 자신에 `torch.distributed.fsdp.fully_shard`를
    적용하세요. 그러면 각 랭크는 매개변수마다 한 조각(DTensor)만 갖습니다. (x, y)에서
    `F.mse_loss`(평균)를 최소화하는 `torch.optim.SGD(..., lr=lr)` 단계를 한 번 밟으세요. FSDP가
    순전파(forward)를 위해 가중치를 모으고 랭크 간에 변화도를 평균합니다. 이름 있는 모든 매개변수에
    대해 `{name: full parameter}`를 반환하되, 각 값은 (샤딩되지 않은) 전체이자 분리된(detached) 일반
    텐서여야 합니다. `p.full_tensor()`는 DTensor를 모으고, `p.to_local()`은 이 랭크의 조각만 줍니다.
    """
    raise NotImplementedError("fsdp_step")


def deepspeed_config(micro_batch_size: int, grad_accum_steps: int, world_size: int, zero_stage: int,
                     bf16: bool) -> dict:
    """다음 항목을 담은 DeepSpeed 설정 dict(`deepspeed.initialize(config=...)`가 받는 것):

    - "train_micro_batch_size_per_gpu": 랭크 하나가 순전파/역전파 한 번에 쓰는 샘플 수
    - "gradient_accumulation_steps";
    - "train_batch_size": 모든 랭크를 합쳐 옵티마이저 단계 한 번에 쓰는 샘플 수. 마이크로 배치 크기
      × 누적 단계 수 × 월드 크기입니다(이 값들이 맞지 않는 설정은 DeepSpeed가 거부합니다)
    - "zero_optimization": {"stage": zero_stage}(1은 옵티마이저 상태를, 2는 변화도까지, 3은
      매개변수까지 샤딩합니다: FSDP와 같은 발상)
    - "bf16": {"enabled": bf16}.

    DeepSpeed 자체는 이 키트와 함께 설치되지 않습니다: DeepSpeed는 이 함수에서 배우고, 검사는 이 dict를
    채점합니다. DeepSpeed를 설치했다면 `deepspeed.initialize(model=model,
    model_parameters=model.parameters(), config=deepspeed_config(...))`가 엔진을 반환하고, 그 엔진의
    `engine.backward(loss)`와 `engine.step()`이 `loss.backward()`와 `optimizer.step()`을 대신합니다.
    """
    raise NotImplementedError("deepspeed_config")


def autocast_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor,
                        y: torch.Tensor) -> float:
    """`optimizer`로 `F.mse_loss(model(x), y)`(평균)를 최소화하는 `model`의 혼합 정밀도(mixed
    precision) 학습 단계 한 번, 손실(loss)을 Python float로 반환합니다.

    혼합 정밀도는 비싼 연산(행렬 곱, 합성곱)을 16비트 타입으로 실행해 약 두 배 빠르고 활성값
    메모리를 절반만 쓰면서, 정밀도가 필요한 것은 float32로 유지합니다: 매개변수(옵티마이저가 갱신하는
    "마스터 가중치"), 그 변화도, 그리고 손실 같은 축소(reduction) 연산입니다.
    `torch.autocast(device_type, dtype=torch.bfloat16)`는 `with` 블록 안에서 연산마다 타입을 고릅니다.
    여기서는 `x`의 장치 타입에서 씁니다. 모델이나 데이터를 직접 캐스팅하지 않습니다: bfloat16으로
    캐스팅한 모델에서는 가중치 자체가 16비트라서, 그 정밀도보다 작은 갱신은 반올림되어 사라집니다.
    autocast 안에는 순전파와 손실 계산만 들어갑니다.

    bfloat16은 float32의 지수 비트 8개를 그대로 가지므로(가수만 짧습니다) 작은 변화도가 언더플로되지
    않고, 손실 스케일링이 필요 없습니다. 예전 CUDA 혼합 정밀도의 타입인 float16은 지수 비트가 5개라서
    약 6e-8보다 작은 변화도는 0이 됩니다. 그래서 CUDA에서 float16으로 학습할 때는
    `torch.amp.GradScaler("cuda")`를 더합니다: 역전파 전에 손실에 큰 배수를 곱하고, 단계 전에 변화도를
    그 배수로 나눕니다(변화도가 오버플로한 단계는 건너뜁니다).
    """
    raise NotImplementedError("autocast_train_step")


def fp16_scaled_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, scaler: torch.amp.GradScaler,
                           x: torch.Tensor, y: torch.Tensor) -> float:
    """`optimizer`로 `F.mse_loss(model(x), y)`(평균)를 최소화하는 `model`의 float16 혼합 정밀도 학습 단계
    한 번을, `scaler`로 손실을 스케일링하며 진행합니다. 스케일링하지 않은 손실을 Python float로 반환합니다.

    float16은 지수 비트가 5개뿐이라서 약 6e-8보다 작은 변화도는 0으로 언더플로하고, 65504보다 큰 값은
    inf로 오버플로합니다. `torch.amp.GradScaler`(호출하는 쪽이 만듭니다: GPU에서는
    `torch.amp.GradScaler("cuda")`, `torch.amp.GradScaler("cpu")`도 있습니다)는 역전파 전에 손실에 큰
    스케일 S를 곱해 작은 변화도가 살아남게 하고, 단계 전에 S를 다시 나눕니다:

    - `optimizer.zero_grad()`. 순전파와 손실 계산은
      `torch.autocast(device_type=x.device.type, dtype=torch.float16)` 안에서 합니다(모델은 float32 그대로)
    - `scaler.scale(loss).backward()`: S x 손실의 변화도를 구합니다
    - `scaler.step(optimizer)`: 변화도를 S로 나누고, 모두 유한할 때만 `optimizer.step()`을 호출합니다.
      하나라도 inf나 nan이면(S가 너무 커서 무언가 오버플로했다면) 단계를 건너뜁니다: 가중치는 그대로입니다
    - `scaler.update()`: 단계를 건너뛴 뒤에는 S를 절반으로 줄이고, 오버플로 없는 단계가
      `growth_interval`번 이어지면 S를 두 배로 늘립니다.

    예: S = 65536이고 변화도가 오버플로하는 배치라면 가중치는 바뀌지 않고 `scaler.get_scale()`은
    65536.0에서 32768.0이 됩니다. 오버플로하지 않는 단계는 스케일링 없이 진행한 같은 단계와 정확히 같은
    가중치를 냅니다(S는 2의 거듭제곱입니다). 주의: `scaler.step(optimizer)` 대신 `optimizer.step()`을
    부르면 아직 S가 곱해진(또는 inf인) 변화도가 적용됩니다. `scaler.update()`가 없으면 스케일이 절대
    줄지 않습니다(그리고 다음 `scaler.step`에서 예외가 발생합니다). 스케일링한 손실이 아니라
    `loss.item()`을 반환하세요.
    """
    raise NotImplementedError("fp16_scaled_train_step")


class CheckpointedStack(nn.Module):
    """`blocks`를 차례로 적용하되(`x -> blocks[-1](...(blocks[0](x)))`) 활성값 체크포인팅(activation
    checkpointing)을 씁니다: 체크포인팅 없이 할 때와 같은 출력과 변화도를, 더 적은 메모리로 냅니다.

    역전파에는 순전파가 각 블록 안에서 계산한 활성값이 필요합니다. autograd는 보통 이 값을 역전파 때까지
    모두 보관하는데, 깊은 모델에서는 가중치가 아니라 이 활성값이 메모리를 채웁니다.
    `torch.utils.checkpoint.checkpoint`로 실행한 블록은 입력만 보관하고, 역전파 중에 순전파를 한 번 더
    실행해 나머지를 다시 계산합니다: 학습 단계마다 각 블록이 두 번 실행되니, 계산을 내주고 메모리를
    얻는 셈입니다. 체크포인팅은 RNG 상태를 저장했다가 복원하므로, 블록 안의 dropout은 두 번째에도 같은
    마스크를 뽑습니다.

    PyTorch가 권장하는 구현인 `use_reentrant=False`를 넘기세요. 빼먹으면 경고가 나고, 예전의
    재진입(reentrant) 구현은 블록의 입력이 requires_grad가 아닐 때(데이터 배치의 입력은 늘 그렇습니다)
    블록의 매개변수에 변화도를 주지 않습니다.
    """

    def __init__(self, blocks: list[nn.Module]):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """`x`를 모든 블록에 차례로 통과시키되, 각 블록에 활성값 체크포인팅을 씁니다."""
        raise NotImplementedError("CheckpointedStack.forward")


def demo(rank: int, world_size: int, port: int) -> None:
    """`python exercises/ko/s4_4_distributed.py`에서 랭크 하나가 하는 일(주어진 코드)."""
    setup(rank, world_size, port)
    try:
        generator = torch.Generator().manual_seed(0)
        x, y = torch.randn(8, 4, generator=generator), torch.randn(8, 1, generator=generator)
        model = train_ddp(build_model(seed=0), x.chunk(world_size)[rank], y.chunk(world_size)[rank], 20, 0.1)
        if rank == 0:
            print("랭크 0의 에폭별 순서:", epoch_indices(8, world_size, rank, epochs=2))
            with torch.no_grad():
                print("DDP 학습 후 손실:", nn.functional.mse_loss(model(x), y).item())
    finally:
        cleanup()


if __name__ == "__main__":
    mp.spawn(demo, args=(2, find_free_port()), nprocs=2, join=True)
