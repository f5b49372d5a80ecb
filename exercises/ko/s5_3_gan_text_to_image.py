"""5.3 프로젝트: GAN과 텍스트-이미지 생성

키트가 직접 그린 그림(다운로드 없음)으로 생성 모델 두 개를 학습합니다. 검은 바탕에 빨강, 초록, 파랑 원 또는
정사각형이 하나 있는 16x16 컬러 이미지로, 값은 [-1, 1]이고 각각 캡션("red circle", "blue square", ...)이 붙어
있습니다. `draw_shapes(count, seed)`가 이미지를 만들고 `tokenize(captions)`가 캡션을 단어 id로 바꿉니다.

1부, DCGAN(Radford 외, 2015): stride가 있는 전치 합성곱과 배치 정규화로 노이즈를 이미지로 바꾸는 Generator,
stride가 있는 합성곱으로 이미지를 판정하는 Discriminator, 표준 초기화, 그리고 교대 갱신입니다. 먼저 판별자가
진짜와 가짜를 구별하도록 배우고(가짜는 detach해서 생성자는 건드리지 않습니다), 이어서 생성자가 판별자를
속이도록 배웁니다(비포화 손실).

2부, 아주 작은 규모의 Stable Diffusion 방식 텍스트-이미지 생성을 diffusers의 구성 요소로 만듭니다. 노이즈
스케줄과 순방향 노이즈 추가 q_sample, 작은 텍스트 인코더와 교차 어텐션(cross-attention)으로 캡션을 읽는
UNet2DConditionModel, 노이즈 예측 손실, 캡션 드롭아웃(같은 모델이 조건 없는 예측도 배우도록), 그리고
classifier-free guidance를 쓰는 DDIM 샘플러입니다.

`ptgrade check 5.3`으로 채점하고, `ptgrade run 5.3`으로 두 모델을 실제로 학습해 샘플 격자(PNG)를 저장하세요.
"""
import torch
import torch.nn.functional as F
from diffusers import UNet2DConditionModel
from torch import nn
from transformers import CLIPTextConfig, CLIPTextModel

from ptgrade.items.s5_3_gan_text_to_image import BETA_END, BETA_START, IMAGE_SIZE, MAX_TOKENS, T_STEPS, VOCAB, tokenize

NZ, NGF, NDF = 32, 32, 32  # 노이즈 크기, 생성자와 판별자의 기본 채널 수
TEXT_DIM = 32  # 텍스트 인코더의 hidden 크기(UNet의 cross_attention_dim)


# -- 1부: DCGAN -----------------------------------------------------------------------------------------------------
def weights_init(module):
    """DCGAN의 초기화로, `model.apply(weights_init)`에 씁니다(하위 모듈마다 한 번씩 호출됩니다).

    Conv2d와 ConvTranspose2d의 가중치는 평균 0, 표준편차 0.02인 정규분포에서 뽑고, BatchNorm2d의 가중치는
    평균 1, 표준편차 0.02에서 뽑으며 bias는 0으로 둡니다. 다른 모듈은 그대로 둡니다. 제자리(in place)에서
    동작하고 아무것도 반환하지 않습니다."""
    raise NotImplementedError("weights_init")


class Generator(nn.Module):
    """(B, nz, 1, 1) 모양의 노이즈 z -> 값이 [-1, 1]인 이미지 (B, 3, 16, 16).

    DCGAN 패턴: ConvTranspose2d 층들(첫 계층은 1x1에서 4x4로, 이어서 stride 2로 8x8, 16x16으로)이고, 마지막을
    뺀 각 계층 뒤에 BatchNorm2d와 ReLU, 맨 끝에 Tanh를 둡니다. 어떤 배치 크기 B에서도 동작합니다."""

    def __init__(self, nz=NZ, ngf=NGF):
        super().__init__()
        raise NotImplementedError("Generator.__init__")

    def forward(self, z):
        raise NotImplementedError("Generator.forward")


class Discriminator(nn.Module):
    """이미지 (B, 3, 16, 16) -> 이미지마다 정규화하지 않은 로짓 하나, 모양 (B,)(sigmoid 없음: 손실이 BCEWithLogits를 씁니다).

    DCGAN 패턴: stride 2인 Conv2d 층들(16x16 -> 8x8 -> 4x4, 풀링 없음)과 LeakyReLU(0.2), 첫 합성곱을 뺀 모든
    합성곱 뒤의 BatchNorm2d, 그리고 4x4 특징 맵을 채널 1개로 바꾸는 마지막 Conv2d입니다."""

    def __init__(self, ndf=NDF):
        super().__init__()
        raise NotImplementedError("Discriminator.__init__")

    def forward(self, x):
        raise NotImplementedError("Discriminator.forward")


def discriminator_step(generator, discriminator, optimizer_d, real, z):
    """판별자를 한 번 갱신하고, 그 손실을 Python float로 반환합니다.

    loss = BCEWithLogits(D(real), 1) + BCEWithLogits(D(fake), 0)이고 각 항은 배치 평균입니다. 여기서
    fake = generator(z)는 detach합니다: 이 단계는 생성자에 변화도를 남기거나 생성자를 바꾸면 안 됩니다.
    optimizer_d는 D의 매개변수만 가지고 있으며, D의 .grad에는 직전 생성자 단계가 남긴 값이 있을 수 있습니다."""
    raise NotImplementedError("discriminator_step")


