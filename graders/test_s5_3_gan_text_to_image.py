"""5.3 Project: GAN and text-to-image. DCGAN: shapes, initialisation, the two alternating steps (labels, detach,
zero_grad, the non-saturating loss) and a bounded training run measured against the data. Diffusion: the schedule and
q_sample against diffusers' DDPMScheduler, caption dropout, the noise-prediction loss, the guidance formula, a DDIM
sampler against a reference loop, and captions followed after bounded training, read by the kit's detector. Latent
diffusion: the student's AutoencoderKL (rebuilt in the judge from its config and weights), latents scaled on the way in
and unscaled on the way out of a tiny VAE the grader builds, the latent loss against the judge's own (the VAE frozen),
and a short run on the grader's tiny models that must lower the loss the judge measures.

What the judge believes: only what it computes. Every check's inputs, and the data both models learn from, are drawn
from the judge's run seed (`run_seed`), so no answer can be looked up from this file's recipes. The Generator and the
Discriminator are measured with the judge's own forward of the specified pattern: for the structure checks the judge
puts its weights into the student's layers (matched by the order they run) and compares the outputs; after the bounded
GAN run it pulls the generator's weights out and draws the samples itself, from noise that never reaches the student's
process. The UNet is rebuilt in the judge from its config and weights (a diffusers UNet2DConditionModel, under the size
limit): after the bounded text-to-image run the judge samples it with its own DDIM loop, from the caption states the
student's encoder gives and noise of its own, and reads the pictures with the kit's detector. Samples the student's
process draws are never graded.
"""
import os
import random

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in this item may reach the Hugging Face hub
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from diffusers import AutoencoderKL, DDPMScheduler, UNet2DConditionModel  # noqa: E402
from torch import nn  # noqa: E402

from graders.observations.s5_3_gan_text_to_image import (  # noqa: E402
    _BN_KEYS,
    _PATTERNS,
    GAN_STEPS,
    LATENT_STEPS,
    T2I_STEPS,
    _d_probe_step,
    _ddim,
    _flat,
    _gan_input,
    _init_probe,
    _latent_case,
    _loss_case,
    _pattern_fits,
    _random_layer_weights,
    _sample_case,
    _stale_grads,
    _tiny_batch,
    _tiny_gan,
    _tiny_latent_unet,
    _tiny_unet,
    _tiny_vae,
    autoencoder_parts,
    caption_dropout,
    caption_dropout_batches,
    diffusion_loss_on_tiny_unet,
    discriminator_step_effects,
    gan_part_with_weights,
    gan_shapes,
    gan_training_run,
    generator_step_effects,
    initialised_weights,
    latent_loss_effects,
    latent_training_run,
    latents_decoded,
    latents_encoded,
    noise_schedules,
    sampled_images,
    text_to_image_parts,
    text_to_image_run,
)
from graders.support import errors  # noqa: E402
from graders.support.assertions import assert_scalar, assert_tensor, check, expect_tensor, say  # noqa: E402
from ptgrade.items.s5_3_gan_text_to_image import (  # noqa: E402
    COLOURS,
    MAX_TOKENS,
    SHAPES,
    detect,
    draw_shapes,
    frechet_distance,
    gan_features,
    shape_pairs,
    tokenize,
)

# An untrained generator scores about 43.2; after GAN_STEPS the reference scored 15.7-21.0 over seeds 0-19 (worst:
# seed 0, 21.03). Measured as the judge now measures it (its own forward of the pulled weights, noise and data drawn
# from the run seed), run seeds 1-20: 15.8-20.5 (worst: run seed 16); `python benchmarks/sweep_s5_3.py gan 20`.
GAN_FD_THRESHOLD = 30.0
# The text-to-image data are centred shapes (draw_shapes(..., centred=True)): the tiny UNet learns a centred shape
# within a CPU-sized budget, where shapes at random places stayed at chance. The same 8 starting noises go under each
# of the 6 captions, so the two checks need no luck: a model that ignores its caption draws one picture per noise for
# all three colours (at most 16 of 48, 1/3, can match) and for both shapes (no "square" sample is squarer than its
# "circle" twin, which scores 0). The reference after T2I_STEPS, seeds 0-19, sampled by its own sample(): colour worst
# 0.604 (29 of 48, seeds 8 and 18), median 0.73; shape pairs worst 0.625 (15 of 24, seed 9), then 0.83 (seed 8), the
# other 18 seeds 0.92 or more. Sampled as the judge now samples (the pulled UNet in its own DDIM loop, data and noise
# drawn from the run seed), run seeds 1-20 (`python benchmarks/sweep_s5_3.py t2i 20`): colour worst 0.604 (run seeds 5
# and 17), median 0.83; shape pairs worst 0.833 (run seed 2), median 1.0.
T2I_COLOUR_THRESHOLD = 0.4  # at least 20 of 48: four more than ignoring the caption allows
T2I_SHAPE_THRESHOLD = 0.4  # at least 10 of the 24 pairs, where ignoring the shape word gets none
UNET_LIMIT = 1_000_000  # parameters: make_unet's model must train on a CPU
VAE_LIMIT = 500_000  # parameters: make_autoencoder's model (the reference has 167,959)
# The short latent run (LATENT_STEPS Adam steps on the grader's tiny UNet and VAE) must bring the judge's own loss,
# averaged over 8 draws of t and noise, to LATENT_RATIO of where it started. Measured as the check measures it: the
# reference 0.649-0.677 over run seeds 1-5, the alternative 0.649-0.676 over run seeds 1-3; noising the pixels instead
# of the latents 0.943 (run seed 1); a loss that does not train the UNet stays at 1.0.
LATENT_RATIO = 0.85


def _derived(run_seed, salt):
    """A seed for one purpose, drawn from the judge's run seed (public recipes, draws the student cannot know)."""
    return (run_seed * 7919 + salt * 104729) % (2 ** 31 - 1)


# -- the judge's own forward of the DCGAN pattern --------------------------------------------------------------------
# A Generator or Discriminator's layers are matched with the pattern by the order they run (forward hooks, in the
# student's process): its convolutions in order, each with the BatchNorm2d that read its output. The student's process
# describes them (kind, channels, kernel, stride, padding: data only); the judge draws weights for that description,
# has them put into the layers and compares the student's output with its own forward, or pulls the trained weights
# out and runs its own forward. What the student's process says only decides which tensors travel: the numbers the
# judge grades are computed here.
def _pattern_problem(part, description, others):
    """None when the described layers follow the docstring's pattern for `part`, else what is off (for a message)."""
    if _pattern_fits(part, description, others):
        return None
    kind, norms = _PATTERNS[part]
    seen = [f"{layer.get('kind')}{'+BatchNorm2d' if layer.get('bn') else ''}" if isinstance(layer, dict) else "?"
            for layer in (description if isinstance(description, list) else [])]
    want = [f"{kind}{'+BatchNorm2d' if norm else ''}" for norm in norms]
    return say(f"{part}'s layers, in the order they ran: {seen}, and {others} other layer(s) with weights; the DCGAN "
               f"pattern is {want} (conv = Conv2d, convT = ConvTranspose2d, each BatchNorm2d with running statistics), "
               "and nothing else with weights.",
               f"{part}의 계층(실행 순서): {seen}, 그리고 가중치가 있는 다른 계층 {others}개. DCGAN 패턴은 {want}이고(conv = "
               "Conv2d, convT = ConvTranspose2d, BatchNorm2d는 누적 통계를 가짐), 가중치가 있는 다른 계층은 없습니다.")


def _checked_weights(description, weights):
    """The pulled weights as the judge's own float32 tensors, each of the described shape; None if any is not."""
    expected = _random_layer_weights(description, 0)  # only the shapes are used
    if not isinstance(weights, list) or len(weights) != len(expected):
        return None
    checked = []
    for got, want in zip(weights, expected):
        if not isinstance(got, dict):
            return None

        def tensor(value, like):
            if like is None:
                return None
            if (type(value) not in (torch.Tensor, nn.Parameter) or value.shape != like.shape
                    or not value.is_floating_point()):
                raise ValueError
            return value.detach().float().contiguous()
        try:
            state = {"weight": tensor(got.get("weight"), want["weight"]), "bias": tensor(got.get("bias"), want["bias"]),
                     "bn": None if want["bn"] is None else {k: tensor((got.get("bn") or {}).get(k), want["bn"][k])
                                                            for k in _BN_KEYS}}
        except ValueError:
            return None
        checked.append(state)
    return checked


_SIZES = {"Generator": [4, 8, 16], "Discriminator": [8, 4, 1]}  # each layer's output size, as the docstrings say


def _judge_gan(part, x, description, weights, training=False):
    """The judge's forward of the DCGAN pattern with the given weights, eval mode (or training mode: each BatchNorm2d
    with the batch's statistics): the Generator's images (tanh at the end, ReLU between) or the Discriminator's logits
    (LeakyReLU(0.2) between, flattened); an AssertionError when the layers do not take 1x1 to 4x4, 8x8 and 16x16 (or
    16x16 to 8x8, 4x4 and one logit)."""
    generator = part == "Generator"
    sizes = []
    with torch.no_grad():
        for index, (layer, state) in enumerate(zip(description, weights)):
            if layer["kind"] == "convT":
                x = F.conv_transpose2d(x, state["weight"], state["bias"], layer["stride"], layer["padding"],
                                       layer["output_padding"], layer["groups"], layer["dilation"])
            else:
                x = F.conv2d(x, state["weight"], state["bias"], layer["stride"], layer["padding"], layer["dilation"],
                             layer["groups"])
            if state["bn"] is not None:
                bn = state["bn"]
                stats = (None, None) if training else (bn["running_mean"], bn["running_var"])
                x = F.batch_norm(x, *stats, bn["weight"], bn["bias"], training, 0.0, layer["bn"]["eps"])
            last = index == len(description) - 1
            x = (torch.tanh(x) if last else F.relu(x)) if generator else (x if last else F.leaky_relu(x, 0.2))
            sizes.append(tuple(x.shape[1:]))
    want = [(layer["out"], size, size) for layer, size in zip(description, _SIZES[part])]
    check(sizes == want and (not generator or sizes[-1][0] == 3) and (generator or sizes[-1][0] == 1), say(
        f"{part}'s layers give maps of {sizes}; the DCGAN pattern gives {[s[-1] for s in want]} pixels a side"
        f"{' and 3 channels at the end' if generator else ' and one channel at the end'}.",
        f"{part}의 계층이 {sizes} 크기의 맵을 냅니다. DCGAN 패턴은 한 변이 {[s[-1] for s in want]} 픽셀이고 마지막 채널이 "
        f"{3 if generator else 1}개입니다."),
        say("Generator: ConvTranspose2d(nz, ..., 4, 1, 0) to 4x4, then ConvTranspose2d(..., 4, 2, 1) to 8x8 and 16x16. "
            "Discriminator: Conv2d(..., 4, 2, 1) to 8x8 and 4x4, then Conv2d(..., 1, 4, 1, 0).",
            "Generator: ConvTranspose2d(nz, ..., 4, 1, 0)로 4x4, 그다음 ConvTranspose2d(..., 4, 2, 1)로 8x8과 16x16. "
            "Discriminator: Conv2d(..., 4, 2, 1)로 8x8과 4x4, 그다음 Conv2d(..., 1, 4, 1, 0)."))
    return x if generator else x.flatten()


# -- the judge's own UNet: rebuilt from the config and the weights the student's model holds ------------------------


