"""What the student's process observes for 5.3 (GAN and text-to-image): their Generator's and Discriminator's output
shapes and layers, their outputs with weights drawn from the judge's seed put into their layers (matched by the order
they run), weights_init's effect, one discriminator_step or generator_step on tiny models the grader builds, their
noise schedule, text encoder and UNet, caption dropout, diffusion_loss on a tiny UNet, their sampler, their
autoencoder, their latents and pictures from a tiny VAE the grader builds, latent_diffusion_loss and a short latent run
on the grader's tiny models, and the two bounded training runs, whose weights (the generator's layers; the UNet's config and state, with the caption states)
are pulled out for the judge to run itself.

Everything here returns what the student's code did, as data; the judge (graders/test_s5_3_gan_text_to_image.py)
computes what it should have done, with the same tiny models built from the same seeds.
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in this item may reach the Hugging Face hub
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch
import torch.nn.functional as F
from diffusers import AutoencoderKL, DDIMScheduler, UNet2DConditionModel
from torch import nn

from graders.support.layers import calls_in_order, norms_reading
from ptgrade.items.s5_3_gan_text_to_image import MAX_TOKENS, draw_shapes, grid_prompts, tokenize
from ptgrade.protocol.observation import observation

GAN_STEPS = 300  # the bounded GAN run's alternating steps
T2I_STEPS = 300  # the bounded text-to-image run's steps
LATENT_STEPS = 20  # the short latent-diffusion run's steps (on the grader's tiny models: seconds)
NZ_TINY = 8  # the noise size of the tiny generator


# A Generator or Discriminator's layers are matched with the pattern by the order they run (forward hooks): its
# convolutions in order, each with the BatchNorm2d that read its output, described as data (_describe). The judge's
# weights are put into them (_push_layers), or the trained ones pulled out (_layer_state).
_CONVS = (nn.Conv2d, nn.ConvTranspose2d)
_BN_KEYS = ("weight", "bias", "running_mean", "running_var")


def _gan_layers(model, x):
    """In the student's process: ([(conv, bn or None)] in the order they ran on x (eval mode, no autograd; the
    training mode is restored), the number of other layers with weights that ran)."""
    def counted(module) -> bool:  # the layers matched, and every other layer with weights of its own
        return isinstance(module, (*_CONVS, nn.BatchNorm2d)) or any(True for _ in module.parameters(recurse=False))

    ran = calls_in_order(model, x, counted)
    calls = [call for call in ran if isinstance(call[0], (*_CONVS, nn.BatchNorm2d))]
    others = len(ran) - len(calls)
    convs = [(i, m, out) for i, (m, _, out) in enumerate(calls) if isinstance(m, _CONVS)]
    paired = norms_reading(calls, convs)
    return [(conv, calls[paired[i]][0] if i in paired else None) for i, conv, _ in convs], others


def _describe(conv, bn):
    """A layer as data: what the judge needs to draw its weights and run it."""
    transposed = isinstance(conv, nn.ConvTranspose2d)
    return {"kind": "convT" if transposed else "conv", "in": conv.in_channels, "out": conv.out_channels,
            "kernel": tuple(conv.kernel_size), "stride": tuple(conv.stride), "padding": tuple(conv.padding),
            "output_padding": tuple(conv.output_padding) if transposed else (0, 0), "dilation": tuple(conv.dilation),
            "groups": conv.groups, "bias": conv.bias is not None,
            "bn": None if bn is None else {"features": bn.num_features, "eps": float(bn.eps), "affine": bn.affine,
                                           "stats": bn.track_running_stats}}


def _layer_state(conv, bn):
    return {"weight": conv.weight.detach().clone(), "bias": None if conv.bias is None else conv.bias.detach().clone(),
            "bn": None if bn is None else {k: (None if getattr(bn, k) is None else getattr(bn, k).detach().clone())
                                           for k in _BN_KEYS}}


def _random_layer_weights(description, seed):
    """Weights for described layers, drawn from seed (by the judge, and the same again wherever this runs)."""
    generator = torch.Generator().manual_seed(seed)
    weights = []
    for layer in description:
        shape = ((layer["in"], layer["out"] // layer["groups"]) if layer["kind"] == "convT" else
                 (layer["out"], layer["in"] // layer["groups"])) + tuple(layer["kernel"])
        fan_in = shape[1] * layer["kernel"][0] * layer["kernel"][1]
        state = {"weight": torch.randn(shape, generator=generator) * (1.5 / fan_in) ** 0.5,
                 "bias": 0.1 * torch.randn(layer["out"], generator=generator) if layer["bias"] else None, "bn": None}
        if layer["bn"] is not None:
            features = layer["bn"]["features"]
            state["bn"] = {"weight": 0.5 + torch.rand(features, generator=generator),
                           "bias": 0.2 * torch.randn(features, generator=generator),
                           "running_mean": 0.2 * torch.randn(features, generator=generator),
                           "running_var": 0.5 + torch.rand(features, generator=generator)}
        weights.append(state)
    return weights


def _push_layers(layers, weights):
    with torch.no_grad():
        for (conv, bn), state in zip(layers, weights):
            conv.weight.copy_(state["weight"])
            if conv.bias is not None:
                conv.bias.copy_(state["bias"])
            if bn is not None:
                for name in _BN_KEYS:
                    if getattr(bn, name) is not None:
                        getattr(bn, name).copy_(state["bn"][name])


_PATTERNS = {  # (kind of every convolution, which ones have a BatchNorm after them)
    "Generator": ("convT", (True, True, False)),
    "Discriminator": ("conv", (False, True, False)),
}


def _pattern_fits(part, description, others):
    """Whether the described layers follow the docstring's pattern for `part` (the judge says what is off)."""
    kind, norms = _PATTERNS[part]
    ok = (isinstance(description, list) and len(description) == len(norms) and others == 0
          and all(isinstance(layer, dict) and layer.get("kind") == kind and (layer.get("bn") is not None) == norm
                  for layer, norm in zip(description, norms)))
    if ok:
        for layer in description:
            numbers = [layer.get("in"), layer.get("out"), layer.get("groups"), *layer.get("kernel", ()),
                       *layer.get("stride", ()), *layer.get("padding", ()), *layer.get("output_padding", ()),
                       *layer.get("dilation", ())]
            ok = ok and all(type(n) is int and 0 <= n <= 4096 for n in numbers) and layer["groups"] >= 1 \
                and all(len(layer.get(k, ())) == 2 for k in ("kernel", "stride", "padding", "output_padding", "dilation"))
            bn = layer.get("bn")
            ok = ok and (bn is None or (isinstance(bn, dict) and bn.get("features") == layer.get("out")
                                        and bn.get("stats") is True and isinstance(bn.get("eps"), float)))
    return ok