def generator_step(generator, discriminator, optimizer_g, z):
    """생성자를 한 번 갱신하고, 그 손실을 Python float로 반환합니다.

    비포화 손실: loss = BCEWithLogits(D(generator(z)), 1)이고 배치 평균입니다. G는 D가 자기 이미지를 진짜라고
    부르게 만들도록 배웁니다. optimizer_g는 G의 매개변수만 가지고 있으며(G의 .grad에는 남은 값이 있을 수
    있습니다), D는 바뀌지 않고 계속 학습 가능한 상태로 남아야 합니다."""
    raise NotImplementedError("generator_step")


# -- 2부: 텍스트-이미지 확산 모델 --------------------------------------------------------------------------------
def noise_schedule(num_steps=T_STEPS, beta_start=BETA_START, beta_end=BETA_END):
    """DDPM의 선형 스케줄: 모양이 (num_steps,)인 float32 텐서 alphas_cumprod를 반환합니다.

    betas는 num_steps 동안 beta_start에서 beta_end까지 선형으로 커지고, alphas_cumprod[t]는 0..t 단계의
    (1 - beta)를 모두 곱한 값입니다. diffusers의 DDPMScheduler(beta_schedule="linear")와 같은 값입니다."""
    raise NotImplementedError("noise_schedule")


def q_sample(x0, t, noise, alphas_cumprod):
    """순방향 노이즈 추가: x_t = sqrt(alphas_cumprod[t]) * x0 + sqrt(1 - alphas_cumprod[t]) * noise.

    x0와 noise의 모양은 (B, ...)이고, t는 이미지마다 단계 하나씩인 (B,) 모양의 LongTensor로 나머지 차원에
    브로드캐스트됩니다. x0와 같은 모양의 텐서를 반환합니다."""
    raise NotImplementedError("q_sample")


def make_text_encoder():
    """설정(config)으로 만든 작은 텍스트 인코더(아무것도 다운로드하지 않음)로, VOCAB 위의 (B, MAX_TOKENS) 모양
    토큰 id를 받고 hidden 크기는 TEXT_DIM입니다. transformers의 CLIPTextModel(CLIPTextConfig(...))이 Stable
    Diffusion의 방식이지만, encode_captions가 쓸 수 있는 nn.Module이면 무엇이든 됩니다."""
    raise NotImplementedError("make_text_encoder")


def encode_captions(text_encoder, token_ids):
    """토큰 id (B, MAX_TOKENS) -> 텍스트 상태 (B, MAX_TOKENS, TEXT_DIM): 토큰마다 벡터 하나(CLIP 텍스트 모델이라면
    last_hidden_state)이며, UNet이 교차 어텐션으로 읽습니다."""
    raise NotImplementedError("encode_captions")


def make_unet():
    """크기 TEXT_DIM(cross_attention_dim)인 텍스트 상태를 조건으로 3x16x16 이미지를 다루는 diffusers
    UNet2DConditionModel입니다. CPU에서 학습하므로 작게(매개변수 1,000,000개 미만) 만드세요."""
    raise NotImplementedError("make_unet")


def drop_captions(token_ids, p, generator):
    """classifier-free guidance를 위한 캡션 드롭아웃: token_ids의 각 행을 서로 독립적으로 확률 p로 빈 캡션의
    id(tokenize([""])[0])로 바꾼 새 텐서를 반환합니다. 나머지 행은 그대로 둡니다.

    난수는 `generator`(torch.Generator)에서 뽑고, token_ids 자체는 바꾸지 않습니다."""
    raise NotImplementedError("drop_captions")


def diffusion_loss(unet, x0, text_states, t, noise, alphas_cumprod):
    """노이즈 예측 손실로, backward()를 호출할 수 있는 스칼라 텐서입니다.

    q_sample로 x0에 단계 t만큼 노이즈를 섞고, UNet이 (x_t, t, text_states)에서 노이즈를 예측하게 한 뒤(출력의
    `.sample`), 그 예측과 `noise` 사이의 평균제곱오차를 반환합니다."""
    raise NotImplementedError("diffusion_loss")


def guidance(eps_uncond, eps_cond, scale):
    """classifier-free guidance: 조건 없는 예측을 캡션이 가리키는 방향으로 `scale`배만큼 옮깁니다.
    scale 0이면 eps_uncond, scale 1이면 eps_cond이고, 결과는 그들과 같은 모양입니다."""
    raise NotImplementedError("guidance")


def sample(unet, text_states, empty_states, scheduler, noise, guidance_scale, num_inference_steps):
    """classifier-free guidance로 캡션에 맞는 이미지를 만듭니다: noise와 같은 (B, 3, H, W) 모양이고 값은 [-1, 1].

    text_states와 empty_states(빈 캡션의 상태)의 모양은 (B, MAX_TOKENS, TEXT_DIM)입니다. scheduler는 diffusers
    스케줄러(여기서는 DDIMScheduler)입니다: num_inference_steps개의 timestep을 정하고, `noise`에서 시작해 각 t에서
    빈 캡션과 캡션 상태로 노이즈를 예측하고, guidance()로 합치고, 스케줄러를 한 단계 진행합니다. 마지막 x를
    [-1, 1]로 잘라 반환합니다. 변화도는 필요 없습니다."""
    raise NotImplementedError("sample")