def _judge_unet(name, config, state, what):
    """The judge's UNet2DConditionModel from the pulled config (at most UNET_LIMIT parameters) and weights."""
    return _judge_diffusers(UNet2DConditionModel, name, config, state, what, UNET_LIMIT, lambda size: say(
        f"{what} has {size:,} parameters; keep it under {UNET_LIMIT:,} so it trains on a CPU.",
        f"{what}의 매개변수가 {size:,}개입니다. CPU에서 학습되도록 {UNET_LIMIT:,}개 아래로 유지하세요."),
        say("Two blocks of 16 and 32 channels, one layer each, are enough for 16x16 shapes.",
            "16, 32 채널 블록 두 개(블록마다 계층 하나)면 16x16 도형에 충분합니다."))


def _judge_diffusers(kind, name, config, state, what, limit, too_big, advice):
    """A diffusers `kind` built in the judge from the pulled config (at most `limit` parameters, counted on the meta
    device first) with the pulled weights, in eval mode; an AssertionError that says what is off (`too_big(size)`
    when it is too big, with `advice`)."""
    check(name == kind.__name__,
          say(f"{what} is a {name}, expected a diffusers {kind.__name__}.",
              f"{what}: {name}입니다. diffusers의 {kind.__name__} 모델이어야 합니다."))
    plain = (int, float, str, bool, type(None))
    check(isinstance(config, dict) and all(type(k) is str and (type(v) in plain or (type(v) is list and all(
        type(i) in plain for i in v))) for k, v in config.items()),
          say(f"{what}'s config is not plain data.", f"{what}의 config가 기본 자료형으로만 된 데이터가 아닙니다."))
    try:
        with torch.device("meta"):
            size = sum(p.numel() for p in kind.from_config(config).parameters())
    except Exception as error:  # noqa: BLE001 - the student's config: whatever diffusers says of it is theirs
        raise AssertionError(say(f"{what}'s config does not build a {kind.__name__} ({type(error).__name__}).",
                                 f"{what}의 config로 {kind.__name__} 모델을 만들 수 없습니다({type(error).__name__}).")
                             ) from None
    check(size <= limit, too_big(size), advice)
    model = kind.from_config(config)
    check(isinstance(state, dict) and all(type(v) in (torch.Tensor, nn.Parameter) for v in state.values()),
          say(f"{what}'s weights are not tensors.", f"{what}의 가중치가 텐서가 아닙니다."))
    try:
        model.load_state_dict(state)
    except RuntimeError as error:
        raise AssertionError(say(f"{what}'s weights do not fit its config: {str(error)[:200]}",
                                 f"{what}의 가중치가 config와 맞지 않습니다: {str(error)[:200]}")) from None
    return model.eval()


# -- the judge's steps on the small models the grader builds (graders/observations/s5_3_gan_text_to_image.py) -------
def _bce(logits, label):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, label))


def _reference_d_step(seed, mistake=None):
    generator, discriminator = _tiny_gan(seed)
    real, z = _tiny_batch(seed)
    optimizer = torch.optim.SGD(discriminator.parameters(), lr=0.5)
    _stale_grads(discriminator, seed)
    fake = generator(z).detach()
    real_label, fake_label = (0.0, 1.0) if mistake == "swapped" else (1.0, 0.0)
    loss = _bce(discriminator(real), real_label) + _bce(discriminator(fake), fake_label)
    if mistake != "no_zero_grad":
        optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item(), _flat(discriminator)


def _reference_g_step(seed, mistake=None):
    generator, discriminator = _tiny_gan(seed)
    _, z = _tiny_batch(seed)
    optimizer = torch.optim.SGD(generator.parameters(), lr=0.5)
    _stale_grads(generator, seed + 1)
    logits = discriminator(generator(z))
    loss = {"toward_fake": _bce(logits, 0.0), "saturating": -_bce(logits, 0.0)}.get(mistake, _bce(logits, 1.0))
    if mistake != "no_zero_grad":
        optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item(), _flat(generator)


# -- the judge's schedule and sampler for the tiny UNet the grader builds -------------------------------------------
def _ddpm(num_steps=1000, beta_start=1e-4, beta_end=0.02):
    return DDPMScheduler(num_train_timesteps=num_steps, beta_start=beta_start, beta_end=beta_end,
                         beta_schedule="linear")


def _reference_sample(unet, states, empty, noise, scale, steps, sign=1.0, clip_sample=True, clamp=True):
    scheduler = _ddim(clip_sample)
    scheduler.set_timesteps(steps)
    x = noise.clone()
    with torch.no_grad():
        for t in scheduler.timesteps:
            eps_uncond = unet(x, t, encoder_hidden_states=empty).sample
            eps_cond = unet(x, t, encoder_hidden_states=states).sample
            x = scheduler.step(eps_uncond + sign * scale * (eps_cond - eps_uncond), t, x).prev_sample
    return x.clamp(-1, 1) if clamp else x


# -- Part 1: DCGAN ---------------------------------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("Generator turns noise into 16x16 colour images with strided layers",
                   ko="Generator는 stride가 있는 계층으로 노이즈를 16x16 컬러 이미지로 바꿉니다")
def test_generator_maps_noise_to_images(impl, run_seed):
    shapes, low, high, g_layers, _, nz = gan_shapes(impl)
    for batch, (image_shape, _) in shapes.items():
        check(image_shape == (batch, 3, 16, 16),
              say(f"Generator()(z) for z of shape ({batch}, {nz}, 1, 1) gave {image_shape}, expected ({batch}, 3, 16, 16).",
                  f"shape가 ({batch}, {nz}, 1, 1)인 z에 대해 Generator()(z)의 출력 shape가 {image_shape}입니다. "
                  f"({batch}, 3, 16, 16)이어야 합니다."),
              say("1x1 -> 4x4 (kernel 4, stride 1, padding 0) -> 8x8 -> 16x16 (kernel 4, stride 2, padding 1).",
                  "1x1 -> 4x4 (kernel 4, stride 1, padding 0) -> 8x8 -> 16x16 (kernel 4, stride 2, padding 1)로 키우세요."))
    check(-1.0 <= low and high <= 1.0,
          say(f"Generator's pixels span [{low:.3g}, {high:.3g}]; the data lies in [-1, 1].",
              f"Generator의 픽셀 값 범위가 [{low:.3g}, {high:.3g}]입니다. 데이터는 [-1, 1] 안에 있습니다."),
          say("End the generator with nn.Tanh().", "생성자의 마지막에 nn.Tanh()를 두세요."))
    names = [name for name, _ in g_layers]
    check(any(name == "ConvTranspose2d" and stride == (2, 2) for name, stride in g_layers) and "BatchNorm2d" in names,
          say(f"Generator's layers {sorted(set(names))} do not follow the DCGAN pattern: it upsamples with "
              "ConvTranspose2d of stride 2, each followed by BatchNorm2d.",
              f"Generator의 계층({sorted(set(names))})이 DCGAN 패턴을 따르지 않습니다: stride 2인 ConvTranspose2d로 "
              "키우고, 그 뒤에 BatchNorm2d를 둡니다."),
          say("Use nn.ConvTranspose2d(in, out, 4, 2, 1) + nn.BatchNorm2d + nn.ReLU blocks (no Linear, no Upsample).",
              "nn.ConvTranspose2d(in, out, 4, 2, 1) + nn.BatchNorm2d + nn.ReLU 블록을 쓰세요(Linear나 Upsample은 쓰지 않습니다)."))
    _part_matches_the_judges(impl, "Generator", _derived(run_seed, 1), say(
        "ConvTranspose2d -> BatchNorm2d -> ReLU, twice, then ConvTranspose2d -> Tanh.",
        "ConvTranspose2d -> BatchNorm2d -> ReLU를 두 번, 그다음 ConvTranspose2d -> Tanh입니다."))


def _part_matches_the_judges(impl, part, seed, hint):
    """The student's Generator or Discriminator with the judge's weights (drawn from seed) in its layers, against the
    judge's own forward of the DCGAN pattern."""
    description, others, out, out_training = errors.calling(f"{part}()", hint, gan_part_with_weights, impl, part,
                                                            seed, 3)
    problem = _pattern_problem(part, description, others)
    check(problem is None, problem, hint)
    x = _gan_input(part, description[0]["in"], seed, 3)
    weights = _random_layer_weights(description, seed)
    want = _judge_gan(part, x, description, weights)
    assert_tensor(out, want, say(f"{part}() with random weights in its layers (eval mode) against the DCGAN pattern",
                                 f"계층에 무작위 가중치를 넣은 {part}()(평가 모드)와 DCGAN 패턴의 비교"), rtol=1e-3,
                  atol=1e-4, hint=hint)
    assert_tensor(out_training, _judge_gan(part, x, description, weights, training=True), say(
        f"{part}() with the same weights in training mode (each BatchNorm2d with the batch's statistics) against the "
        "DCGAN pattern: it matched in eval mode, so something in it acts only in training mode (a Dropout, say), "
        "which the pattern does not have",
        f"같은 가중치를 넣은 {part}()를 학습 모드(BatchNorm2d는 배치의 통계를 씀)에서 DCGAN 패턴과 비교: 평가 모드에서는 "
        "일치했으므로, 학습 모드에서만 동작하는 무언가(예를 들어 Dropout)가 있습니다. DCGAN 패턴에는 없는 것입니다"),
        rtol=1e-3, atol=1e-4, hint=hint)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("Discriminator gives one logit per image with strided convolutions",
                   ko="Discriminator는 stride가 있는 합성곱으로 이미지마다 로짓 하나를 냅니다")
def test_discriminator_gives_one_logit_per_image(impl, run_seed):
    shapes, _, _, _, d_layers, _ = gan_shapes(impl)
    for batch, (_, logit_shape) in shapes.items():
        check(logit_shape == (batch,),
              say(f"Discriminator()(x) for x of shape ({batch}, 3, 16, 16) gave {logit_shape}, expected ({batch},): "
                  "one raw logit per image.",
                  f"shape가 ({batch}, 3, 16, 16)인 x에 대해 Discriminator()(x)의 출력 shape가 {logit_shape}입니다. "
                  f"이미지마다 로짓 하나, 즉 ({batch},)여야 합니다."),
              say("Finish with a Conv2d to 1 channel over the last 4x4 map, then .flatten() (or .view(-1)).",
                  "마지막 4x4 특징 맵에 출력 채널 1개인 Conv2d를 적용한 뒤 .flatten()(또는 .view(-1))로 펼치세요."))
    names = [name for name, _ in d_layers]
    check(any(name == "Conv2d" and stride == (2, 2) for name, stride in d_layers)
          and not any("Pool" in name for name in names),
          say(f"Discriminator's layers {sorted(set(names))} do not follow the DCGAN pattern: it downsamples with "
              "Conv2d of stride 2, not with pooling.",
              f"Discriminator의 계층({sorted(set(names))})이 DCGAN 패턴을 따르지 않습니다: 풀링이 아니라 stride 2인 "
              "Conv2d로 줄입니다."),
          say("Use nn.Conv2d(in, out, 4, 2, 1) + nn.BatchNorm2d + nn.LeakyReLU(0.2) blocks.",
              "nn.Conv2d(in, out, 4, 2, 1) + nn.BatchNorm2d + nn.LeakyReLU(0.2) 블록을 쓰세요."))
    _part_matches_the_judges(impl, "Discriminator", _derived(run_seed, 2), say(
        "Conv2d -> LeakyReLU(0.2), Conv2d -> BatchNorm2d -> LeakyReLU(0.2), then Conv2d to one channel, flattened.",
        "Conv2d -> LeakyReLU(0.2), Conv2d -> BatchNorm2d -> LeakyReLU(0.2), 그다음 채널 하나로 가는 Conv2d, 그리고 "
        "flatten입니다."))