def _unet_state(unet):
    """In the student's process: (class name, config as plain data, state_dict); None for what the model lacks."""
    config = getattr(unet, "config", None)
    config = ({k: (list(v) if isinstance(v, tuple) else v) for k, v in dict(config).items() if not k.startswith("_")}
              if isinstance(config, dict) else None)
    return type(unet).__name__, config, {k: v.detach().clone() for k, v in unet.state_dict().items()}


class TinyGenerator(nn.Module):
    """(B, 8, 1, 1) noise -> (B, 3, 4, 4) images in [-1, 1]."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(NZ_TINY, 48)

    def forward(self, z):
        return torch.tanh(self.linear(z.flatten(1))).view(-1, 3, 4, 4)


class TinyDiscriminator(nn.Module):
    """(B, 3, 4, 4) images -> (B,) logits."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(48, 16)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        return self.out(F.leaky_relu(self.hidden(x.flatten(1)), 0.2)).flatten()


def _tiny_gan(seed):
    torch.manual_seed(seed)
    return TinyGenerator(), TinyDiscriminator()


def _tiny_batch(seed, n=6):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(n, 3, 4, 4, generator=generator) * 2 - 1, torch.randn(n, NZ_TINY, 1, 1, generator=generator)


def _stale_grads(model, seed):
    """Gradients left over from the other player's step (as a real loop leaves them)."""
    generator = torch.Generator().manual_seed(seed)
    for p in model.parameters():
        p.grad = torch.randn(p.shape, generator=generator)


def _flat(model):
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def _tiny_unet(seed):
    torch.manual_seed(seed)
    return UNet2DConditionModel(
        sample_size=8, in_channels=3, out_channels=3, layers_per_block=1, block_out_channels=(8, 16),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=12, attention_head_dim=4, norm_num_groups=4)


