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

3부, 잠재 확산(latent diffusion): Stable Diffusion을 "잠재" 확산 모델로 만드는 부분입니다. 설정(config)으로 만든
아주 작은 변분 오토인코더(VAE, diffusers의 AutoencoderKL)가 16x16 그림을 8x8 격자의 잠재 표현(latent)으로
압축합니다. 2부의 확산은 픽셀 대신 이 잠재 표현 위에서 돌아가고(위치가 4분의 1로 줄어듭니다), 샘플링한 잠재
표현은 VAE의 디코더가 다시 그림으로 바꿉니다. VAE는 동결(freeze)되어 있고 UNet만 학습합니다. 2부의 픽셀 공간
모델이 첫 단계이고, 3부는 그것을 잠재 공간으로 옮깁니다.

채점기가 제한된 학습 실행에서 요구하는 것(채점기가 학습한 가중치로 직접 측정합니다):
- 1부: weights_init을 거친 Generator와 Discriminator를 번갈아 300단계(Adam lr 4e-4, betas (0.5, 0.999), 도형
  1024개에서 뽑은 배치 64) 학습하면, 새 샘플 512개와 데이터 사이 4x4 특징의 Fréchet 거리가 30 이하여야
  합니다(학습하지 않은 생성자는 약 43입니다).
- 2부: make_unet과 make_text_encoder를 함께 300단계(AdamW lr 2e-3, 배치 32, p=0.1로 캡션 드롭아웃) 학습한 뒤,
  캡션 6개마다 샘플을 8개씩(가이던스 3, DDIM 20단계, 모든 캡션에 같은 노이즈 8개) 그리면: 최대 세 번의 독립
  실행 중 적어도 한 번은 샘플의 40% 이상이 캡션의 색을 보이고, (색, 노이즈) 쌍의 40% 이상에서 "square"
  샘플이 "circle" 샘플보다 더 네모나야 합니다.
- 3부: 채점기의 작은 잠재 UNet을 latent_diffusion_loss로 Adam 20단계(lr 3e-3) 학습하면 잠재 공간의 손실이
  학습하지 않은 UNet의 85% 아래로 내려가야 합니다.