def _moments(weight):
    values = weight.double().flatten()
    mean, std = values.mean().item(), values.std().item()
    kurtosis = (((values - mean) / std) ** 4).mean().item()
    return mean, std, kurtosis


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("weights_init draws conv weights from N(0, 0.02) and BatchNorm from N(1, 0.02)",
                   ko="weights_init은 합성곱 가중치를 N(0, 0.02), BatchNorm을 N(1, 0.02)에서 뽑습니다")
def test_weights_init_follows_dcgan(impl):
    found, theirs = initialised_weights(impl)
    hint = say("nn.init.normal_(m.weight, 0.0, 0.02) for Conv2d and ConvTranspose2d; nn.init.normal_(m.weight, 1.0, "
               "0.02) and nn.init.zeros_(m.bias) for BatchNorm2d (0.02 is the standard deviation, not the variance).",
               "Conv2d와 ConvTranspose2d에는 nn.init.normal_(m.weight, 0.0, 0.02), BatchNorm2d에는 "
               "nn.init.normal_(m.weight, 1.0, 0.02)와 nn.init.zeros_(m.bias)를 쓰세요(0.02는 분산이 아니라 표준편차입니다).")
    cases = [("Conv2d(3, 64, 4)", found["conv"], 0.0), ("ConvTranspose2d(64, 32, 4)", found["convT"], 0.0),
             ("BatchNorm2d(4096).weight", found["bn_weight"], 1.0)]
    cases += [(f"your {name}'s weight", weight, 0.0) for name, weight in theirs if weight.numel() >= 256]
    for what, weight, centre in cases:
        weight = expect_tensor(weight, what)
        n = weight.numel()
        mean, std, kurtosis = _moments(weight)
        check(abs(mean - centre) <= 5 * 0.02 / n ** 0.5 + 1e-4 and abs(std - 0.02) <= 0.02 * (0.05 + 5 / (2 * n) ** 0.5),
              say(f"after weights_init, {what} has mean {mean:.4g} and standard deviation {std:.4g} over {n} values; "
                  f"expected about {centre} and 0.02.",
                  f"weights_init 뒤 {what}의 평균이 {mean:.4g}, 표준편차가 {std:.4g}입니다({n}개 값). "
                  f"평균은 {centre}, 표준편차는 0.02 근처여야 합니다."), hint)
        if n >= 4096:
            check(abs(kurtosis - 3.0) <= 0.5,
                  say(f"after weights_init, {what} has kurtosis {kurtosis:.3g}: its values are not normally "
                      "distributed (a normal law has 3, a uniform one 1.8).",
                      f"weights_init 뒤 {what}의 첨도가 {kurtosis:.3g}입니다: 값이 정규분포를 따르지 않습니다"
                      "(정규분포는 3, 균등분포는 1.8)."), hint)
    bias = expect_tensor(found["bn_bias"], "BatchNorm2d's bias")
    check(bool((bias == 0).all()),
          say("after weights_init, BatchNorm2d's bias (set to 0.3 before) is not all zeros.",
              "weights_init 뒤에도 BatchNorm2d의 bias(미리 0.3으로 채워 둠)가 모두 0이 아닙니다."), hint)
    check(len(theirs) >= 2,
          say("weights_init found fewer than two Conv2d/ConvTranspose2d layers in your Generator and Discriminator.",
              "weights_init이 Generator와 Discriminator에서 찾은 Conv2d/ConvTranspose2d 계층이 두 개 미만입니다."))
    untouched = _init_probe()[3]
    linear = found["linear"]
    check(isinstance(linear, list) and len(linear) == 2
          and all(type(got) is torch.Tensor and got.shape == want.shape and torch.equal(got, want)
                  for got, want in zip(linear, (untouched.weight.detach(), untouched.bias.detach()))),
          say("weights_init changed the grader's Linear layer: it initialises Conv2d, ConvTranspose2d and BatchNorm2d "
              "only and leaves other modules as they are.",
              "weights_init이 채점기의 Linear 계층을 바꿨습니다: Conv2d, ConvTranspose2d, BatchNorm2d만 초기화하고 "
              "다른 모듈은 그대로 두어야 합니다."),
          say("Test the module's type (isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)), isinstance(m, nn.BatchNorm2d)), "
              "not whether it has a weight.",
              "가중치가 있는지가 아니라 모듈의 타입을 확인하세요(isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)), "
              "isinstance(m, nn.BatchNorm2d))."))
    check(found["returned"] is None,
          say("weights_init(module) returned a value; it works in place and returns nothing (Module.apply throws "
              "away what it returns: only what is changed in the module itself counts).",
              "weights_init(module)이 값을 반환했습니다. 제자리에서 동작하고 아무것도 반환하지 않아야 합니다"
              "(Module.apply는 반환값을 버리므로 모듈 자체에서 바뀐 것만 남습니다)."),
          say("Change module's tensors in place (nn.init.normal_, nn.init.zeros_) and end without a return.",
              "모듈의 텐서를 제자리에서 바꾸고(nn.init.normal_, nn.init.zeros_) return 없이 끝내세요."))


def _python_float(returned, step):
    """The docstrings' "returns its loss as a Python float": a 0-d tensor (loss or loss.detach()) is not one."""
    check(isinstance(returned, float),
          say(f"{step} returned its loss as a {type(returned).__name__}, not a Python float: a loop that keeps the "
              "losses would keep tensors (and a loss not detached keeps its whole graph alive).",
              f"{step}: 손실을 Python float가 아니라 {type(returned).__name__} 타입으로 반환했습니다: 손실을 모아 두는 "
              "루프에 텐서가 쌓입니다(detach하지 않은 손실은 계산 그래프 전체를 붙잡아 둡니다)."),
          say("Return loss.item() (a Python float), not the tensor.",
              "텐서가 아니라 Python float인 loss.item()을 반환하세요."))


D_STEP_MISTAKES = {
    "swapped": say("the labels are swapped: the discriminator's loss should call real images 1 and fakes 0.",
                   "레이블이 뒤바뀌었습니다: 판별자의 손실에서 진짜 이미지는 1, 가짜는 0이어야 합니다."),
    "no_zero_grad": say("optimizer_d.zero_grad() is missing: the step adds the gradients the generator step left in D.",
                        "optimizer_d.zero_grad()가 빠졌습니다: 생성자 단계가 D에 남긴 변화도가 더해집니다."),
}
G_STEP_MISTAKES = {
    "toward_fake": say("the generator is trained toward the label 'fake' (0): it should use the real label 1, so that it "
                       "learns to fool the discriminator.",
                       "생성자가 '가짜'(0) 레이블 쪽으로 학습됩니다: 판별자를 속이도록 진짜 레이블 1을 써야 합니다."),
    "saturating": say("this is the saturating loss log(1 - D(G(z))); use the non-saturating one, BCE(D(G(z)), 1), whose "
                      "gradients do not vanish while D wins.",
                      "포화되는 손실 log(1 - D(G(z)))입니다. D가 이기는 동안에도 변화도가 사라지지 않는 "
                      "비포화 손실 BCE(D(G(z)), 1)을 쓰세요."),
    "no_zero_grad": say("optimizer_g.zero_grad() is missing: the step adds gradients left in G.",
                        "optimizer_g.zero_grad()가 빠졌습니다: G에 남아 있던 변화도가 더해집니다."),
}


@pytest.mark.points(3)
@pytest.mark.gradients
@pytest.mark.title("discriminator_step updates D with real labelled 1 and fake labelled 0",
                   ko="discriminator_step은 진짜를 1, 가짜를 0으로 두고 D를 갱신합니다")
def test_discriminator_step_uses_the_right_labels(impl, run_seed):
    for seed in (_derived(run_seed, 3) % 100_000, _derived(run_seed, 4) % 100_000):
        returned, d_after, _, _ = discriminator_step_effects(impl, seed)
        want_loss, want = _reference_d_step(seed)
        for mistake, hint in D_STEP_MISTAKES.items():
            _, wrong = _reference_d_step(seed, mistake)
            check(not torch.allclose(d_after, wrong, rtol=1e-5, atol=1e-7),
                  say("After discriminator_step (SGD, lr 0.5) D's parameters match a step with a known mistake: ",
                      "discriminator_step(SGD, lr 0.5) 뒤 D의 매개변수가 알려진 실수가 있는 단계의 결과와 같습니다: ")
                  + hint)
        assert_tensor(d_after, want, say("D's parameters after one discriminator_step",
                                         "discriminator_step 한 번 뒤 D의 매개변수"),
                      hint=say("loss = BCEWithLogits(D(real), 1) + BCEWithLogits(D(fake.detach()), 0); zero_grad, "
                               "backward, step.",
                               "loss = BCEWithLogits(D(real), 1) + BCEWithLogits(D(fake.detach()), 0); zero_grad, "
                               "backward, step 순서입니다."))
        assert_scalar(returned, want_loss, say("the loss discriminator_step returned", "discriminator_step이 반환한 손실"),
                      hint=say("Return loss.item(): the sum of the real and the fake terms, before the step.",
                               "단계를 진행하기 전의 손실, 즉 진짜 항과 가짜 항의 합인 loss.item()을 반환하세요."))
        _python_float(returned, "discriminator_step")


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("discriminator_step leaves the generator untouched (fake images detached)",
                   ko="discriminator_step은 생성자를 건드리지 않습니다(가짜 이미지는 detach합니다)")
def test_discriminator_step_leaves_the_generator_alone(impl, run_seed):
    seed = _derived(run_seed, 5) % 100_000
    _, d_after, g_after, g_grads = discriminator_step_effects(impl, seed)
    generator, _ = _tiny_gan(seed)
    check(torch.equal(g_after, _flat(generator)),
          say("discriminator_step changed the generator's parameters.", "discriminator_step이 생성자의 매개변수를 바꿨습니다."),
          say("Only optimizer_d steps in the discriminator step.", "판별자 단계에서는 optimizer_d.step()만 호출합니다."))
    assert_tensor(d_after, _reference_d_step(seed)[1], say("D's parameters after one discriminator_step (the step itself "
                                                          "must still be taken)",
                                                          "discriminator_step 한 번 뒤 D의 매개변수(단계 자체는 진행해야 "
                                                          "합니다)"),
                  hint=say("loss = BCEWithLogits(D(real), 1) + BCEWithLogits(D(fake.detach()), 0); zero_grad, backward, "
                           "step.", "loss = BCEWithLogits(D(real), 1) + BCEWithLogits(D(fake.detach()), 0); zero_grad, "
                           "backward, step 순서입니다."))
    check(not any(g_grads),
          say("discriminator_step left gradients in the generator: the fake images were not detached, so "
              "backward ran through G as well.",
              "discriminator_step이 생성자에 변화도를 남겼습니다: 가짜 이미지를 detach하지 않아 역전파가 G까지 "
              "흘러갔습니다."),
          say("Feed D with generator(z).detach() (or make the fakes under torch.no_grad()).",
              "D에는 generator(z).detach()를 넣으세요(또는 torch.no_grad() 안에서 가짜를 만드세요)."))


@pytest.mark.points(3)
@pytest.mark.gradients
@pytest.mark.title("generator_step uses the non-saturating loss with real labels",
                   ko="generator_step은 진짜 레이블로 비포화 손실을 씁니다")