def _ddim(clip_sample=True):
    """The DDIM scheduler sample() is given. Its default clip_sample=True already keeps the last x in [-1, 1]; with
    clip_sample=False only sample()'s own clamp does."""
    return DDIMScheduler(num_train_timesteps=1000, beta_start=1e-4, beta_end=0.02, beta_schedule="linear",
                         clip_sample=clip_sample)


def _loss_case(seed):
    generator = torch.Generator().manual_seed(seed)
    x0 = torch.rand(4, 3, 8, 8, generator=generator) * 2 - 1
    states = torch.randn(4, MAX_TOKENS, 12, generator=generator)
    t = torch.randint(0, 1000, (4,), generator=generator)
    noise = torch.randn(4, 3, 8, 8, generator=generator)
    return x0, states, t, noise


def _sample_case(seed, n=3):
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(n, MAX_TOKENS, 12, generator=generator), torch.randn(n, MAX_TOKENS, 12, generator=generator),
            torch.randn(n, 3, 8, 8, generator=generator))


@observation
def gan_shapes(impl):
    """Generator()(z) for batches of 2 and 5 in training mode and 1 in eval mode, Discriminator()(x) likewise: the
    output shapes, the generator's output range, and each model's (layer type, stride) list."""
    torch.manual_seed(0)
    generator, discriminator = impl.Generator(), impl.Discriminator()
    shapes, low, high = {}, [], []
    for batch, train in ((2, True), (5, True), (1, False)):
        generator.train(train)
        discriminator.train(train)
        with torch.no_grad():
            images = generator(torch.randn(batch, impl.NZ, 1, 1))
            logits = discriminator(torch.rand(batch, 3, 16, 16) * 2 - 1)
        shapes[batch] = (tuple(images.shape), tuple(logits.shape))
        low.append(images.min().item())
        high.append(images.max().item())

    def layers(model):
        return [(type(m).__name__, tuple(getattr(m, "stride", ())) if hasattr(m, "stride") else ()) for m in model.modules()]
    return shapes, min(low), max(high), layers(generator), layers(discriminator), impl.NZ


@observation
def gan_part_with_weights(impl, part, seed, batch):
    """Generator() or Discriminator() (torch.manual_seed(0) first) with weights drawn from seed put into its layers
    (matched by the order they run): (its layers described, how many other layers with weights ran, its output for the
    input drawn from seed in eval mode, then in training mode)."""
    torch.manual_seed(0)
    model = impl.Generator() if part == "Generator" else impl.Discriminator()
    x = _gan_input(part, impl.NZ, seed, batch)
    layers, others = _gan_layers(model, x)
    description = [_describe(conv, bn) for conv, bn in layers]
    if _pattern_fits(part, description, others):
        _push_layers(layers, _random_layer_weights(description, seed))
    with torch.no_grad():
        evaluated = model.eval()(x)
        return description, others, evaluated, model.train()(x)


def _gan_input(part, nz, seed, batch):
    generator = torch.Generator().manual_seed(seed + 1)
    if part == "Generator":
        return torch.randn(batch, nz, 1, 1, generator=generator)
    return torch.rand(batch, 3, 16, 16, generator=generator) * 2 - 1