`ptgrade check 5.3`으로 채점하고, `ptgrade run 5.3`으로 두 모델을 실제로 학습해 샘플 격자(PNG)를 저장하세요.
"""
import torch
import torch.nn.functional as F
from diffusers import AutoencoderKL, UNet2DConditionModel
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
    브로드캐스트됩니다. x0와 같은 모양의 텐서를 x0와 같은 장치에 반환합니다: x0, t, noise는 GPU에 있고
    alphas_cumprod는 CPU에 있을 수 있으므로, t로 인덱싱하기 전에 스케줄을 그 장치로 옮기세요."""
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

    난수는 `generator`(CPU에 있는 torch.Generator)에서 뽑고, token_ids 자체는 바꾸지 않습니다. 결과는
    token_ids와 같은 장치(예를 들어 GPU)에 있어야 하므로, 뽑은 난수와 빈 캡션의 id를 그 장치로 옮기세요."""
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


# -- 3부: 잠재 확산 ---------------------------------------------------------------------------------------------------
def make_autoencoder():
    """설정(config)으로 만든 아주 작은 diffusers AutoencoderKL(Stable Diffusion의 VAE)이며, 아무것도 내려받지
    않습니다: 값이 [-1, 1]인 3x16x16 그림 <-> shape (latent_channels, 8, 8)인 잠재 표현(Stable Diffusion은 잠재 채널
    4개를 씁니다).

    인코더는 마지막 블록을 뺀 다운 블록마다 크기를 절반으로 줄이므로, DownEncoderBlock2D 두 개(돌아올 때는
    UpDecoderBlock2D 두 개)면 16x16 -> 8x8이 됩니다. 작게 유지하세요(매개변수 500,000개 미만): 예를 들어
    block_out_channels=(16, 32), layers_per_block=1, norm_num_groups=8(각 블록의 채널 수가 이 값으로 나누어떨어져야
    합니다). config의 scaling_factor(diffusers 기본값 0.18215, Stable Diffusion의 VAE가 쓰는 값)는 잠재 표현의
    분산이 스케줄러의 노이즈처럼 1 정도가 되도록 곱하는 수입니다.

    Stable Diffusion은 학습된 VAE를 불러옵니다(AutoencoderKL.from_pretrained("stabilityai/sd-vae-ft-mse")). 여기서는
    가중치가 무작위입니다: 그래도 그림을 잠재 표현으로 바꾸고 되돌리지만, 충실하게 복원하지는 못합니다.

    예: make_autoencoder().encode(torch.zeros(2, 3, 16, 16)).latent_dist.mode().shape == (2, 4, 8, 8)"""
    raise NotImplementedError("make_autoencoder")


def encode_to_latents(vae, images, generator=None):
    """값이 [-1, 1]인 그림 (B, 3, H, W) -> 확산에 바로 쓸 수 있게 스케일한 잠재 표현 (B, latent_channels, H/2, W/2).

    vae.encode(images).latent_dist는 사후 분포(posterior)로, 잠재 값마다 대각 가우시안입니다. `generator`가 없으면
    그 mode()(평균이므로 매번 같은 잠재 표현)를, 있으면 그것으로 뽑은 표본 latent_dist.sample(generator)를
    씁니다(Stable Diffusion의 학습이 이렇게 합니다). 그다음 vae.config.scaling_factor를 한 번 곱합니다. VAE는
    동결되어 있으므로 변화도가 VAE로 가면 안 됩니다(torch.no_grad() 안에서 하세요).

    주의할 점: 스케일링 계수를 빠뜨리거나, 두 번 곱하거나, 곱하는 대신 나누는 실수(나누기는 decode_latents의
    일입니다).

    예: 16x16 그림이면 encode_to_latents(vae, images).shape == (B, 4, 8, 8)"""
    raise NotImplementedError("encode_to_latents")


def decode_latents(vae, latents):
    """스케일한 잠재 표현 (B, latent_channels, h, w) -> 값이 [-1, 1]인 그림 (B, 3, 2h, 2w): encode_to_latents를
    되돌립니다.

    먼저 vae.config.scaling_factor로 나누고(encode_to_latents가 곱한 것을 되돌립니다), vae.decode(...).sample로
    디코딩한 뒤 [-1, 1]로 자릅니다(디코더의 출력에는 범위 제한이 없습니다). 변화도는 필요 없습니다.

    주의할 점: 스케일한 잠재 표현을 그대로 디코딩하는 실수(0.18215이면 디코더가 5.5배 작은 잠재 표현을 봅니다),
    또는 계수를 한 번 더 곱하는 실수.

    예: decode_latents(vae, encode_to_latents(vae, images)).shape == images.shape"""
    raise NotImplementedError("decode_latents")


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    """diffusion_loss를 VAE의 잠재 공간으로 옮긴 것으로, Stable Diffusion이 학습하는 방식입니다: 스칼라 텐서.

    x0는 그림 (B, 3, H, W)이고, noise는 잠재 표현의 shape (B, latent_channels, H/2, W/2)이며, unet은 in_channels와
    out_channels가 vae.config.latent_channels인 UNet2DConditionModel입니다. VAE로 변화도가 가지 않게
    encode_to_latents(generator 없이)로 x0를 인코딩하고, q_sample로 잠재 표현에 단계 t만큼 노이즈를 섞고, UNet이
    (노이즈 섞인 잠재 표현, t, text_states)에서 노이즈를 예측하게 한 뒤(출력의 `.sample`), `noise`와의
    평균제곱오차를 반환합니다. 여기에 backward()를 호출하면 UNet에만 변화도가 갑니다.

    주의할 점: 픽셀에 노이즈를 섞은 다음 인코딩하는 실수(노이즈는 잠재 공간에 있습니다), VAE가 변화도를 받는
    실수(autograd를 켠 채로 인코딩하면 역전파가 동결된 인코더까지 흘러갑니다), 스케일링 계수를 빠뜨리는 실수.

    예: latent_diffusion_loss(unet, vae, images, states, t, torch.randn(B, 4, 8, 8), alphas_cumprod)"""
    raise NotImplementedError("latent_diffusion_loss")
