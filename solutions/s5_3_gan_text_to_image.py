"""5.3 Project: GAN and text-to-image (reference)."""
import torch
import torch.nn.functional as F
from diffusers import AutoencoderKL, UNet2DConditionModel
from torch import nn
from transformers import CLIPTextConfig, CLIPTextModel

from ptgrade.items.s5_3_gan_text_to_image import BETA_END, BETA_START, IMAGE_SIZE, MAX_TOKENS, T_STEPS, VOCAB, tokenize

NZ, NGF, NDF = 32, 32, 32
TEXT_DIM = 32


# -- Part 1: DCGAN --------------------------------------------------------------------------------------------------
def weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class Generator(nn.Module):
    def __init__(self, nz=NZ, ngf=NGF):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),  # (B, 2ngf, 4, 4)
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),  # (B, ngf, 8, 8)
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False),  # (B, 3, 16, 16)
            nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, ndf=NDF):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, ndf, 4, 2, 1, bias=False),  # (B, ndf, 8, 8)
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),  # (B, 2ndf, 4, 4)
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),  # (B, 1, 1, 1)
        )

    def forward(self, x):
        return self.net(x).flatten()


def discriminator_step(generator, discriminator, optimizer_d, real, z):
    fake = generator(z).detach()
    real_logits, fake_logits = discriminator(real), discriminator(fake)
    loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
    optimizer_d.zero_grad()
    loss.backward()
    optimizer_d.step()
    return loss.item()


def generator_step(generator, discriminator, optimizer_g, z):
    logits = discriminator(generator(z))
    loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    optimizer_g.zero_grad()
    loss.backward()
    optimizer_g.step()
    return loss.item()


# -- Part 2: text-to-image diffusion --------------------------------------------------------------------------------
def noise_schedule(num_steps=T_STEPS, beta_start=BETA_START, beta_end=BETA_END):
    betas = torch.linspace(beta_start, beta_end, num_steps, dtype=torch.float32)
    return torch.cumprod(1.0 - betas, dim=0)


def q_sample(x0, t, noise, alphas_cumprod):
    alpha_bar = alphas_cumprod.to(x0.device)[t].view(-1, *([1] * (x0.dim() - 1)))
    return alpha_bar.sqrt() * x0 + (1.0 - alpha_bar).sqrt() * noise


def make_text_encoder():
    config = CLIPTextConfig(vocab_size=len(VOCAB), hidden_size=TEXT_DIM, intermediate_size=2 * TEXT_DIM,
                            num_hidden_layers=1, num_attention_heads=2, max_position_embeddings=MAX_TOKENS,
                            pad_token_id=VOCAB.index("<pad>"), bos_token_id=VOCAB.index("<bos>"),
                            eos_token_id=VOCAB.index("<eos>"))
    return CLIPTextModel(config)


def encode_captions(text_encoder, token_ids):
    return text_encoder(input_ids=token_ids).last_hidden_state


def make_unet():
    return UNet2DConditionModel(
        sample_size=IMAGE_SIZE, in_channels=3, out_channels=3, layers_per_block=1, block_out_channels=(16, 32),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=TEXT_DIM, attention_head_dim=8, norm_num_groups=8)


def drop_captions(token_ids, p, generator):
    drop = torch.rand(token_ids.shape[0], generator=generator) < p
    empty = tokenize([""]).to(token_ids.device)
    return torch.where(drop.to(token_ids.device).unsqueeze(1), empty, token_ids)


def diffusion_loss(unet, x0, text_states, t, noise, alphas_cumprod):
    noisy = q_sample(x0, t, noise, alphas_cumprod)
    predicted = unet(noisy, t, encoder_hidden_states=text_states).sample
    return F.mse_loss(predicted, noise)


def guidance(eps_uncond, eps_cond, scale):
    return eps_uncond + scale * (eps_cond - eps_uncond)


@torch.no_grad()
def sample(unet, text_states, empty_states, scheduler, noise, guidance_scale, num_inference_steps):
    scheduler.set_timesteps(num_inference_steps)
    x = noise * scheduler.init_noise_sigma
    states = torch.cat([empty_states, text_states])
    for t in scheduler.timesteps:
        eps_uncond, eps_cond = unet(torch.cat([x, x]), t, encoder_hidden_states=states).sample.chunk(2)
        x = scheduler.step(guidance(eps_uncond, eps_cond, guidance_scale), t, x).prev_sample
    return x.clamp(-1, 1)


# -- Part 3: latent diffusion ---------------------------------------------------------------------------------------
def make_autoencoder():
    return AutoencoderKL(
        in_channels=3, out_channels=3, down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"), block_out_channels=(16, 32), layers_per_block=1,
        latent_channels=4, norm_num_groups=8, sample_size=IMAGE_SIZE)


def encode_to_latents(vae, images, generator=None):
    with torch.no_grad():
        posterior = vae.encode(images).latent_dist
        latents = posterior.mode() if generator is None else posterior.sample(generator)
    return latents * vae.config.scaling_factor


def decode_latents(vae, latents):
    with torch.no_grad():
        return vae.decode(latents / vae.config.scaling_factor).sample.clamp(-1, 1)


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    latents = encode_to_latents(vae, x0)  # under no_grad: the VAE stays frozen
    noisy = q_sample(latents, t, noise, alphas_cumprod)
    return F.mse_loss(unet(noisy, t, encoder_hidden_states=text_states).sample, noise)