def _init_probe():
    """The model weights_init is applied to: a Conv2d, a ConvTranspose2d, a BatchNorm2d whose bias is set to 0.3, and a
    Linear that weights_init must leave as it is (the same numbers wherever this runs: torch.manual_seed(3) first)."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(3, 64, 4), nn.ConvTranspose2d(64, 32, 4), nn.BatchNorm2d(4096), nn.Linear(64, 64))
    nn.init.constant_(model[2].bias, 0.3)
    return model


@observation
def initialised_weights(impl):
    """weights_init applied (with Module.apply) to _init_probe() and to the student's Generator and Discriminator:
    every Conv/ConvTranspose weight and BatchNorm weight and bias, the Linear's weight and bias, and what weights_init
    returned when called on the Conv2d itself."""
    model = _init_probe()
    model.apply(impl.weights_init)
    found = {"conv": model[0].weight.detach().clone(), "convT": model[1].weight.detach().clone(),
             "bn_weight": model[2].weight.detach().clone(), "bn_bias": model[2].bias.detach().clone(),
             "linear": [model[3].weight.detach().clone(), model[3].bias.detach().clone()],
             "returned": impl.weights_init(model[0])}
    theirs = []
    for part in (impl.Generator(), impl.Discriminator()):
        part.apply(impl.weights_init)
        for m in part.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                theirs.append((type(m).__name__, m.weight.detach().clone()))
    return found, theirs


@observation
def discriminator_step_effects(impl, seed):
    """discriminator_step on the grader's tiny models (SGD lr 0.5 over D, D's .grad left over from a generator step):
    what it returned, D's and G's parameters after it, and whether each G parameter holds a gradient."""
    generator, discriminator = _tiny_gan(seed)
    real, z = _tiny_batch(seed)
    optimizer = torch.optim.SGD(discriminator.parameters(), lr=0.5)
    _stale_grads(discriminator, seed)
    returned = impl.discriminator_step(generator, discriminator, optimizer, real, z)
    g_grads = [p.grad is not None and bool(p.grad.abs().sum() > 0) for p in generator.parameters()]
    return returned, _flat(discriminator), _flat(generator), g_grads


@observation
def generator_step_effects(impl, seed):
    """generator_step on the grader's tiny models (SGD lr 0.5 over G, G's .grad left over): what it returned, G's and
    D's parameters after it, whether each D parameter still requires grad, and D's parameters after one more plain
    step of D (_d_probe_step) that a frozen D cannot take."""
    generator, discriminator = _tiny_gan(seed)
    _, z = _tiny_batch(seed)
    optimizer = torch.optim.SGD(generator.parameters(), lr=0.5)
    _stale_grads(generator, seed + 1)
    returned = impl.generator_step(generator, discriminator, optimizer, z)
    g_after, d_after = _flat(generator), _flat(discriminator)
    trainable = [p.requires_grad for p in discriminator.parameters()]
    return returned, g_after, d_after, trainable, _d_probe_step(discriminator, seed)


def _d_probe_step(discriminator, seed):
    """One SGD step (lr 0.1) of D on the sum of its logits for a batch drawn from seed: D's parameters after it."""
    optimizer = torch.optim.SGD([p for p in discriminator.parameters()], lr=0.1)
    optimizer.zero_grad()
    real, _ = _tiny_batch(seed + 7)
    if any(p.requires_grad for p in discriminator.parameters()):
        discriminator(real).sum().backward()
    optimizer.step()
    return _flat(discriminator)


@observation
def gan_training_run(impl, seed):
    """GAN_STEPS alternating steps (discriminator_step then generator_step, Adam lr 4e-4, betas (0.5, 0.999), batches
    of 64 from 1024 shapes drawn from seed) on the student's models after weights_init: the generator's layers
    described, how many other layers with weights ran, and its weights before and after training (which the judge
    runs with its own forward)."""
    return _gan_run(impl, seed)


def _gan_run(impl, seed):
    torch.manual_seed(seed)
    generator, discriminator = impl.Generator(), impl.Discriminator()
    generator.apply(impl.weights_init)
    discriminator.apply(impl.weights_init)
    optimizer_g = torch.optim.Adam(generator.parameters(), lr=4e-4, betas=(0.5, 0.999))
    optimizer_d = torch.optim.Adam(discriminator.parameters(), lr=4e-4, betas=(0.5, 0.999))
    data, *_ = draw_shapes(1024, seed + 500)
    rng = torch.Generator().manual_seed(seed)
    probe = torch.zeros(2, impl.NZ, 1, 1)
    layers, others = _gan_layers(generator, probe)
    before = [_layer_state(conv, bn) for conv, bn in layers]
    generator.train()
    for _ in range(GAN_STEPS):
        real = data[torch.randint(len(data), (64,), generator=rng)]
        impl.discriminator_step(generator, discriminator, optimizer_d, real, torch.randn(64, impl.NZ, 1, 1, generator=rng))
        impl.generator_step(generator, discriminator, optimizer_g, torch.randn(64, impl.NZ, 1, 1, generator=rng))
    layers, others = _gan_layers(generator, probe)
    return ([_describe(conv, bn) for conv, bn in layers], others, before,
            [_layer_state(conv, bn) for conv, bn in layers])


@observation
def noise_schedules(impl, drawn):
    """noise_schedule() with its defaults, noise_schedule(50, 1e-3, 0.05) and noise_schedule(*drawn)."""
    return impl.noise_schedule(), impl.noise_schedule(50, 1e-3, 0.05), impl.noise_schedule(*drawn)


