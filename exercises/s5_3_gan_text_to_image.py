"""5.3 Project: GAN and text-to-image.

Two generative models, trained on pictures the kit draws itself (no download): 16x16 colour images of a red, green
or blue circle or square on black, in [-1, 1], each with its caption ("red circle", "blue square", ...).
`draw_shapes(count, seed)` makes them and `tokenize(captions)` turns captions into word ids.

Part 1, a DCGAN (Radford et al., 2015): a Generator that turns noise into images with strided transposed
convolutions and batch norm, a Discriminator that scores images with strided convolutions, the standard
initialisation, and the alternating update: first the discriminator learns to tell real from fake (with the fakes
detached, so the generator is left alone), then the generator learns to fool it (the non-saturating loss).

Part 2, text-to-image in the style of Stable Diffusion, at toy scale, with diffusers' building blocks: a noise
schedule and the forward noising q_sample, a small text encoder and a UNet2DConditionModel that reads the caption
through cross-attention, the noise-prediction loss, caption dropout (so the same model also learns the
unconditional prediction) and a DDIM sampler with classifier-free guidance.

Part 3, latent diffusion: what makes Stable Diffusion "latent". A variational autoencoder (diffusers' AutoencoderKL,
tiny, built from a config) compresses each 16x16 picture into an 8x8 grid of latents; Part 2's diffusion runs on those
latents instead of on pixels (four times fewer positions), and the VAE's decoder turns sampled latents back into a
picture. The VAE is frozen: only the UNet learns. Part 2's pixel-space model is the first step; Part 3 moves it into
the latent space.

What the grader's bounded runs require (the grader measures each from the trained weights itself):
- Part 1: Generator and Discriminator after weights_init, 300 alternating steps (Adam lr 4e-4, betas (0.5, 0.999),
  batches of 64 from 1024 shapes): 512 new samples within a Fréchet distance of 30 of the data on 4x4 features
  (an untrained generator is at about 43).
- Part 2: make_unet and make_text_encoder trained together for 300 steps (AdamW lr 2e-3, batches of 32, captions
  dropped with p=0.1); 8 samples per caption for the 6 captions (guidance 3, 20 DDIM steps, the same 8 noises under
  every caption): at least 40% show their caption's colour, and in at least 40% of the (colour, noise) pairs the
  "square" sample is squarer than the "circle" one, in at least one of up to three independent runs.
- Part 3: 20 Adam steps (lr 3e-3) of the grader's tiny latent UNet on latent_diffusion_loss bring the latent loss
  below 85% of the untrained UNet's.

Run `ptgrade check 5.3` to grade, and `ptgrade run 5.3` to train both for real and write sample grids (PNG).
"""
import torch
import torch.nn.functional as F
from diffusers import AutoencoderKL, UNet2DConditionModel
from torch import nn
from transformers import CLIPTextConfig, CLIPTextModel

from ptgrade.items.s5_3_gan_text_to_image import BETA_END, BETA_START, IMAGE_SIZE, MAX_TOKENS, T_STEPS, VOCAB, tokenize

NZ, NGF, NDF = 32, 32, 32  # noise size, generator and discriminator base widths
TEXT_DIM = 32  # the text encoder's hidden size (the UNet's cross_attention_dim)


# -- Part 1: DCGAN --------------------------------------------------------------------------------------------------
def weights_init(module):
    """DCGAN's initialisation, for `model.apply(weights_init)` (called once per submodule).

    Conv2d and ConvTranspose2d weights are drawn from a normal law with mean 0 and standard deviation 0.02;
    BatchNorm2d weights from mean 1 and standard deviation 0.02, with biases set to 0. Other modules are left
    as they are. Works in place and returns nothing."""
    raise NotImplementedError("weights_init")


class Generator(nn.Module):
    """Noise z of shape (B, nz, 1, 1) -> images (B, 3, 16, 16) with values in [-1, 1].

    The DCGAN pattern: ConvTranspose2d layers (the first from 1x1 to 4x4, then stride 2 to 8x8 and 16x16), each but
    the last followed by BatchNorm2d and ReLU, and Tanh at the end. Works for any batch size B."""

    def __init__(self, nz=NZ, ngf=NGF):
        super().__init__()
        raise NotImplementedError("Generator.__init__")

    def forward(self, z):
        raise NotImplementedError("Generator.forward")