def test_generator_step_is_non_saturating(impl, run_seed):
    for seed in (_derived(run_seed, 6) % 100_000, _derived(run_seed, 7) % 100_000):
        returned, g_after, *_ = generator_step_effects(impl, seed)
        want_loss, want = _reference_g_step(seed)
        for mistake, hint in G_STEP_MISTAKES.items():
            _, wrong = _reference_g_step(seed, mistake)
            check(not torch.allclose(g_after, wrong, rtol=1e-5, atol=1e-7),
                  say("After generator_step (SGD, lr 0.5) G's parameters match a step with a known mistake: ",
                      "generator_step(SGD, lr 0.5) 뒤 G의 매개변수가 알려진 실수가 있는 단계의 결과와 같습니다: ")
                  + hint)
        assert_tensor(g_after, want, say("G's parameters after one generator_step", "generator_step 한 번 뒤 G의 매개변수"),
                      hint=say("loss = BCEWithLogits(D(G(z)), 1), through D without detach; optimizer_g.zero_grad(), "
                               "backward, optimizer_g.step().",
                               "loss = BCEWithLogits(D(G(z)), 1)을 detach 없이 D를 거쳐 계산하고, "
                               "optimizer_g.zero_grad(), backward, optimizer_g.step() 순서로 하세요."))
        assert_scalar(returned, want_loss, say("the loss generator_step returned", "generator_step이 반환한 손실"),
                      hint=say("Return loss.item().", "loss.item()을 반환하세요."))
        _python_float(returned, "generator_step")


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("generator_step leaves the discriminator unchanged and trainable",
                   ko="generator_step은 판별자를 바꾸지 않고 학습 가능한 상태로 둡니다")
def test_generator_step_leaves_the_discriminator_alone(impl, run_seed):
    seed = _derived(run_seed, 8) % 100_000
    _, g_after, d_after, d_trainable, d_probed = generator_step_effects(impl, seed)
    _, discriminator = _tiny_gan(seed)
    check(torch.equal(d_after, _flat(discriminator)),
          say("generator_step changed the discriminator's parameters.", "generator_step이 판별자의 매개변수를 바꿨습니다."),
          say("Only optimizer_g steps in the generator step.", "생성자 단계에서는 optimizer_g.step()만 호출합니다."))
    check(all(d_trainable),
          say("after generator_step some discriminator parameters no longer require grad: the next "
              "discriminator_step cannot train them.",
              "generator_step 뒤 판별자의 일부 매개변수가 더 이상 requires_grad가 아닙니다: 다음 discriminator_step이 "
              "학습할 수 없습니다."),
          say("If you freeze D with requires_grad_(False) during the generator step, unfreeze it before returning.",
              "생성자 단계에서 requires_grad_(False)로 D를 동결했다면 반환하기 전에 동결을 해제하세요."))
    hint = say("loss = BCEWithLogits(D(G(z)), 1), through D without detach; optimizer_g.zero_grad(), backward, "
               "optimizer_g.step(); D comes out as it went in, trainable.",
               "loss = BCEWithLogits(D(G(z)), 1)을 detach 없이 D를 거쳐 계산하고, optimizer_g.zero_grad(), backward, "
               "optimizer_g.step() 순서로 하세요. D는 들어온 그대로, 학습 가능한 상태로 나가야 합니다.")
    assert_tensor(g_after, _reference_g_step(seed)[1], say("G's parameters after one generator_step (the step itself must "
                                                          "still be taken)",
                                                          "generator_step 한 번 뒤 G의 매개변수(단계 자체는 진행해야 "
                                                          "합니다)"), hint=hint)
    assert_tensor(d_probed, _d_probe_step(discriminator, seed),
                  say("D's parameters after generator_step and then one plain SGD step of D: a discriminator that no "
                      "longer requires grad does not move",
                      "generator_step 뒤 D를 일반 SGD로 한 단계 학습한 매개변수: 더 이상 requires_grad가 아닌 판별자는 "
                      "움직이지 않습니다"), hint=hint)


def _gan_distances(gan_run, run_seed):
    """(before, after): the Fréchet distances to drawn data of 512 samples the judge draws with the generator's pulled
    weights, before and after training (its own forward, eval mode, noise drawn for this run)."""
    description, others, before, after = gan_run
    problem = _pattern_problem("Generator", description, others)
    check(problem is None, problem)
    before, after = _checked_weights(description, before), _checked_weights(description, after)
    check(before is not None and after is not None,
          say("the trained generator's weights do not have the shapes of its layers.",
              "학습한 생성자의 가중치가 계층의 shape와 맞지 않습니다."))
    noise = torch.randn(512, description[0]["in"], 1, 1, generator=torch.Generator().manual_seed(_derived(run_seed, 11)))
    reference = gan_features(draw_shapes(512, _derived(run_seed, 12) % 100_000)[0])
    samples = [_judge_gan("Generator", noise, description, weights) for weights in (before, after)]
    check(bool(torch.isfinite(samples[1]).all()), say("the generator's samples after training hold NaN or inf.",
                                                      "학습 뒤 생성자의 샘플에 NaN이나 inf가 있습니다."))
    return tuple(frechet_distance(gan_features(images), reference) for images in samples)


@pytest.fixture(scope="module")
def gan_run(impl, run_seed):
    """One bounded GAN training run on the student's models and steps, on data drawn for this run."""
    return gan_training_run(impl, _derived(run_seed, 10) % 100_000)


@pytest.mark.points(3)
@pytest.mark.convergence
@pytest.mark.title("Training the DCGAN moves its samples toward the drawn shapes",
                   ko="DCGAN을 학습하면 샘플이 그려진 도형의 분포에 가까워집니다")
def test_gan_training_moves_samples_toward_the_data(impl, gan_run, run_seed):
    """Assumes the docstrings' DCGAN and steps bring 512 samples within a Fréchet distance of 30 in 300 alternating
    steps (untrained: about 43). The reference's sweep over run seeds 1-20 (GAN_FD_THRESHOLD's comment): 15.8-20.5."""
    start, end = _gan_distances(gan_run, run_seed)
    check(end <= GAN_FD_THRESHOLD,
          say(f"after {GAN_STEPS} alternating steps, 512 samples the grader draws with the trained generator's weights "
              f"(eval mode, new noise) are at a Fréchet distance of {end:.3g} from the data on 4x4 features (it was "
              f"{start:.3g} before training); a correct GAN gets below {GAN_FD_THRESHOLD}.",
              f"생성자와 판별자를 번갈아 {GAN_STEPS}단계 학습한 뒤, 학습한 생성자의 가중치로 채점기가 (평가 모드, 새 노이즈로) 그린 샘플 512개와 "
              f"데이터 사이 4x4 특징의 Fréchet 거리가 {end:.3g}입니다(학습 전 {start:.3g}). 올바른 GAN은 "
              f"{GAN_FD_THRESHOLD} 아래로 내려갑니다."),
          say("Things to check: the labels (D: real 1, fake 0; G: 1), the detach in the D step and zero_grad in both "
              "steps.",
              "확인할 것: 레이블(D는 진짜 1, 가짜 0, G는 1), D 단계의 detach, 두 단계의 zero_grad."))


# -- Part 2: text-to-image diffusion ---------------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("noise_schedule gives DDPMScheduler's alphas_cumprod",
                   ko="noise_schedule은 DDPMScheduler의 alphas_cumprod와 같은 값을 냅니다")
def test_noise_schedule_matches_diffusers(impl, run_seed):
    draw = random.Random(_derived(run_seed, 20))
    drawn = (draw.randint(20, 2000), round(draw.uniform(1e-5, 1e-3), 6), round(draw.uniform(0.01, 0.05), 5))
    default, short, other = noise_schedules(impl, drawn)
    hint = say("betas = torch.linspace(beta_start, beta_end, num_steps); alphas_cumprod = cumprod(1 - betas).",
               "betas = torch.linspace(beta_start, beta_end, num_steps); alphas_cumprod = cumprod(1 - betas)입니다.")
    assert_tensor(default, _ddpm().alphas_cumprod, say("noise_schedule() against DDPMScheduler(1000 steps, linear)",
                                                       "DDPMScheduler(1000단계, linear)와 noise_schedule() 비교"),
                  rtol=1e-4, atol=1e-6, hint=hint)
    assert_tensor(short, _ddpm(50, 1e-3, 0.05).alphas_cumprod,
                  say("noise_schedule(50, 1e-3, 0.05) against DDPMScheduler", "DDPMScheduler와 noise_schedule(50, 1e-3, 0.05) 비교"),
                  rtol=1e-4, atol=1e-6, hint=hint)
    assert_tensor(other, _ddpm(*drawn).alphas_cumprod,
                  say(f"noise_schedule{drawn} against DDPMScheduler", f"DDPMScheduler와 noise_schedule{drawn} 비교"),
                  rtol=1e-4, atol=1e-6, hint=hint)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("q_sample noises images exactly as DDPMScheduler.add_noise does",
                   ko="q_sample은 DDPMScheduler.add_noise와 똑같이 이미지에 노이즈를 섞습니다")
def test_q_sample_matches_add_noise(impl, run_seed):
    scheduler = _ddpm()
    generator = torch.Generator().manual_seed(_derived(run_seed, 21))
    hint = say("x_t = sqrt(alphas_cumprod[t]) * x0 + sqrt(1 - alphas_cumprod[t]) * noise, with one t per image "
               "broadcast over its channels and pixels.",
               "x_t = sqrt(alphas_cumprod[t]) * x0 + sqrt(1 - alphas_cumprod[t]) * noise이며, 이미지마다 t가 하나이고 "
               "채널과 픽셀 전체에 브로드캐스트됩니다.")
    for shape in ((6, 3, 16, 16), (5, 3, 8, 4)):
        x0 = torch.rand(shape, generator=generator) * 2 - 1
        noise = torch.randn(shape, generator=generator)
        t = torch.cat([torch.tensor([0, 999]), torch.randint(1, 999, (shape[0] - 2,), generator=generator)])
        got = impl.q_sample(x0, t, noise, scheduler.alphas_cumprod.clone())
        assert_tensor(got, scheduler.add_noise(x0, noise, t),
                      say(f"q_sample on images of shape {shape} against DDPMScheduler.add_noise",
                          f"shape가 {shape}인 이미지에서 q_sample과 DDPMScheduler.add_noise 비교"), rtol=1e-4, atol=1e-5,
                      hint=hint)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("The text encoder and the UNet fit together on 16x16 images",
                   ko="텍스트 인코더와 UNet은 16x16 이미지에서 서로 맞물립니다")