@observation
def text_to_image_parts(impl, x, t):
    """make_text_encoder(), encode_captions on three captions and the empty one, make_unet() on (x, t) with those
    states: the text states, the UNet's output, and the UNet's class name, config and weights (_unet_state)."""
    torch.manual_seed(0)
    encoder, unet = impl.make_text_encoder(), impl.make_unet()
    ids = tokenize(["red circle", "blue square", "green circle", ""])
    with torch.no_grad():
        states = impl.encode_captions(encoder, ids)
        out = unet(x, t, encoder_hidden_states=states).sample
    return states, out, *_unet_state(unet)


@observation
def caption_dropout(impl, ids, p, seed):
    """drop_captions(ids, p, Generator seeded with seed): the result and ids afterwards."""
    result = impl.drop_captions(ids, p, torch.Generator().manual_seed(seed))
    return result, ids


@observation
def caption_dropout_batches(impl, ids, p, seeds):
    """drop_captions(ids, p, Generator seeded with seed) for each seed: one result per call."""
    return [impl.drop_captions(ids, p, torch.Generator().manual_seed(seed)) for seed in seeds]


@observation
def diffusion_loss_on_tiny_unet(impl, seed, alphas_cumprod):
    """diffusion_loss(_tiny_unet(seed), *_loss_case(seed), alphas_cumprod): the loss and conv_in's weight gradient."""
    unet = _tiny_unet(seed)
    x0, states, t, noise = _loss_case(seed)
    loss = impl.diffusion_loss(unet, x0, states, t, noise, alphas_cumprod)
    if not isinstance(loss, torch.Tensor) or not loss.requires_grad:
        return loss, None
    loss.backward()
    grad = unet.conv_in.weight.grad
    return loss.detach(), None if grad is None else grad.clone()


@observation
def sampled_images(impl, seed, scale, steps, clip_sample=True):
    """sample(_tiny_unet(seed), states, empty states, a fresh DDIMScheduler (_ddim(clip_sample)), noise, scale, steps)
    on _sample_case."""
    unet = _tiny_unet(seed)
    states, empty, noise = _sample_case(seed)
    return impl.sample(unet, states, empty, _ddim(clip_sample), noise, scale, steps)


@observation
def text_to_image_run(impl, seed):
    """T2I_STEPS training steps of the student's UNet and text encoder (AdamW lr 2e-3, batches of 32 from 2048 shapes
    drawn from seed, captions dropped with p=0.1 by drop_captions, diffusion_loss with the student's schedule), then:
    encode_captions of the 6 captions and of the empty one, and the UNet's class name, config and weights. The judge
    samples from them itself."""
    return _t2i_run(impl, seed)


def _t2i_run(impl, seed):
    torch.manual_seed(seed)
    encoder, unet = impl.make_text_encoder(), impl.make_unet()
    alphas_cumprod = impl.noise_schedule()
    images, captions, _, _ = draw_shapes(2048, seed + 1000, centred=True)
    ids = tokenize(captions)
    optimizer = torch.optim.AdamW([*unet.parameters(), *encoder.parameters()], lr=2e-3)
    rng = torch.Generator().manual_seed(seed)
    for _ in range(T2I_STEPS):
        index = torch.randint(len(images), (32,), generator=rng)
        batch_ids = impl.drop_captions(ids[index], 0.1, rng)
        t = torch.randint(0, 1000, (32,), generator=rng)
        noise = torch.randn(32, 3, 16, 16, generator=rng)
        loss = impl.diffusion_loss(unet, images[index], impl.encode_captions(encoder, batch_ids), t, noise,
                                   alphas_cumprod)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        states = impl.encode_captions(encoder, tokenize(grid_prompts(1)))  # one per caption, in grid_prompts' order
        empty = impl.encode_captions(encoder, tokenize([""]))
    return states, empty, *_unet_state(unet)


# -- Part 3: latent diffusion on the grader's tiny VAE and latent UNet ----------------------------------------------
def _tiny_vae(seed, scaling_factor):
    """An AutoencoderKL for 3x8x8 pictures -> 4x4x4 latents, with the judge's scaling factor; its decoder's last
    convolution is scaled up so that its pictures go past [-1, 1] (a clamp left out shows). Eval mode."""
    torch.manual_seed(seed)
    vae = AutoencoderKL(
        in_channels=3, out_channels=3, down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"), block_out_channels=(8, 8), layers_per_block=1,
        latent_channels=4, norm_num_groups=4, sample_size=8, scaling_factor=scaling_factor)
    with torch.no_grad():
        vae.decoder.conv_out.weight.mul_(3.0)
    return vae.eval()


