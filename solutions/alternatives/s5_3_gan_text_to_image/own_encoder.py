"""5.3 written another way: explicit layers, class-name initialisation, fakes made under no_grad, D frozen (and
unfrozen) in the generator step, a schedule computed in float64, torch.lerp for guidance, two UNet calls per sampling
step and an own small Transformer text encoder instead of CLIP; for the latent part, a VAE built with from_config (3
latent channels, its own scaling factor), its encoder, quant convolutions and decoder called by hand with detach
instead of no_grad, and the posterior's sample drawn by hand."""
import torch
from diffusers import AutoencoderKL, UNet2DConditionModel
from torch import nn

from ptgrade.items.s5_3_gan_text_to_image import BETA_END, BETA_START, MAX_TOKENS, T_STEPS, VOCAB, tokenize

NZ, NGF, NDF = 24, 24, 24
TEXT_DIM = 24


def weights_init(m):
    name = type(m).__name__
    if "Conv" in name:
        with torch.no_grad():
            m.weight.normal_(0.0, 0.02)
    elif "BatchNorm" in name:
        with torch.no_grad():
            m.weight.normal_(1.0, 0.02)
            m.bias.zero_()


class Generator(nn.Module):
    def __init__(self, nz=NZ, ngf=NGF):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False)
        self.bn1 = nn.BatchNorm2d(ngf * 4)
        self.up2 = nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(ngf * 2)
        self.up3 = nn.ConvTranspose2d(ngf * 2, 3, 4, 2, 1, bias=False)

    def forward(self, z):
        x = torch.relu(self.bn1(self.up1(z)))
        x = torch.relu(self.bn2(self.up2(x)))
        return torch.tanh(self.up3(x))


class Discriminator(nn.Module):
    def __init__(self, ndf=NDF):
        super().__init__()
        self.down1 = nn.Conv2d(3, ndf, 4, 2, 1)
        self.down2 = nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(ndf * 2)
        self.head = nn.Conv2d(ndf * 2, 1, 4, 1, 0)

    def forward(self, x):
        x = nn.functional.leaky_relu(self.down1(x), 0.2)
        x = nn.functional.leaky_relu(self.bn2(self.down2(x)), 0.2)
        return self.head(x).view(-1)


_bce = nn.BCEWithLogitsLoss()


def discriminator_step(generator, discriminator, optimizer_d, real, z):
    with torch.no_grad():
        fake = generator(z)
    optimizer_d.zero_grad(set_to_none=True)
    real_out = discriminator(real)
    fake_out = discriminator(fake)
    loss_real = _bce(real_out, torch.ones(real_out.shape))
    loss_fake = _bce(fake_out, torch.zeros(fake_out.shape))
    (loss_real + loss_fake).backward()
    optimizer_d.step()
    return float(loss_real.item() + loss_fake.item())


def generator_step(generator, discriminator, optimizer_g, z):
    flags = [p.requires_grad for p in discriminator.parameters()]
    discriminator.requires_grad_(False)  # no gradients for D during G's step
    try:
        optimizer_g.zero_grad()
        out = discriminator(generator(z))
        loss = _bce(out, torch.ones(out.shape))
        loss.backward()
        optimizer_g.step()
    finally:
        for p, flag in zip(discriminator.parameters(), flags):
            p.requires_grad_(flag)
    return float(loss)


def noise_schedule(num_steps=T_STEPS, beta_start=BETA_START, beta_end=BETA_END):
    betas = beta_start + (beta_end - beta_start) * torch.arange(num_steps, dtype=torch.float64) / (num_steps - 1)
    return (1 - betas).cumprod(0).float()


def q_sample(x0, t, noise, alphas_cumprod):
    a = alphas_cumprod.gather(0, t)
    shape = (len(t),) + (1,) * (x0.ndim - 1)
    return a.sqrt().reshape(shape) * x0 + (1 - a).sqrt().reshape(shape) * noise


class TextEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(len(VOCAB), TEXT_DIM)
        self.positions = nn.Parameter(torch.randn(MAX_TOKENS, TEXT_DIM) * 0.02)
        self.layer = nn.TransformerEncoderLayer(TEXT_DIM, 2, 2 * TEXT_DIM, dropout=0.0, batch_first=True)
        self.norm = nn.LayerNorm(TEXT_DIM)

    def forward(self, ids):
        return self.norm(self.layer(self.tokens(ids) + self.positions))


def make_text_encoder():
    return TextEncoder()


def encode_captions(text_encoder, token_ids):
    return text_encoder(token_ids)


def make_unet():
    return UNet2DConditionModel(
        sample_size=16, in_channels=3, out_channels=3, layers_per_block=1, block_out_channels=(16, 32),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=TEXT_DIM, attention_head_dim=4, norm_num_groups=4)


def drop_captions(token_ids, p, generator):
    keep = torch.bernoulli(torch.full((len(token_ids), 1), 1.0 - p), generator=generator).bool()
    out = token_ids.clone()
    out[~keep.squeeze(1)] = tokenize([""])[0]
    return out


def diffusion_loss(unet, x0, text_states, t, noise, alphas_cumprod):
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return ((unet(x_t, t, encoder_hidden_states=text_states, return_dict=False)[0] - noise) ** 2).mean()


def guidance(eps_uncond, eps_cond, scale):
    return torch.lerp(eps_uncond, eps_cond, scale)


def sample(unet, text_states, empty_states, scheduler, noise, guidance_scale, num_inference_steps):
    scheduler.set_timesteps(num_inference_steps)
    x = noise.clone()
    with torch.inference_mode():
        for t in scheduler.timesteps:
            model_input = scheduler.scale_model_input(x, t)
            cond = unet(model_input, t, encoder_hidden_states=text_states).sample
            uncond = unet(model_input, t, encoder_hidden_states=empty_states).sample
            x = scheduler.step(guidance(uncond, cond, guidance_scale), t, x).prev_sample
    return torch.clamp(x, -1.0, 1.0)


def make_autoencoder():
    return AutoencoderKL.from_config({
        "block_out_channels": [8, 16], "down_block_types": ["DownEncoderBlock2D"] * 2,
        "up_block_types": ["UpDecoderBlock2D"] * 2, "latent_channels": 3, "norm_num_groups": 4,
        "layers_per_block": 1, "scaling_factor": 0.5})


def encode_to_latents(vae, images, generator=None):
    moments = vae.encoder(images)
    if vae.quant_conv is not None:
        moments = vae.quant_conv(moments)
    mean, logvar = moments.detach().chunk(2, dim=1)
    if generator is not None:
        draw = torch.randn(mean.shape, generator=generator, dtype=mean.dtype).to(mean.device)
        mean = mean + torch.exp(0.5 * logvar.clamp(-30.0, 20.0)) * draw
    return vae.config.scaling_factor * mean


def decode_latents(vae, latents):
    z = latents * (1.0 / vae.config.scaling_factor)
    if vae.post_quant_conv is not None:
        z = vae.post_quant_conv(z)
    return torch.clamp(vae.decoder(z), min=-1.0, max=1.0).detach()


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    z_t = q_sample(encode_to_latents(vae, x0), t, noise, alphas_cumprod)
    return ((unet(z_t, t, encoder_hidden_states=text_states, return_dict=False)[0] - noise) ** 2).mean()
