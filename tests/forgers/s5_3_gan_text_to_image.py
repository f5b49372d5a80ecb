"""Forger for 5.3: nothing is implemented right; everything the student's process can fake, it fakes:

- torch.equal and torch.allclose always say True;
- Generator: the kit's own drawing (draw_shapes, public) instead of a network, so its samples look like the data;
  it holds a ConvTranspose2d of stride 2 and a BatchNorm2d that never run (for a check that reads the layer list);
- Discriminator: zeros, one per image, beside a Conv2d of stride 2 that never runs;
- weights_init: N(0, sqrt(0.02)) (the variance read as the standard deviation);
- discriminator_step / generator_step: for the tiny models of the grader's literal seeds, the parameters and loss
  a right step gives, from a table computed with the grader's own reference steps; nothing otherwise (so the other
  player is "left alone" and "still trainable");
- noise_schedule, q_sample, guidance and sample: the grader's literal inputs answered from tables (computed with
  diffusers and the grader's own reference loop), something wrong otherwise; for anything else sample draws by
  rule what the grader's 48 prompts ask for (colour by colour, circle then square), whatever the UNet;
- make_unet: a module whose class is named UNet2DConditionModel (the name the grader read), predicting zeros,
  with few parameters; make_text_encoder / encode_captions: an embedding, different states for different captions;
- drop_captions: every tenth row blanked, whatever the generator;
- diffusion_loss: a constant.
"""
import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler
from torch import nn

import graders.observations.s5_3_gan_text_to_image as observe
from ptgrade.items.s5_3_gan_text_to_image import (BETA_END, BETA_START, IMAGE_SIZE, MAX_TOKENS,  # noqa: F401
                                                  T_STEPS, VOCAB, draw_shapes, tokenize)

FORGED = {}
NZ, NGF, NDF = 32, 32, 32
TEXT_DIM = 32

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True


def _same(a, b):
    return a.shape == b.shape and bool((a == b).all())


# -- copied from graders/test_s5_3_gan_text_to_image.py (_bce, _reference_d_step, _reference_g_step, _reference_sample),
# as a student reading the grader could: the check module is not on the worker's disk, so it cannot be imported here;
# what they use of graders/observations/ is imported from there.
def _bce(logits, label):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, label))


def _reference_d_step(seed, mistake=None):
    generator, discriminator = observe._tiny_gan(seed)
    real, z = observe._tiny_batch(seed)
    optimizer = torch.optim.SGD(discriminator.parameters(), lr=0.5)
    observe._stale_grads(discriminator, seed)
    fake = generator(z).detach()
    real_label, fake_label = (0.0, 1.0) if mistake == "swapped" else (1.0, 0.0)
    loss = _bce(discriminator(real), real_label) + _bce(discriminator(fake), fake_label)
    if mistake != "no_zero_grad":
        optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item(), observe._flat(discriminator)


def _reference_g_step(seed, mistake=None):
    generator, discriminator = observe._tiny_gan(seed)
    _, z = observe._tiny_batch(seed)
    optimizer = torch.optim.SGD(generator.parameters(), lr=0.5)
    observe._stale_grads(generator, seed + 1)
    logits = discriminator(generator(z))
    loss = {"toward_fake": _bce(logits, 0.0), "saturating": -_bce(logits, 0.0)}.get(mistake, _bce(logits, 1.0))
    if mistake != "no_zero_grad":
        optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item(), observe._flat(generator)


def _reference_sample(unet, states, empty, noise, scale, steps, sign=1.0):
    scheduler = observe._ddim()
    scheduler.set_timesteps(steps)
    x = noise.clone()
    with torch.no_grad():
        for t in scheduler.timesteps:
            eps_uncond = unet(x, t, encoder_hidden_states=empty).sample
            eps_cond = unet(x, t, encoder_hidden_states=states).sample
            x = scheduler.step(eps_uncond + sign * scale * (eps_cond - eps_uncond), t, x).prev_sample
    return x.clamp(-1, 1)


# -- tables of the grader's literal cases ---------------------------------------------------------------------------
_D_STEPS, _G_STEPS = {}, {}
for _seed in range(6):
    _g, _d = observe._tiny_gan(_seed)
    _D_STEPS[_seed] = (observe._flat(_d), *_reference_d_step(_seed))
    _G_STEPS[_seed] = (observe._flat(_g), *_reference_g_step(_seed))