def _tiny_latent_unet(seed):
    """A UNet2DConditionModel for the tiny VAE's 4x4x4 latents, reading states of width 12."""
    torch.manual_seed(seed)
    return UNet2DConditionModel(
        sample_size=4, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(8, 16),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=12, attention_head_dim=4, norm_num_groups=4)


def _latent_case(seed, n=4):
    """(pictures (n, 3, 8, 8) in [-1, 1], states (n, MAX_TOKENS, 12), t (n,), latent noise (n, 4, 4, 4))."""
    generator = torch.Generator().manual_seed(seed)
    images = F.avg_pool2d(draw_shapes(n, seed % 100_000)[0], 2)
    states = torch.randn(n, MAX_TOKENS, 12, generator=generator)
    t = torch.randint(0, 1000, (n,), generator=generator)
    return images, states, t, torch.randn(n, 4, 4, 4, generator=generator)


@observation
def autoencoder_parts(impl):
    """make_autoencoder() (torch.manual_seed(0) first): its class name, config and weights (_unet_state)."""
    torch.manual_seed(0)
    return _unet_state(impl.make_autoencoder())


@observation
def latents_encoded(impl, seed, scaling_factor, images, sample_seed):
    """encode_to_latents(_tiny_vae(seed, scaling_factor), images), then the same with a generator seeded with
    sample_seed."""
    vae = _tiny_vae(seed, scaling_factor)
    return (impl.encode_to_latents(vae, images),
            impl.encode_to_latents(vae, images, torch.Generator().manual_seed(sample_seed)))


@observation
def latents_decoded(impl, seed, scaling_factor, latents):
    """decode_latents(_tiny_vae(seed, scaling_factor), latents) for each latents given."""
    vae = _tiny_vae(seed, scaling_factor)
    return [impl.decode_latents(vae, each) for each in latents]


@observation
def latent_loss_effects(impl, seed, scaling_factor, alphas_cumprod):
    """latent_diffusion_loss(_tiny_latent_unet(seed), _tiny_vae(seed + 1, scaling_factor), *_latent_case(seed),
    alphas_cumprod), then backward: the loss, the UNet's conv_in weight gradient (None when the loss cannot be
    backpropagated), whether each VAE parameter holds a gradient, and the VAE's parameters afterwards."""
    unet, vae = _tiny_latent_unet(seed), _tiny_vae(seed + 1, scaling_factor)
    images, states, t, noise = _latent_case(seed)
    loss = impl.latent_diffusion_loss(unet, vae, images, states, t, noise, alphas_cumprod)
    if not isinstance(loss, torch.Tensor) or not loss.requires_grad:
        return loss, None, [], _flat(vae)
    loss.backward()
    grad = unet.conv_in.weight.grad
    vae_grads = [p.grad is not None and bool(p.grad.abs().sum() > 0) for p in vae.parameters()]
    return loss.detach(), None if grad is None else grad.clone(), vae_grads, _flat(vae)


@observation
def latent_training_run(impl, seed, scaling_factor, alphas_cumprod):
    """LATENT_STEPS steps of Adam (lr 3e-3, over the UNet's parameters only) on latent_diffusion_loss with
    _tiny_latent_unet(seed) and _tiny_vae(seed + 1, scaling_factor), on _latent_case(seed, 8)'s pictures and states
    with t and noise drawn afresh each step: the UNet's weights afterwards (the judge measures the loss itself)."""
    unet, vae = _tiny_latent_unet(seed), _tiny_vae(seed + 1, scaling_factor)
    images, states, _, _ = _latent_case(seed, 8)
    optimizer = torch.optim.Adam(unet.parameters(), lr=3e-3)
    rng = torch.Generator().manual_seed(seed + 2)
    for _ in range(LATENT_STEPS):
        t = torch.randint(0, 1000, (len(images),), generator=rng)
        noise = torch.randn(len(images), 4, 4, 4, generator=rng)
        loss = impl.latent_diffusion_loss(unet, vae, images, states, t, noise, alphas_cumprod)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {k: v.detach().clone() for k, v in unet.state_dict().items()}