class Discriminator(nn.Module):
    """Images (B, 3, 16, 16) -> one raw logit per image, shape (B,) (no sigmoid: the losses use BCEWithLogits).

    The DCGAN pattern: Conv2d layers of stride 2 (16x16 -> 8x8 -> 4x4, no pooling) with LeakyReLU(0.2), BatchNorm2d
    after every convolution but the first, and a last Conv2d from the 4x4 map to 1 channel."""

    def __init__(self, ndf=NDF):
        super().__init__()
        raise NotImplementedError("Discriminator.__init__")

    def forward(self, x):
        raise NotImplementedError("Discriminator.forward")


def discriminator_step(generator, discriminator, optimizer_d, real, z):
    """One update of the discriminator; returns its loss as a Python float.

    loss = BCEWithLogits(D(real), 1) + BCEWithLogits(D(fake), 0), each the mean over the batch, where
    fake = generator(z) is detached: this step must not put gradients in (or change) the generator.
    optimizer_d holds only D's parameters, and D's .grad may still hold what the last generator step left there."""
    raise NotImplementedError("discriminator_step")


def generator_step(generator, discriminator, optimizer_g, z):
    """One update of the generator; returns its loss as a Python float.

    The non-saturating loss: loss = BCEWithLogits(D(generator(z)), 1), the mean over the batch: G learns to make D
    call its images real. optimizer_g holds only G's parameters (G's .grad may hold leftovers); D must come out
    unchanged and still trainable."""
    raise NotImplementedError("generator_step")


# -- Part 2: text-to-image diffusion --------------------------------------------------------------------------------
def noise_schedule(num_steps=T_STEPS, beta_start=BETA_START, beta_end=BETA_END):
    """The DDPM linear schedule: alphas_cumprod, a float32 tensor of shape (num_steps,).

    betas rise linearly from beta_start to beta_end over num_steps; alphas_cumprod[t] is the product of
    (1 - beta) for steps 0..t. The same numbers as diffusers' DDPMScheduler(beta_schedule="linear")."""
    raise NotImplementedError("noise_schedule")


def q_sample(x0, t, noise, alphas_cumprod):
    """The forward noising: x_t = sqrt(alphas_cumprod[t]) * x0 + sqrt(1 - alphas_cumprod[t]) * noise.

    x0 and noise have shape (B, ...); t is a LongTensor of shape (B,), one step per image, broadcast over the other
    dimensions. Returns a tensor of x0's shape, on x0's device: x0, t and noise may be on a GPU while
    alphas_cumprod stays on the CPU, so bring the schedule to their device before indexing it with t."""
    raise NotImplementedError("q_sample")


def make_text_encoder():
    """A small text encoder built from a config (nothing downloaded), for token ids of shape (B, MAX_TOKENS) over
    VOCAB, with hidden size TEXT_DIM. A transformers CLIPTextModel(CLIPTextConfig(...)) is the Stable Diffusion way;
    any nn.Module that encode_captions can use will do."""
    raise NotImplementedError("make_text_encoder")


def encode_captions(text_encoder, token_ids):
    """Token ids (B, MAX_TOKENS) -> text states (B, MAX_TOKENS, TEXT_DIM): one vector per token (for a CLIP text
    model, its last_hidden_state), which the UNet reads with cross-attention."""
    raise NotImplementedError("encode_captions")


def make_unet():
    """A diffusers UNet2DConditionModel for 3x16x16 images conditioned on text states of size TEXT_DIM
    (cross_attention_dim). Keep it small (under 1,000,000 parameters): it trains on a CPU."""
    raise NotImplementedError("make_unet")


def drop_captions(token_ids, p, generator):
    """Caption dropout for classifier-free guidance: a new tensor in which each row of token_ids is, independently
    with probability p, replaced by the empty caption's ids (tokenize([""])[0]); the other rows are kept.

    Draw the random numbers from `generator` (a torch.Generator on the CPU); token_ids itself is left unchanged.
    The result is on token_ids' device (a GPU, say): move the draws and the empty caption's ids there."""
    raise NotImplementedError("drop_captions")


def diffusion_loss(unet, x0, text_states, t, noise, alphas_cumprod):
    """The noise-prediction loss, a scalar tensor that backward() can run through.

    Noise x0 to step t with q_sample, let the UNet predict the noise from (x_t, t, text_states) (its output's
    `.sample`), and return the mean squared error between that prediction and `noise`."""
    raise NotImplementedError("diffusion_loss")


def guidance(eps_uncond, eps_cond, scale):
    """Classifier-free guidance: the unconditional prediction moved `scale` times the way the caption points.
    scale 0 gives eps_uncond, scale 1 gives eps_cond; the result has their shape."""
    raise NotImplementedError("guidance")