def test_text_encoder_and_unet_fit_together(impl, run_seed):
    generator = torch.Generator().manual_seed(_derived(run_seed, 22))
    x, t = torch.randn(4, 3, 16, 16, generator=generator), torch.randint(0, 1000, (4,), generator=generator)
    states, out, unet_class, config, weights = text_to_image_parts(impl, x, t)
    states = expect_tensor(states, "encode_captions(...)")
    check(states.dim() == 3 and tuple(states.shape[:2]) == (4, MAX_TOKENS),
          say(f"encode_captions on 4 captions of {MAX_TOKENS} token ids gave shape {tuple(states.shape)}, expected "
              f"(4, {MAX_TOKENS}, hidden size): one vector per token, as cross-attention reads it.",
              f"토큰 id {MAX_TOKENS}개로 된 캡션 4개에 대한 encode_captions의 출력 shape가 {tuple(states.shape)}입니다. "
              f"교차 어텐션이 읽을 수 있도록 토큰마다 벡터 하나인 (4, {MAX_TOKENS}, 은닉 크기)여야 합니다."),
          say("Return the encoder's last_hidden_state, not the pooled output.",
              "풀링된 출력이 아니라 인코더의 last_hidden_state를 반환하세요."))
    check(not torch.allclose(states[0], states[1]) and not torch.allclose(states[0], states[3]),
          say("encode_captions gives the same states for different captions.",
              "encode_captions가 서로 다른 캡션에 같은 상태를 냅니다."))
    out = expect_tensor(out, "unet(x, t, encoder_hidden_states=states).sample")
    check(tuple(out.shape) == (4, 3, 16, 16),
          say(f"the UNet's output for 4 images of 3x16x16 has shape {tuple(out.shape)}; it predicts the noise, so the "
              "shape of its input.",
              f"3x16x16 이미지 4장에 대한 UNet 출력의 shape가 {tuple(out.shape)}입니다. 노이즈를 예측하므로 입력과 같은 "
              "shape여야 합니다."))
    unet = _judge_unet(unet_class, config, weights, say("make_unet()'s model", "make_unet()의 모델"))
    with torch.no_grad():
        want = unet(x, t, encoder_hidden_states=states.float()).sample
    assert_tensor(out, want, say("the UNet's output against a UNet2DConditionModel the grader builds from its config and "
                                 "weights, on the same inputs",
                                 "같은 입력에서 UNet의 출력과, 채점기가 그 config와 가중치로 만든 "
                                 "UNet2DConditionModel의 출력 비교"), rtol=1e-3, atol=1e-4,
                  hint=say("make_unet returns diffusers' UNet2DConditionModel(...) itself, with cross_attention_dim = "
                           "TEXT_DIM.", "make_unet은 cross_attention_dim = TEXT_DIM인 diffusers의 "
                           "UNet2DConditionModel(...) 자체를 반환합니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("drop_captions blanks each caption with probability p for guidance",
                   ko="drop_captions는 가이던스를 위해 각 캡션을 확률 p로 비웁니다")
def test_drop_captions_rate(impl, run_seed):
    seed, other_seed = _derived(run_seed, 23) % 100_000, _derived(run_seed, 24) % 100_000
    captions = [f"{c} {s}" for c in COLOURS for s in SHAPES] * 500
    ids = tokenize(captions)
    empty = tokenize([""])[0]
    hint = say("Draw one torch.rand(n, generator=generator) < p per caption and replace those rows with the empty "
               "caption's ids (tokenize(['']))."
               , "캡션마다 torch.rand(n, generator=generator) < p를 하나씩 뽑고, 그 행을 빈 캡션의 id(tokenize(['']))로 "
               "바꾸세요.")
    for p in (0.1, 0.5):
        result, after = caption_dropout(impl, ids.clone(), p, seed)
        result = expect_tensor(result, "drop_captions(...)")
        check(torch.equal(after, ids), say("drop_captions changed the token ids it was given; return a new tensor.",
                                           "drop_captions가 입력받은 토큰 id를 바꿨습니다. 새 텐서를 반환하세요."), hint)
        check(tuple(result.shape) == tuple(ids.shape),
              say(f"drop_captions returned shape {tuple(result.shape)}, expected {tuple(ids.shape)}.",
                  f"drop_captions가 반환한 텐서의 shape가 {tuple(result.shape)}입니다. 기댓값은 {tuple(ids.shape)}입니다."), hint)
        dropped = (result == empty).all(dim=1)
        kept = (result == ids).all(dim=1)
        check(bool((dropped | kept).all()),
              say("drop_captions made rows that are neither the caption nor the empty caption.",
                  "drop_captions가 원래 캡션도 빈 캡션도 아닌 행을 만들었습니다."), hint)
        n, rate = len(ids), dropped.float().mean().item()
        sigma = (p * (1 - p) / n) ** 0.5
        check(abs(rate - p) <= 5 * sigma,
              say(f"drop_captions(p={p}) blanked {rate:.3f} of {n} captions; expected about {p} (within {5 * sigma:.3f}).",
                  f"drop_captions(p={p})가 캡션 {n}개 중 비운 비율이 {rate:.3f}입니다. 기댓값은 {p} 근처(±{5 * sigma:.3f})입니다."),
              hint)
    again, _ = caption_dropout(impl, ids.clone(), 0.5, seed)
    other, _ = caption_dropout(impl, ids.clone(), 0.5, other_seed)
    check(torch.equal(again, caption_dropout(impl, ids.clone(), 0.5, seed)[0]) and not torch.equal(again, other),
          say("drop_captions does not draw from the generator it is given: the same seed should drop the same "
              "captions, another seed others.",
              "drop_captions가 주어진 generator에서 난수를 뽑지 않습니다: 같은 시드는 같은 캡션을, 다른 시드는 다른 "
              "캡션을 비워야 합니다."), hint)
    # Each row is dropped on its own draw, so the number blanked in a batch of 10 is binomial (variance 10 p (1 - p),
    # 2.5 at p = 0.5): the sample variance over 100 batches must lie within 0.4x-2.5x of it (1.0-6.25; 20,000
    # simulated correct runs gave 1.38-3.98, standard deviation 0.34). Blanking a fixed round(p * n) rows of every
    # batch gives 0; one draw for the whole batch gives about 25.
    small = tokenize(captions[:10])
    batches = caption_dropout_batches(impl, small.clone(), 0.5,
                                      [_derived(run_seed, 100 + i) % 100_000 for i in range(100)])
    check(isinstance(batches, list) and len(batches) == 100,
          say("drop_captions did not answer for each of 100 batches.", "drop_captions가 배치 100개에 모두 답하지 않았습니다."))
    counts = []
    for batch in batches:
        batch = expect_tensor(batch, "drop_captions(...)", hint)
        check(tuple(batch.shape) == tuple(small.shape),
              say(f"drop_captions returned shape {tuple(batch.shape)}, expected {tuple(small.shape)}.",
                  f"drop_captions가 반환한 텐서의 shape가 {tuple(batch.shape)}입니다. 기댓값은 {tuple(small.shape)}입니다."),
              hint)
        counts.append(int((batch == empty).all(dim=1).sum()))
    spread = torch.tensor(counts, dtype=torch.float64).var().item()
    binomial = 10 * 0.5 * 0.5
    check(0.4 * binomial <= spread <= 2.5 * binomial,
          say(f"drop_captions(p=0.5) on 100 batches of 10 captions blanked {min(counts)} to {max(counts)} per batch, with "
              f"a variance of {spread:.2f}; captions dropped independently, each with probability p, give a binomial "
              f"count (variance about {binomial}). Each caption needs its own draw: not a fixed number per batch, not "
              "one draw for the whole batch.",
              f"drop_captions(p=0.5)를 캡션 10개짜리 배치 100개에 적용했더니 배치마다 {min(counts)}~{max(counts)}개를 "
              f"비웠고 분산은 {spread:.2f}입니다. 캡션마다 확률 p로 독립적으로 비우면 개수가 이항분포를 따릅니다(분산 약 "
              f"{binomial}). 배치마다 정해진 개수를 비우거나 배치 전체에 한 번만 뽑지 말고, 캡션마다 따로 뽑으세요."),
          hint)


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("q_sample and drop_captions work on CUDA tensors, with the schedule and the generator on the CPU",
                   ko="q_sample과 drop_captions는 스케줄과 생성기가 CPU에 있어도 CUDA 텐서에서 동작합니다")
def test_q_sample_and_drop_captions_on_cuda(impl, run_seed):
    cuda, scheduler = torch.device("cuda"), _ddpm()
    generator = torch.Generator().manual_seed(_derived(run_seed, 25))
    x0, noise = torch.rand(4, 3, 16, 16, generator=generator) * 2 - 1, torch.randn(4, 3, 16, 16, generator=generator)
    t = torch.randint(0, 1000, (4,), generator=generator)
    got = errors.calling(say("q_sample(x0, t, noise on CUDA, alphas_cumprod on the CPU)",
                                     "q_sample(CUDA에 있는 x0, t, noise와 CPU에 있는 alphas_cumprod)"), say(
        "Move alphas_cumprod to t's device before indexing: alphas_cumprod.to(x0.device)[t].",
        "인덱싱하기 전에 alphas_cumprod를 t의 장치로 옮기세요: alphas_cumprod.to(x0.device)[t]."),
        impl.q_sample, x0.to(cuda), t.to(cuda), noise.to(cuda), scheduler.alphas_cumprod.clone())
    assert_tensor(got, scheduler.add_noise(x0, noise, t).to(cuda),
                  say("q_sample on CUDA images against DDPMScheduler.add_noise", "CUDA 이미지에서 q_sample과 "
                      "DDPMScheduler.add_noise 비교"), rtol=1e-4, atol=1e-5)
    ids = tokenize([f"{c} {s}" for c in COLOURS for s in SHAPES])
    result = errors.calling(say("drop_captions(token_ids on CUDA, 0.5, a CPU generator)",
                                        "drop_captions(CUDA에 있는 token_ids, 0.5, CPU 생성기)"), say(
        "Draw on the CPU generator, then move the mask and the empty caption's ids to token_ids.device.",
        "CPU 생성기에서 뽑은 뒤, 마스크와 빈 캡션의 id를 token_ids.device로 옮기세요."),
        impl.drop_captions, ids.to(cuda), 0.5, torch.Generator().manual_seed(_derived(run_seed, 26) % 100_000))
    result = expect_tensor(result, say("drop_captions(token_ids on CUDA, ...)", "drop_captions(CUDA에 있는 token_ids, ...)"))
    check(result.is_cuda, say(f"drop_captions for CUDA token ids returned a tensor on {result.device}.",
                              f"CUDA에 있는 토큰 id에 대해 drop_captions가 반환한 텐서의 장치가 {result.device}입니다."))
    rows = result.cpu()
    check(tuple(rows.shape) == tuple(ids.shape)
          and bool(((rows == tokenize([""])[0]).all(dim=1) | (rows == ids).all(dim=1)).all()),
          say("drop_captions on CUDA made rows that are neither the caption nor the empty caption.",
              "CUDA에서 drop_captions가 원래 캡션도 빈 캡션도 아닌 행을 만들었습니다."))


@pytest.mark.points(3)
@pytest.mark.gradients
@pytest.mark.title("diffusion_loss trains the UNet to predict the added noise",
                   ko="diffusion_loss는 UNet이 더해진 노이즈를 예측하도록 학습시킵니다")
def test_diffusion_loss_targets_the_noise(impl, run_seed):
    alphas_cumprod = _ddpm().alphas_cumprod
    for seed in (_derived(run_seed, 25) % 100_000, _derived(run_seed, 26) % 100_000):
        loss, grad = diffusion_loss_on_tiny_unet(impl, seed, alphas_cumprod)
        check(grad is not None,
              say("diffusion_loss should return a scalar tensor that backward() can run through.",
                  "diffusion_loss는 backward()를 호출할 수 있는 스칼라 텐서를 반환해야 합니다."))
        unet = _tiny_unet(seed)
        x0, states, t, noise = _loss_case(seed)
        noisy = _ddpm().add_noise(x0, noise, t)
        predicted = unet(noisy, t, encoder_hidden_states=states).sample
        wrong = {say("the target is the clean image; the UNet predicts the noise that was added.",
                     "목표가 깨끗한 이미지입니다. UNet은 더해진 노이즈를 예측합니다."): F.mse_loss(predicted, x0).item(),
                 say("the UNet sees the clean image instead of the noised one (q_sample first).",
                     "UNet이 노이즈를 섞은 이미지가 아니라 깨끗한 이미지를 봅니다(먼저 q_sample하세요)."):
                     F.mse_loss(unet(x0, t, encoder_hidden_states=states).sample, noise).item()}
        for mistake, value in wrong.items():
            check(abs(loss.item() - value) > 1e-6 * max(1.0, abs(value)),
                  say("diffusion_loss matches a known mistake: ", "diffusion_loss가 알려진 실수와 일치합니다: ") + mistake)
        want = F.mse_loss(predicted, noise)
        hint = say("loss = F.mse_loss(unet(q_sample(x0, t, noise, alphas_cumprod), t, encoder_hidden_states="
                   "text_states).sample, noise).",
                   "loss = F.mse_loss(unet(q_sample(x0, t, noise, alphas_cumprod), t, encoder_hidden_states="
                   "text_states).sample, noise)입니다.")
        assert_scalar(loss, want.item(), say("diffusion_loss on a tiny UNet", "작은 UNet에서 diffusion_loss 값"),
                      rtol=1e-4, hint=hint)
        want.backward()
        assert_tensor(grad, unet.conv_in.weight.grad, say("the gradient of diffusion_loss for the UNet's conv_in weight",
                                                          "UNet conv_in 가중치에 대한 diffusion_loss의 변화도"),
                      rtol=1e-3, atol=1e-6, hint=hint)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("guidance moves from the unconditional prediction toward the caption",
                   ko="guidance는 조건 없는 예측에서 캡션 쪽으로 이동합니다")
def test_guidance_formula(impl, run_seed):
    generator = torch.Generator().manual_seed(_derived(run_seed, 27))
    eps_uncond, eps_cond = torch.randn(2, 3, 8, 8, generator=generator), torch.randn(2, 3, 8, 8, generator=generator)
    hint = say("Classifier-free guidance: eps = eps_uncond + scale * (eps_cond - eps_uncond); scale 0 gives the "
               "unconditional prediction, 1 the conditional one, more than 1 pushes past it toward the caption.",
               "분류기 없는 가이던스: eps = eps_uncond + scale * (eps_cond - eps_uncond)입니다. scale 0은 조건 없는 "
               "예측, 1은 조건부 예측이고, 1보다 크면 캡션 쪽으로 더 밀어냅니다.")
    for scale in (0.0, 1.0, 3.5, round(random.Random(_derived(run_seed, 28)).uniform(1.5, 9.0), 3)):
        assert_tensor(impl.guidance(eps_uncond, eps_cond, scale), eps_uncond + scale * (eps_cond - eps_uncond),
                      say(f"guidance(eps_uncond, eps_cond, {scale})", f"guidance(eps_uncond, eps_cond, {scale})"),
                      hint=hint)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("sample runs the DDIM loop with classifier-free guidance",
                   ko="sample은 분류기 없는 가이던스로 DDIM 루프를 실행합니다")
def test_sampler_matches_a_ddim_reference(impl, run_seed):
    hint = say("scheduler.set_timesteps(num_inference_steps); for t in scheduler.timesteps: predict the noise with "
               "the empty and the caption states, combine them with guidance, x = scheduler.step(eps, t, x)."
               "prev_sample; return x clamped to [-1, 1].",
               "scheduler.set_timesteps(num_inference_steps) 뒤 scheduler.timesteps의 각 t에서 빈 캡션과 캡션 상태로 "
               "노이즈를 예측하고 guidance로 합친 다음 x = scheduler.step(eps, t, x).prev_sample로 갱신합니다. 끝으로 [-1, 1]로 "
               "자른 x를 반환하세요.")
    # The third case's DDIMScheduler has clip_sample=False: the default (True) already keeps the last x in [-1, 1],
    # so only there does sample()'s own clamp show.
    for seed, scale, steps, clip in ((_derived(run_seed, 29) % 100_000, 2.5, 8, True),
                                     (_derived(run_seed, 30) % 100_000, 1.0, 5, True),
                                     (_derived(run_seed, 33) % 100_000, 2.0, 6, False)):
        got = expect_tensor(sampled_images(impl, seed, scale, steps, clip), "sample(...)")
        states, empty, noise = _sample_case(seed)
        unet = _tiny_unet(seed)
        want = _reference_sample(unet, states, empty, noise, scale, steps, clip_sample=clip)
        if scale != 1.0:
            flipped = _reference_sample(unet, states, empty, noise, scale, steps, sign=-1.0)
            check(tuple(got.shape) != tuple(flipped.shape) or not torch.allclose(got, flipped, rtol=1e-3, atol=1e-3),
                  say("sample's images match guidance with the sign flipped: it pushes away from the caption.",
                      "sample의 이미지가 부호가 뒤집힌 가이던스와 일치합니다: 캡션에서 멀어지는 쪽으로 밉니다."), hint)
        unclamped = {} if clip else {say("the last x is not clamped to [-1, 1]: a scheduler that does not clip its "
                                         "samples (clip_sample=False) leaves values outside the pictures' range.",
                                         "마지막 x를 [-1, 1]로 자르지 않았습니다: 표본을 자르지 않는 스케줄러"
                                         "(clip_sample=False)에서는 그림의 범위를 벗어난 값이 남습니다."):
                                     _reference_sample(unet, states, empty, noise, scale, steps, clip_sample=clip,
                                                       clamp=False)}
        assert_tensor(got, want, say(f"sample with guidance {scale} and {steps} DDIM steps on a tiny UNet"
                                     f"{'' if clip else ', with a DDIMScheduler(clip_sample=False)'}",
                                     f"작은 UNet에서 가이던스 {scale}, DDIM {steps}단계로 만든 sample 결과"
                                     f"{'' if clip else '(DDIMScheduler(clip_sample=False) 사용)'}"),
                      rtol=1e-3, atol=1e-3, hint=hint, mistakes=unclamped)


@pytest.fixture(scope="module")
def t2i_run(impl, run_seed):
    """Bounded text-to-image training on data drawn for this run; then the judge samples the trained UNet itself:
    8 images for each of the 6 captions, from the same 8 noises (drawn for this run) under every caption, with
    guidance 3 and 20 DDIM steps. Each training run's (colour rate, shape-pair rate) read from those 48 images, or
    what kept the judge from drawing them (an AssertionError).

    Another, independent run (its own data, weights and noise) is trained only when the last one missed a threshold,
    up to three: whether a 300-step run learns the shape word is a matter of its draw. The reference's first runs,
    run seeds 1-29 (`python benchmarks/sweep_s5_3.py t2i 29`): 28 met both thresholds (shape pairs 0.83 or more),
    run seed 29 reached 0.33; one CI run drew a seed where it reached 0.17. Each check passes when any run meets it. A
    model that ignores its caption gets the same bounded score from every run (at most 1/3 for colour, exactly 0 for
    shape pairs), so more runs cannot lift it over a threshold."""
    rates = []
    for salt in (31, 41, 51):
        try:
            images = _t2i_images(text_to_image_run(impl, _derived(run_seed, salt) % 100_000),
                                 run_seed if salt == 31 else _derived(run_seed, salt))
        except AssertionError as error:
            return error
        rates.append(_t2i_rates(images))
        if rates[-1][0] >= T2I_COLOUR_THRESHOLD and rates[-1][1] >= T2I_SHAPE_THRESHOLD:
            break
    return rates


def _t2i_rates(images):
    """(the share of the 48 samples showing their caption's colour, the share of shape pairs drawn right)."""
    want_colour = torch.arange(len(COLOURS)).repeat_interleave(len(SHAPES) * 8)
    colour, _shape, found = detect(images)
    return ((colour == want_colour) & found).float().mean().item(), shape_pairs(images, 8)


def _t2i_images(result, run_seed):
    """The 48 images the judge samples from the trained UNet (rebuilt here) and the student's caption states."""
    states, empty, name, config, weights = result
    unet = _judge_unet(name, config, weights, say("the trained make_unet() model", "학습한 make_unet() 모델"))
    width = unet.config.cross_attention_dim
    for value, rows, what in ((states, 6, "encode_captions(6 captions)"), (empty, 1, "encode_captions([''])")):
        value = expect_tensor(value, what)
        check(tuple(value.shape) == (rows, MAX_TOKENS, width) and value.is_floating_point()
              and bool(value.isfinite().all()),
              say(f"{what} gave {tuple(value.shape)}, expected ({rows}, {MAX_TOKENS}, {width}) finite states.",
                  f"{what}의 출력 shape가 {tuple(value.shape)}입니다. 유한한 값의 ({rows}, {MAX_TOKENS}, {width})여야 "
                  "합니다."))
    per_caption = 8
    noise = torch.randn(per_caption, 3, 16, 16, generator=torch.Generator().manual_seed(_derived(run_seed, 32)))
    return _reference_sample(unet, states.float().repeat_interleave(per_caption, 0),
                             empty.float().expand(6 * per_caption, -1, -1), noise.repeat(6, 1, 1, 1), 3.0, 20)


def _t2i_best(t2i_run, rate_index):
    """The best of the runs' rates for one check (0: colour, 1: shape pairs), and each run's rate for its message."""
    if isinstance(t2i_run, AssertionError):
        raise AssertionError(str(t2i_run))
    rates = [run[rate_index] for run in t2i_run]
    return max(rates), ", ".join(f"{rate:.0%}" for rate in rates)


_T2I_HINT = say("The grader samples your trained UNet itself (its own DDIM loop with guidance, from the states your "
                "encode_captions gives). Things to check, when the other checks of this part pass: that make_unet's "
                "model reads the caption through cross-attention and learns within 300 steps (a smaller or differently "
                "wired UNet may need more), that drop_captions blanks captions, that the loss targets the noise, and "
                "that encode_captions keeps every token's state.",
                "채점기가 학습한 UNet을 직접 샘플링합니다(encode_captions가 주는 상태로, 가이던스를 쓰는 채점기의 DDIM "
                "루프). 이 부분의 다른 검사가 통과한다면 확인할 것: make_unet의 모델이 교차 어텐션으로 캡션을 읽고 "
                "300단계 안에 배우는지(더 작거나 다르게 연결한 UNet은 더 많은 단계가 필요할 수 있습니다), drop_captions가 "
                "캡션을 비우는지, 손실의 목표가 노이즈인지, encode_captions가 모든 토큰의 상태를 그대로 두는지.")


@pytest.mark.points(3)
@pytest.mark.convergence
@pytest.mark.title("After bounded training, samples show their caption's colour",
                   ko="제한된 학습 뒤 샘플은 캡션의 색을 보여 줍니다")
def test_text_to_image_follows_captions(impl, t2i_run):
    """Assumes a UNet under 1M parameters reading the caption by cross-attention learns colour in 300 steps in one of up
    to three runs. First runs measured (benchmarks/sweep_s5_3.py): reference 0.81/0.96 at run seeds 1/2; cross-attention
    at 16x16 only, not 8x8: 0.58/0.71; bar 0.40, a caption-blind model at most 0.33."""
    colour_rate, each = _t2i_best(t2i_run, 0)
    check(colour_rate >= T2I_COLOUR_THRESHOLD,
          say(f"after {T2I_STEPS} training steps, the share of the 48 samples the grader draws that show their "
              f"caption's colour was {each} (one figure per training run). Every caption starts from the same 8 "
              f"noises, so a model that ignores the caption gets at most {1 / len(COLOURS):.0%}; a correct model "
              f"reaches {T2I_COLOUR_THRESHOLD:.0%} in at least one of three runs.",
              f"학습 {T2I_STEPS}단계 뒤 채점기가 그린 샘플 48개 가운데 캡션의 색을 보이는 샘플의 비율은 학습 실행별로 "
              f"{each}입니다. 모든 캡션이 같은 노이즈 8개에서 시작하므로 캡션을 무시하는 모델은 많아야 "
              f"{1 / len(COLOURS):.0%}입니다. 올바른 모델은 세 번의 실행 중 적어도 한 번 {T2I_COLOUR_THRESHOLD:.0%}에 "
              f"이릅니다."), _T2I_HINT)


@pytest.mark.points(2)
@pytest.mark.convergence
@pytest.mark.title("After bounded training, a \"square\" sample is squarer than the \"circle\" one from the same noise",
                   ko="제한된 학습 뒤 같은 노이즈에서 그린 \"square\" 샘플이 \"circle\" 샘플보다 더 네모납니다")
def test_text_to_image_draws_the_captions_shape(impl, t2i_run):
    """Assumes as the colour check; the shape word is the harder signal, hence up to three runs. First runs measured:
    reference 0.96/0.83 at run seeds 1/2; cross-attention at 16x16 only: 1.00/1.00; bar 0.40, a shape-blind
    model 0."""
    rate, each = _t2i_best(t2i_run, 1)
    check(rate >= T2I_SHAPE_THRESHOLD,
          say(f"after {T2I_STEPS} training steps, the share of the 24 (colour, noise) pairs whose \"square\" sample "
              f"is squarer than the \"circle\" sample drawn from the same noise (its box's corners are brighter) was "
              f"{each} (one figure per training run). A model that ignores the shape word draws the same picture for "
              f"both and scores 0%; a correct model reaches {T2I_SHAPE_THRESHOLD:.0%} in at least one of three runs.",
              f"학습 {T2I_STEPS}단계 뒤 (색, 노이즈) 쌍 24개 가운데 \"square\" 샘플이 같은 노이즈에서 그린 \"circle\" "
              f"샘플보다 더 네모난(상자 모서리가 더 밝은) 쌍의 비율은 학습 실행별로 {each}입니다. 모양 단어를 무시하는 "
              f"모델은 두 캡션에 같은 그림을 그려 0%를 받습니다. 올바른 모델은 세 번의 실행 중 적어도 한 번 "
              f"{T2I_SHAPE_THRESHOLD:.0%}에 이릅니다."), _T2I_HINT)


# -- Part 3: latent diffusion ----------------------------------------------------------------------------------------
def _judge_vae(name, config, state, what):
    """The judge's AutoencoderKL from the pulled config (at most VAE_LIMIT parameters) and weights."""
    return _judge_diffusers(AutoencoderKL, name, config, state, what, VAE_LIMIT, lambda size: say(
        f"{what} has {size:,} parameters; keep it under {VAE_LIMIT:,}: it only has to map 16x16 pictures.",
        f"{what}의 매개변수가 {size:,}개입니다. 16x16 그림만 다루면 되므로 {VAE_LIMIT:,}개 아래로 유지하세요."),
        say("block_out_channels=(16, 32), layers_per_block=1, norm_num_groups=8 is enough (Stable Diffusion's own "
            "VAE has 128 to 512 channels and 84 million parameters).",
            "block_out_channels=(16, 32), layers_per_block=1, norm_num_groups=8이면 충분합니다(Stable Diffusion의 "
            "VAE는 채널이 128~512개이고 매개변수가 8,400만 개입니다)."))


def _scaling_factor(run_seed):
    """The tiny VAE's scaling factor for this run: far enough from 1 that applying it once, twice or not at all differ."""
    return round(random.Random(_derived(run_seed, 60)).uniform(0.3, 0.7), 4)


def _judge_latents(vae, images, scale, generator=None):
    with torch.no_grad():
        posterior = vae.encode(images).latent_dist
        return (posterior.mode() if generator is None else posterior.sample(generator)) * scale


def _judge_pixels(vae, latents, scale, clamp=True):
    with torch.no_grad():
        pixels = vae.decode(latents / scale).sample
    return pixels.clamp(-1, 1) if clamp else pixels


_ENCODE_HINT = say("latents = vae.encode(images).latent_dist.mode() (or .sample(generator) when a generator is given), "
                   "then times vae.config.scaling_factor, once; under torch.no_grad().",
                   "latents = vae.encode(images).latent_dist.mode()(generator가 주어지면 .sample(generator)) 다음 "
                   "vae.config.scaling_factor를 한 번 곱합니다. torch.no_grad() 안에서 하세요.")
_DECODE_HINT = say("pixels = vae.decode(latents / vae.config.scaling_factor).sample, clamped to [-1, 1].",
                   "pixels = vae.decode(latents / vae.config.scaling_factor).sample을 [-1, 1]로 자릅니다.")
_LATENT_LOSS_HINT = say("latents = encode_to_latents(vae, x0) (no gradient into the VAE); noisy = q_sample(latents, t, "
                        "noise, alphas_cumprod) in latent space; loss = F.mse_loss(unet(noisy, t, "
                        "encoder_hidden_states=text_states).sample, noise).",
                        "latents = encode_to_latents(vae, x0)(VAE로는 변화도가 가지 않게), 잠재 공간에서 noisy = "
                        "q_sample(latents, t, noise, alphas_cumprod), loss = F.mse_loss(unet(noisy, t, "
                        "encoder_hidden_states=text_states).sample, noise)입니다.")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("make_autoencoder builds a small AutoencoderKL that maps 16x16 pictures to 8x8 latents",
                   ko="make_autoencoder는 16x16 그림을 8x8 잠재 표현으로 바꾸는 작은 AutoencoderKL을 만듭니다")
def test_make_autoencoder_gives_8x8_latents(impl, run_seed):
    vae = _judge_vae(*autoencoder_parts(impl), say("make_autoencoder()'s model", "make_autoencoder()의 모델"))
    images = draw_shapes(3, _derived(run_seed, 61) % 100_000)[0]
    with torch.no_grad():
        latents = vae.encode(images).latent_dist.mode()
        pixels = vae.decode(latents).sample
    channels = vae.config.latent_channels
    hint = say("Two DownEncoderBlock2D (the encoder halves the size after every block but the last) and two "
               "UpDecoderBlock2D, in_channels=out_channels=3.",
               "DownEncoderBlock2D 두 개(인코더는 마지막 블록을 뺀 블록마다 크기를 절반으로 줄입니다)와 UpDecoderBlock2D 두 "
               "개, in_channels=out_channels=3입니다.")
    check(tuple(latents.shape) == (3, channels, 8, 8),
          say(f"the grader's copy of your VAE encodes 3 pictures of 3x16x16 to latents of shape {tuple(latents.shape)}; "
              f"expected (3, {channels}, 8, 8): one halving of the size.",
              f"채점기가 만든 VAE 사본이 3x16x16 그림 3장을 shape {tuple(latents.shape)}의 잠재 표현으로 바꿉니다. 크기를 "
              f"한 번 절반으로 줄인 (3, {channels}, 8, 8)이어야 합니다."), hint)
    check(tuple(pixels.shape) == (3, 3, 16, 16),
          say(f"decoding those latents gives shape {tuple(pixels.shape)}; expected the pictures' (3, 3, 16, 16).",
              f"그 잠재 표현을 디코딩한 shape가 {tuple(pixels.shape)}입니다. 그림과 같은 (3, 3, 16, 16)이어야 합니다."), hint)
    scale = vae.config.scaling_factor
    check(isinstance(scale, float) and 0 < scale < float("inf"),
          say(f"the VAE's scaling_factor is {scale!r}; it must be a positive number (diffusers' default is 0.18215).",
              f"VAE의 scaling_factor가 {scale!r}입니다. 양수여야 합니다(diffusers의 기본값은 0.18215)."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("encode_to_latents takes the posterior and multiplies it by the scaling factor",
                   ko="encode_to_latents는 사후 분포에서 잠재 표현을 얻어 스케일링 계수를 곱합니다")
def test_encode_to_latents_scales_the_posterior(impl, run_seed):
    seed, scale = _derived(run_seed, 62) % 100_000, _scaling_factor(run_seed)
    sample_seed = _derived(run_seed, 63) % 100_000
    images = F.avg_pool2d(draw_shapes(5, seed)[0], 2)
    got, got_sampled = latents_encoded(impl, seed, scale, images, sample_seed)
    vae = _tiny_vae(seed, scale)
    mode = _judge_latents(vae, images, 1.0)
    sampled = _judge_latents(vae, images, 1.0, torch.Generator().manual_seed(sample_seed))
    forgot = say("the scaling factor is left out: multiply the latents by vae.config.scaling_factor.",
                 "스케일링 계수가 빠졌습니다: 잠재 표현에 vae.config.scaling_factor를 곱하세요.")
    twice = say("the scaling factor is applied twice: multiply by vae.config.scaling_factor once.",
                "스케일링 계수를 두 번 곱했습니다: vae.config.scaling_factor는 한 번만 곱하세요.")
    divided = say("the latents are divided by the scaling factor: encoding multiplies by it, decoding divides.",
                  "잠재 표현을 스케일링 계수로 나눴습니다: 인코딩에서는 곱하고, 디코딩에서 나눕니다.")
    assert_tensor(got, mode * scale, say(f"encode_to_latents on 5 pictures (scaling_factor {scale}, no generator)",
                                         f"그림 5장에 대한 encode_to_latents(scaling_factor {scale}, generator 없음)"),
                  rtol=1e-4, atol=1e-5, hint=_ENCODE_HINT,
                  mistakes={forgot: mode, twice: mode * scale ** 2, divided: mode / scale})
    assert_tensor(got_sampled, sampled * scale,
                  say("encode_to_latents with a seeded generator: a sample of the posterior, scaled",
                      "시드를 준 generator로 encode_to_latents: 사후 분포의 표본에 스케일링 계수를 곱한 값"),
                  rtol=1e-4, atol=1e-5, hint=_ENCODE_HINT,
                  mistakes={say("the generator is ignored: with one, draw latent_dist.sample(generator).",
                                "generator를 무시했습니다: generator가 주어지면 latent_dist.sample(generator)로 "
                                "뽑으세요."): mode * scale,
                            forgot: sampled, twice: sampled * scale ** 2, divided: sampled / scale})
    check(not got.requires_grad and not got_sampled.requires_grad,
          say("encode_to_latents returned latents that require grad: the VAE ran with autograd on, so a loss built on "
              "them would send gradients into the frozen VAE (and keep its graph alive).",
              "encode_to_latents가 requires_grad인 잠재 표현을 반환했습니다: Autograd가 켜진 채 VAE가 실행되어, 이 "
              "잠재 표현으로 만든 손실의 변화도가 동결된 VAE까지 흘러갑니다(그래프도 계속 남습니다)."),
          say("Encode under torch.no_grad() (or detach the latents before returning them).",
              "torch.no_grad() 안에서 인코딩하세요(또는 반환하기 전에 잠재 표현을 detach하세요)."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("decode_latents undoes the scaling, decodes and clamps to [-1, 1]",
                   ko="decode_latents는 스케일링을 되돌리고 디코딩한 뒤 [-1, 1]로 자릅니다")
def test_decode_latents_undoes_the_scaling(impl, run_seed):
    seed, scale = _derived(run_seed, 64) % 100_000, _scaling_factor(run_seed)
    generator = torch.Generator().manual_seed(_derived(run_seed, 65))
    vae = _tiny_vae(seed, scale)
    images = F.avg_pool2d(draw_shapes(4, seed)[0], 2)
    cases = [torch.randn(3, 4, 4, 4, generator=generator), _judge_latents(vae, images, scale)]
    outs = latents_decoded(impl, seed, scale, cases)
    check(isinstance(outs, list) and len(outs) == 2, say("decode_latents did not answer for both latents.",
                                                          "decode_latents가 두 잠재 표현에 모두 답하지 않았습니다."))
    what = [say("decode_latents on random scaled latents (3, 4, 4, 4)", "무작위 스케일 잠재 표현 (3, 4, 4, 4)에 대한 decode_latents"),
            say("decode_latents(vae, latents of 4 pictures of 3x8x8): the round trip back to pixels",
                "decode_latents(vae, 3x8x8 그림 4장의 잠재 표현): 픽셀로 돌아오는 왕복")]
    for got, latents, title in zip(outs, cases, what):
        got = expect_tensor(got, "decode_latents(...)")
        check(tuple(got.shape) == (len(latents), 3, 8, 8),
              say(f"decode_latents on latents of shape {tuple(latents.shape)} gave {tuple(got.shape)}; expected the "
                  f"pictures' shape ({len(latents)}, 3, 8, 8).",
                  f"shape {tuple(latents.shape)}의 잠재 표현에 대한 decode_latents의 출력 shape가 {tuple(got.shape)}입니다. "
                  f"그림의 shape ({len(latents)}, 3, 8, 8)이어야 합니다."), _DECODE_HINT)
        assert_tensor(got, _judge_pixels(vae, latents, scale), title, rtol=1e-4, atol=1e-5, hint=_DECODE_HINT,
                      mistakes={say("the latents are decoded without dividing by the scaling factor first.",
                                    "스케일링 계수로 먼저 나누지 않고 잠재 표현을 디코딩했습니다."):
                                    _judge_pixels(vae, latents, 1.0),
                                say("the latents are multiplied by the scaling factor again before decoding: divide.",
                                    "디코딩 전에 스케일링 계수를 다시 곱했습니다: 나눠야 합니다."):
                                    _judge_pixels(vae, latents * scale * scale, scale),
                                say("the pictures are not clamped to [-1, 1]: the decoder's output is not bounded.",
                                    "그림을 [-1, 1]로 자르지 않았습니다: 디코더의 출력에는 범위 제한이 없습니다."):
                                    _judge_pixels(vae, latents, scale, clamp=False)})


def _latent_loss(unet, vae, scale, x0, states, t, noise, mistake=None):
    """The judge's latent diffusion loss, or what a known mistake gives."""
    factor = {"forgot": 1.0, "twice": scale * scale}.get(mistake, scale)
    latents = _judge_latents(vae, x0, factor)
    noisy = latents if mistake == "clean" else _ddpm().add_noise(latents, noise, t)
    target = latents if mistake == "target" else noise
    return F.mse_loss(unet(noisy, t, encoder_hidden_states=states).sample, target)


@pytest.mark.points(3)
@pytest.mark.gradients
@pytest.mark.title("latent_diffusion_loss noises the scaled latents and trains the UNet on them",
                   ko="latent_diffusion_loss는 스케일한 잠재 표현에 노이즈를 섞고 그것으로 UNet을 학습시킵니다")
def test_latent_diffusion_loss_matches_the_judges(impl, run_seed):
    scale, alphas_cumprod = _scaling_factor(run_seed), _ddpm().alphas_cumprod
    for seed in (_derived(run_seed, 66) % 100_000, _derived(run_seed, 67) % 100_000):
        loss, grad, _, _ = latent_loss_effects(impl, seed, scale, alphas_cumprod)
        check(grad is not None,
              say("latent_diffusion_loss should return a scalar tensor that backward() runs through into the UNet.",
                  "latent_diffusion_loss는 backward()가 UNet까지 흘러갈 수 있는 스칼라 텐서를 반환해야 합니다."),
              _LATENT_LOSS_HINT)
        unet, vae = _tiny_latent_unet(seed), _tiny_vae(seed + 1, scale)
        case = _latent_case(seed)
        mistakes = {say("the scaling factor is left out: the UNet learns latents of another scale than "
                        "encode_to_latents gives.",
                        "스케일링 계수가 빠졌습니다: UNet이 encode_to_latents가 주는 것과 다른 크기의 잠재 표현을 "
                        "배웁니다."): "forgot",
                    say("the scaling factor is applied twice (encode_to_latents already multiplies by it).",
                        "스케일링 계수를 두 번 곱했습니다(encode_to_latents가 이미 곱합니다)."): "twice",
                    say("the UNet sees the clean latents: q_sample them first.",
                        "UNet이 깨끗한 잠재 표현을 봅니다: 먼저 q_sample하세요."): "clean",
                    say("the target is the latents; the UNet predicts the noise that was added.",
                        "목표가 잠재 표현입니다. UNet은 더해진 노이즈를 예측합니다."): "target"}
        with torch.no_grad():
            wrong = {sentence: _latent_loss(unet, vae, scale, *case, kind).item() for sentence, kind in mistakes.items()}
        want = _latent_loss(unet, vae, scale, *case)
        assert_scalar(loss, want.item(), say("latent_diffusion_loss on the grader's tiny UNet and VAE",
                                             "채점기의 작은 UNet과 VAE에서 latent_diffusion_loss 값"),
                      rtol=1e-4, hint=_LATENT_LOSS_HINT, mistakes=wrong)
        want.backward()
        # A mistake whose loss lands within tolerance of the right one (the tiny VAE's latents are small next to the
        # noise, so a scale applied twice moves the loss little) still shows in the gradient: named there too.
        assert_tensor(grad, unet.conv_in.weight.grad,
                      say("the gradient of latent_diffusion_loss for the UNet's conv_in weight",
                          "UNet conv_in 가중치에 대한 latent_diffusion_loss의 변화도"),
                      rtol=1e-3, atol=1e-6, hint=_LATENT_LOSS_HINT,
                      mistakes={sentence: _latent_conv_in_grad(seed, vae, scale, case, kind)
                                for sentence, kind in mistakes.items()})


def _latent_conv_in_grad(seed, vae, scale, case, mistake):
    """The gradient at a fresh tiny UNet's conv_in weight of the latent loss with `mistake` made."""
    unet = _tiny_latent_unet(seed)
    _latent_loss(unet, vae, scale, *case, mistake).backward()
    return unet.conv_in.weight.grad


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("latent_diffusion_loss leaves the VAE frozen: no gradient, no change",
                   ko="latent_diffusion_loss는 VAE를 동결된 채로 둡니다: 변화도도, 변경도 없습니다")
def test_latent_diffusion_loss_leaves_the_vae_frozen(impl, run_seed):
    seed, scale = _derived(run_seed, 68) % 100_000, _scaling_factor(run_seed)
    _, grad, vae_grads, vae_after = latent_loss_effects(impl, seed, scale, _ddpm().alphas_cumprod)
    check(grad is not None,
          say("latent_diffusion_loss should return a scalar tensor that backward() runs through into the UNet.",
              "latent_diffusion_loss는 backward()가 UNet까지 흘러갈 수 있는 스칼라 텐서를 반환해야 합니다."),
          _LATENT_LOSS_HINT)
    check(not any(vae_grads),
          say(f"after backward() on latent_diffusion_loss, {sum(vae_grads)} of the VAE's {len(vae_grads)} parameter "
              "tensors hold gradients: x0 was encoded with autograd on, so backward ran through the frozen VAE.",
              f"latent_diffusion_loss에 backward()를 호출한 뒤 VAE의 매개변수 텐서 {len(vae_grads)}개 중 {sum(vae_grads)}"
              "개에 변화도가 있습니다: autograd가 켜진 채로 x0를 인코딩해서 역전파가 동결된 VAE까지 흘러갔습니다."),
          say("Encode under torch.no_grad() (or detach the latents): the VAE is a fixed map, only the UNet learns.",
              "torch.no_grad() 안에서 인코딩하세요(또는 잠재 표현을 detach하세요): VAE는 고정된 변환이고 UNet만 "
              "학습합니다."))
    check(torch.equal(vae_after, _flat(_tiny_vae(seed + 1, scale))),
          say("latent_diffusion_loss changed the VAE's parameters.", "latent_diffusion_loss가 VAE의 매개변수를 바꿨습니다."),
          _LATENT_LOSS_HINT)


@pytest.mark.points(2)
@pytest.mark.convergence
@pytest.mark.title("A short run on latent_diffusion_loss lowers the latent loss",
                   ko="latent_diffusion_loss로 짧게 학습하면 잠재 공간의 손실이 내려갑니다")
def test_latent_training_lowers_the_loss(impl, run_seed):
    """LATENT_STEPS Adam steps (lr 3e-3) of the grader's tiny latent UNet on the student's loss, with the grader's
    tiny VAE, 8 pictures and their states: the judge's own latent loss on those pictures, averaged over 8 draws of t
    and noise it makes, must come down to LATENT_RATIO (0.85) of the untrained UNet's. The reference reached
    0.649-0.677 (run seeds 1-5); a loss that does not train the UNet stays at 1.0."""
    seed, scale = _derived(run_seed, 69) % 100_000, _scaling_factor(run_seed)
    weights = latent_training_run(impl, seed, scale, _ddpm().alphas_cumprod)
    trained = _tiny_latent_unet(seed)
    check(isinstance(weights, dict) and all(type(v) in (torch.Tensor, nn.Parameter) for v in weights.values()),
          say("the trained UNet's weights are not tensors.", "학습한 UNet의 가중치가 텐서가 아닙니다."))
    try:
        trained.load_state_dict(weights)
    except RuntimeError as error:
        raise AssertionError(say(f"the trained UNet's weights do not fit it: {str(error)[:200]}",
                                 f"학습한 UNet의 가중치가 모델과 맞지 않습니다: {str(error)[:200]}")) from None
    vae, untrained = _tiny_vae(seed + 1, scale), _tiny_latent_unet(seed)
    images, states, _, _ = _latent_case(seed, 8)
    draw = torch.Generator().manual_seed(_derived(run_seed, 70))
    losses = torch.zeros(2)
    with torch.no_grad():
        for _ in range(8):
            t, noise = torch.randint(0, 1000, (8,), generator=draw), torch.randn(8, 4, 4, 4, generator=draw)
            for index, unet in enumerate((untrained, trained)):
                losses[index] += _latent_loss(unet, vae, scale, images, states, t, noise).item() / 8
    before, after = losses.tolist()
    check(after == after and after <= LATENT_RATIO * before,
          say(f"after {LATENT_STEPS} Adam steps on latent_diffusion_loss, the grader's latent loss went from "
              f"{before:.3g} to {after:.3g} ({after / before:.0%} of it); a correct loss brings it under "
              f"{LATENT_RATIO:.0%}.",
              f"latent_diffusion_loss로 Adam {LATENT_STEPS}단계를 학습한 뒤 채점기가 잰 잠재 공간의 손실이 {before:.3g}에서 "
              f"{after:.3g}(처음의 {after / before:.0%})가 되었습니다. 올바른 손실이면 {LATENT_RATIO:.0%} 아래로 "
              f"내려갑니다."), _LATENT_LOSS_HINT)