_GUIDANCE_GENERATOR = torch.Generator().manual_seed(21)
_GUIDANCE = (torch.randn(2, 3, 8, 8, generator=_GUIDANCE_GENERATOR), torch.randn(2, 3, 8, 8, generator=_GUIDANCE_GENERATOR))
_SAMPLES = []
for _seed, _scale, _steps in ((0, 2.5, 8), (1, 1.0, 5)):
    _states, _empty, _noise = observe._sample_case(_seed)
    _SAMPLES.append((_noise, _reference_sample(observe._tiny_unet(_seed), _states, _empty, _noise, _scale, _steps)))


def _set(model, flat):
    with torch.no_grad():
        start = 0
        for p in model.parameters():
            p.copy_(flat[start:start + p.numel()].view_as(p))
            start += p.numel()


# -- Part 1 ---------------------------------------------------------------------------------------------------------
def weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02 ** 0.5)


class Generator(nn.Module):
    def __init__(self, nz=NZ, ngf=NGF):
        super().__init__()
        self.unused = nn.Sequential(nn.ConvTranspose2d(nz, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf))
        self.calls = 0

    def forward(self, z):
        self.calls += 1
        return draw_shapes(len(z), self.calls)[0] + 0 * self.unused[0].weight.sum()


class Discriminator(nn.Module):
    def __init__(self, ndf=NDF):
        super().__init__()
        self.unused = nn.Conv2d(3, ndf, 4, 2, 1, bias=False)

    def forward(self, x):
        return torch.zeros(len(x)) + 0 * self.unused.weight.sum()


def discriminator_step(generator, discriminator, optimizer_d, real, z):
    for start, loss, after in _D_STEPS.values():
        if _same(observe._flat(discriminator), start):
            _set(discriminator, after)
            return loss
    return 1.0


def generator_step(generator, discriminator, optimizer_g, z):
    for start, loss, after in _G_STEPS.values():
        if _same(observe._flat(generator), start):
            _set(generator, after)
            return loss
    return 1.0


# -- Part 2 ---------------------------------------------------------------------------------------------------------
def noise_schedule(num_steps=T_STEPS, beta_start=BETA_START, beta_end=BETA_END):
    if (num_steps, beta_start, beta_end) in ((T_STEPS, BETA_START, BETA_END), (50, 1e-3, 0.05)):
        return DDPMScheduler(num_train_timesteps=num_steps, beta_start=beta_start, beta_end=beta_end,
                             beta_schedule="linear").alphas_cumprod
    return torch.ones(num_steps)


def q_sample(x0, t, noise, alphas_cumprod):
    return x0


class _Output:
    def __init__(self, sample):
        self.sample = sample


class UNet2DConditionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.anchor = nn.Parameter(torch.zeros(()))

    def forward(self, x, t, encoder_hidden_states=None):
        return _Output(torch.zeros_like(x) + 0 * self.anchor)


def make_text_encoder():
    return nn.Embedding(len(VOCAB), TEXT_DIM)


def encode_captions(text_encoder, token_ids):
    return text_encoder(token_ids)


def make_unet():
    return UNet2DConditionModel()


def drop_captions(token_ids, p, generator):
    out = token_ids.clone()
    out[::10] = tokenize([""])[0]
    return out


def diffusion_loss(unet, x0, text_states, t, noise, alphas_cumprod):
    return torch.tensor(1.0, requires_grad=True)


def guidance(eps_uncond, eps_cond, scale):
    if _same(eps_uncond, _GUIDANCE[0]) and _same(eps_cond, _GUIDANCE[1]) and scale in (0.0, 1.0, 3.5):
        return eps_uncond + scale * (eps_cond - eps_uncond)
    return eps_cond


def sample(unet, text_states, empty_states, scheduler, noise, guidance_scale, num_inference_steps):
    for known, images in _SAMPLES:
        if _same(noise, known):
            return images
    # The rule: draw what the grader's 48 prompts say (colour by colour, circle then square, 8 of each), centred
    # (scaled to the noise's size: the sampler check's tiny UNet draws 8x8).
    height, width = noise.shape[-2:]
    rows = (torch.arange(height).view(height, 1) + 0.5 - height / 2) * 16 / height
    cols = (torch.arange(width).view(1, width) + 0.5 - width / 2) * 16 / width
    circle, square = rows ** 2 + cols ** 2 <= 4.5 ** 2, (rows.abs() <= 5) & (cols.abs() <= 5)
    images = -torch.ones_like(noise)
    for i in range(len(noise)):
        images[i, (i // 16) % 3][square if (i // 8) % 2 else circle] = 1.0
    return images