def sample(unet, text_states, empty_states, scheduler, noise, guidance_scale, num_inference_steps):
    """Images for captions, with classifier-free guidance: a tensor of noise's shape (B, 3, H, W) in [-1, 1].

    text_states and empty_states (the empty caption's states) have shape (B, MAX_TOKENS, TEXT_DIM). scheduler is
    a diffusers scheduler (a DDIMScheduler here): set num_inference_steps timesteps, start from `noise`, and at each
    t predict the noise with the empty and the caption states, combine them with guidance(), and step the scheduler.
    Return the last x clamped to [-1, 1]. No gradients are needed."""
    raise NotImplementedError("sample")


# -- Part 3: latent diffusion ---------------------------------------------------------------------------------------
def make_autoencoder():
    """A tiny diffusers AutoencoderKL (Stable Diffusion's VAE) built from a config, nothing downloaded: 3x16x16
    pictures in [-1, 1] <-> latents of shape (latent_channels, 8, 8) (Stable Diffusion uses 4 latent channels).

    The encoder halves the size after every down block but the last, so two DownEncoderBlock2D (and two
    UpDecoderBlock2D to come back) give 16x16 -> 8x8. Keep it small (under 500,000 parameters): for example
    block_out_channels=(16, 32), layers_per_block=1, norm_num_groups=8 (every block's channels must divide by it).
    Its config's scaling_factor (diffusers' default 0.18215, what Stable Diffusion's VAE uses) is the number latents
    are multiplied by so that they have about unit variance, like the scheduler's noise.

    Stable Diffusion loads a trained one (AutoencoderKL.from_pretrained("stabilityai/sd-vae-ft-mse")); here its
    weights are random: it still maps pictures to latents and back, only not faithfully.

    Example: make_autoencoder().encode(torch.zeros(2, 3, 16, 16)).latent_dist.mode().shape == (2, 4, 8, 8)"""
    raise NotImplementedError("make_autoencoder")


def encode_to_latents(vae, images, generator=None):
    """Pictures (B, 3, H, W) in [-1, 1] -> scaled latents (B, latent_channels, H/2, W/2), ready for diffusion.

    vae.encode(images).latent_dist is the posterior, a diagonal Gaussian for every latent value. With no `generator`,
    take its mode() (its mean: the same latents every time); with one, a sample drawn from it,
    latent_dist.sample(generator) (as Stable Diffusion's training does). Then multiply by vae.config.scaling_factor,
    once. The VAE is frozen: no gradient should reach it (work under torch.no_grad()).

    Watch for: the scaling factor forgotten, applied twice, or divided by (dividing is decode_latents' job).

    Example: encode_to_latents(vae, images).shape == (B, 4, 8, 8) for 16x16 pictures."""
    raise NotImplementedError("encode_to_latents")


def decode_latents(vae, latents):
    """Scaled latents (B, latent_channels, h, w) -> pictures (B, 3, 2h, 2w) in [-1, 1]: encode_to_latents undone.

    Divide by vae.config.scaling_factor first (undo what encode_to_latents multiplied in), decode with
    vae.decode(...).sample, and clamp to [-1, 1] (the decoder's output is not bounded). No gradients are needed.

    Watch for: decoding the scaled latents as they are (with 0.18215 the decoder sees latents 5.5 times too small),
    or multiplying by the factor again.

    Example: decode_latents(vae, encode_to_latents(vae, images)).shape == images.shape"""
    raise NotImplementedError("decode_latents")


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    """diffusion_loss moved into the VAE's latent space, as Stable Diffusion trains: a scalar tensor.

    x0 are pictures (B, 3, H, W); noise has the latents' shape (B, latent_channels, H/2, W/2), and unet is a
    UNet2DConditionModel whose in_channels and out_channels are vae.config.latent_channels. Encode x0 with
    encode_to_latents (no generator), with no gradient into the VAE; noise the latents to step t with q_sample; let
    the UNet predict the noise from (noisy latents, t, text_states) (its output's `.sample`); return the mean squared
    error to `noise`. backward() on it reaches the UNet only.

    Watch for: noising the pixels and then encoding them (the noise lives in latent space), the VAE receiving
    gradients (encoding with autograd on: backward runs through the frozen encoder), the scaling factor forgotten.

    Example: latent_diffusion_loss(unet, vae, images, states, t, torch.randn(B, 4, 8, 8), alphas_cumprod)"""
    raise NotImplementedError("latent_diffusion_loss")
