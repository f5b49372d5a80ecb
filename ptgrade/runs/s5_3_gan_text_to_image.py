"""`ptgrade run 5.3`: a DCGAN and a small text-to-image diffusion model trained on captioned shapes the kit draws.

The kit draws its own data (no download): 16x16 colour images of a red, green or blue circle or square on a black
background, each with its caption ("red circle", "blue square", ...). The grader and this driver share the drawing
(`draw_shapes`), the word-level tokenizer (`tokenize`) and the detector (`detect`) that reads a picture's colour and
shape back: what the sampler makes for "red circle" should be read as red and round more often than chance.
"""
from __future__ import annotations


import torch

from ptgrade.i18n import _

IMAGE_SIZE = 16
COLOURS = ("red", "green", "blue")
SHAPES = ("circle", "square")
VOCAB = ("<pad>", "<bos>", "<eos>", *COLOURS, *SHAPES)  # word-level: one id per word
MAX_TOKENS = 4  # <bos> colour shape <eos>; the empty caption is <bos> <eos> <pad> <pad>
T_STEPS, BETA_START, BETA_END = 1000, 1e-4, 0.02  # the DDPM linear schedule


def draw_shapes(count: int, seed: int, size: int = IMAGE_SIZE, centred: bool = False):
    """`count` seeded pictures: (images (count, 3, size, size) in [-1, 1], captions, colour ids, shape ids).

    Each holds one filled shape of a pure colour (value 1 in its channel, -1 in the others) on black (-1): a circle
    of radius 3.5-6 or an axis-aligned square of side 6-11, at a random place that keeps it inside the picture.
    `centred` (the text-to-image data) puts every shape in the middle, a circle of radius 4-5 or a square of side
    9-11: the corners of the square's box (`CORNERS`) are lit for every square and dark for every circle, so a
    picture's shape can be read back from a dozen pixels (`squareness`)."""
    generator = torch.Generator().manual_seed(seed)
    colours = torch.randint(len(COLOURS), (count,), generator=generator)
    shapes = torch.randint(len(SHAPES), (count,), generator=generator)
    extent = torch.rand(count, generator=generator)
    place = torch.rand(count, 2, generator=generator)
    rows = torch.arange(size).view(size, 1) + 0.5
    cols = torch.arange(size).view(1, size) + 0.5
    images = -torch.ones(count, 3, size, size)
    for i in range(count):
        if centred:
            half = size / 2
            if shapes[i] == 0:
                radius = 4 + extent[i].item()
                mask = (rows - half) ** 2 + (cols - half) ** 2 <= radius ** 2
            else:
                side_half = (9 + int(3 * extent[i].item())) / 2
                mask = ((rows - half).abs() <= side_half) & ((cols - half).abs() <= side_half)
        elif shapes[i] == 0:  # circle
            radius = 3.5 + 2.5 * extent[i].item()
            cy, cx = (radius + (size - 2 * radius) * place[i]).tolist()
            mask = (rows - cy) ** 2 + (cols - cx) ** 2 <= radius ** 2
        else:  # square
            side = 6 + int(6 * extent[i].item())
            top, left = (torch.floor((size - side + 1) * place[i])).long().tolist()
            mask = torch.zeros(size, size, dtype=torch.bool)
            mask[top:top + side, left:left + side] = True
        images[i, colours[i], mask] = 1.0
    captions = [f"{COLOURS[c]} {SHAPES[s]}" for c, s in zip(colours.tolist(), shapes.tolist())]
    return images, captions, colours, shapes


def _offsets(size: int = IMAGE_SIZE):
    centres = torch.arange(size) + 0.5 - size / 2
    return centres.abs().view(size, 1), centres.abs().view(1, size)


def _regions(size: int = IMAGE_SIZE):
    """(CORE, CORNERS) of a centred picture: the pixels within 3 of the middle (lit by every centred shape), and the
    12 pixels 3.5-4.5 from the middle on both axes and over 5.5 from it (inside every centred square's box, outside
    every centred circle)."""
    dy, dx = _offsets(size)
    distance = (dy ** 2 + dx ** 2).sqrt()
    core = distance <= 3
    corners = (dy >= 3.5) & (dy <= 4.5) & (dx >= 3.5) & (dx <= 4.5) & (distance > 5.5)
    return core, corners


CORE, CORNERS = _regions()


def tokenize(captions: list[str]) -> torch.Tensor:
    """Word ids (len(captions), MAX_TOKENS): <bos> words <eos>, padded with <pad>; "" gives the empty caption."""
    ids = torch.zeros(len(captions), MAX_TOKENS, dtype=torch.long)
    for row, caption in enumerate(captions):
        words = [VOCAB.index(w) for w in caption.split()]
        tokens = [VOCAB.index("<bos>"), *words, VOCAB.index("<eos>")][:MAX_TOKENS]
        ids[row, :len(tokens)] = torch.tensor(tokens)
    return ids


def squareness(images: torch.Tensor) -> torch.Tensor:
    """How square each centred picture is: the brightness (the largest channel, from 0 for black to 2 for lit) of its
    `CORNERS` over that of its `CORE`. A drawn square scores 1, a drawn circle 0; a sample, something between."""
    brightness = images.detach().float().cpu().clamp(-1, 1).amax(dim=1) + 1  # (n, h, w)
    return brightness[:, CORNERS].mean(dim=1) / brightness[:, CORE].mean(dim=1).clamp(min=1e-3)


def detect(images: torch.Tensor):
    """Read each centred picture's colour and shape back: (colour ids, shape ids, found), each of length len(images).

    The shape's pixels are those brighter than the midpoint (max channel > 0). Its colour is the channel with the
    largest mean over those pixels; it is a square when its `squareness` is over 1/2. `found` is False where fewer
    than 12 pixels are lit (no shape to read)."""
    images = images.detach().float().cpu().clamp(-1, 1)
    lit = images.amax(dim=1) > 0  # (n, h, w)
    colours = torch.stack([picture[:, mask].mean(dim=1).argmax() if mask.any() else torch.tensor(0)
                           for picture, mask in zip(images, lit)])
    return colours, (squareness(images) > 0.5).long(), lit.flatten(1).sum(dim=1) >= 12


def grid_prompts(per_caption: int) -> list[str]:
    """Every caption `per_caption` times, colour by colour, shape by shape: the layout `shape_pairs` reads."""
    return [f"{c} {s}" for c in COLOURS for s in SHAPES for _copy in range(per_caption)]


def shape_pairs(images: torch.Tensor, per_caption: int, margin: float = 0.1) -> float:
    """The share of (colour, starting noise) pairs whose "square" sample is squarer, by `margin`, than the "circle"
    sample drawn from the same noise. `images` are sampled for `grid_prompts(per_caption)` with the same
    `per_caption` noises under every caption: a model that ignores the shape word draws the same picture for both
    and scores 0, exactly; one that follows it scores 1."""
    score = squareness(images).view(len(COLOURS), len(SHAPES), per_caption)
    circle, square = SHAPES.index("circle"), SHAPES.index("square")
    return (score[:, square] > score[:, circle] + margin).float().mean().item()


def gan_features(images: torch.Tensor) -> torch.Tensor:
    """What the GAN's samples are compared on: each picture average-pooled to 4x4 per channel (48 numbers)."""
    return torch.nn.functional.avg_pool2d(images.detach().float().cpu(), IMAGE_SIZE // 4).flatten(1)


def frechet_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """The Fréchet distance between Gaussians fitted to two sets of feature rows (as FID does, on small features)."""
    a, b = a.double(), b.double()
    mean = ((a.mean(0) - b.mean(0)) ** 2).sum()
    cov_a, cov_b = torch.cov(a.T), torch.cov(b.T)
    root = torch.linalg.eigvals(cov_a @ cov_b).real.clamp(min=0).sqrt().sum()
    return float(mean + cov_a.trace() + cov_b.trace() - 2 * root)


# -- the run ---------------------------------------------------------------------------------------------------------
def _colour_rate(images, prompts):
    colour, _shape, found = detect(images)
    want_colour = torch.tensor([COLOURS.index(p.split()[0]) for p in prompts])
    return ((colour == want_colour) & found).float().mean().item()


def run(student, options, report):
    """Train the student's DCGAN, then the text-to-image model, on drawn shapes; resume from `report.checkpoint`."""
    from torchvision.utils import save_image

    from ptgrade.runs import RunProblem

    if options.data is not None:
        raise RunProblem(_("5.3 draws its own captioned shapes and reads no data set; leave out --data."))
    device = torch.device(options.device)
    smoke = options.smoke
    epochs = options.epochs or (1 if smoke else 10)
    count, batch = (128, 16) if smoke else (8192, 64)
    gan_steps, t2i_steps = (10, 4) if smoke else (count // batch, count // batch)
    sample_steps, per_caption = (4, 2) if smoke else (25, 8)

    torch.manual_seed(options.seed)
    images = draw_shapes(count, options.seed)[0]
    pictures_t2i, captions, _shapes, _colours = draw_shapes(count, options.seed + 1, centred=True)
    ids = tokenize(captions)
    generator, discriminator = student.Generator().to(device), student.Discriminator().to(device)
    generator.apply(student.weights_init)
    discriminator.apply(student.weights_init)
    optimizer_g = torch.optim.Adam(generator.parameters(), lr=4e-4, betas=(0.5, 0.999))
    optimizer_d = torch.optim.Adam(discriminator.parameters(), lr=4e-4, betas=(0.5, 0.999))
    encoder, unet = student.make_text_encoder().to(device), student.make_unet().to(device)
    optimizer_t2i = torch.optim.AdamW([*unet.parameters(), *encoder.parameters()], lr=2e-3)
    alphas_cumprod = student.noise_schedule().to(device)
    history = {"d_loss": [], "g_loss": [], "t2i_loss": []}
    done = {"gan": 0, "t2i": 0}

    state = report.load_checkpoint()
    if state is not None:
        generator.load_state_dict(state["generator"])
        discriminator.load_state_dict(state["discriminator"])
        optimizer_g.load_state_dict(state["optimizer_g"])
        optimizer_d.load_state_dict(state["optimizer_d"])
        encoder.load_state_dict(state["encoder"])
        unet.load_state_dict(state["unet"])
        optimizer_t2i.load_state_dict(state["optimizer_t2i"])
        history, done = state["history"], state["done"]
        report.say(_("Resuming from {path}: GAN epoch {gan}, text-to-image epoch {t2i} of {epochs}.").format(
            path=report.checkpoint, gan=done["gan"], t2i=done["t2i"], epochs=epochs))

    def save():
        report.save_checkpoint({
            "generator": generator.state_dict(), "discriminator": discriminator.state_dict(),
            "optimizer_g": optimizer_g.state_dict(), "optimizer_d": optimizer_d.state_dict(),
            "encoder": encoder.state_dict(), "unet": unet.state_dict(), "optimizer_t2i": optimizer_t2i.state_dict(),
            "history": history, "done": done})

    rng = torch.Generator().manual_seed(options.seed + 1)
    for epoch in range(done["gan"], epochs):
        generator.train()
        discriminator.train()
        with report.progress(_("DCGAN epoch {epoch}/{epochs}").format(epoch=epoch + 1, epochs=epochs),
                             total=gan_steps) as step:
            for _step in range(gan_steps):
                real = images[torch.randint(count, (batch,), generator=rng)].to(device)
                z_d = torch.randn(batch, student.NZ, 1, 1, generator=rng).to(device)
                z_g = torch.randn(batch, student.NZ, 1, 1, generator=rng).to(device)
                d_loss = student.discriminator_step(generator, discriminator, optimizer_d, real, z_d)
                g_loss = student.generator_step(generator, discriminator, optimizer_g, z_g)
                history["d_loss"].append(float(d_loss))
                history["g_loss"].append(float(g_loss))
                step(d_loss=float(d_loss), g_loss=float(g_loss))
        done["gan"] = epoch + 1
        save()

    for epoch in range(done["t2i"], epochs):
        unet.train()
        encoder.train()
        with report.progress(_("text-to-image epoch {epoch}/{epochs}").format(epoch=epoch + 1, epochs=epochs),
                             total=t2i_steps) as step:
            for _step in range(t2i_steps):
                index = torch.randint(count, (batch,), generator=rng)
                batch_ids = student.drop_captions(ids[index], 0.1, rng).to(device)
                t = torch.randint(0, T_STEPS, (batch,), generator=rng).to(device)
                noise = torch.randn(batch, 3, IMAGE_SIZE, IMAGE_SIZE, generator=rng).to(device)
                loss = student.diffusion_loss(unet, pictures_t2i[index].to(device), student.encode_captions(encoder, batch_ids),
                                              t, noise, alphas_cumprod)
                optimizer_t2i.zero_grad()
                loss.backward()
                optimizer_t2i.step()
                history["t2i_loss"].append(loss.item())
                step(loss=loss.item())
        done["t2i"] = epoch + 1
        save()

    from diffusers import DDIMScheduler
    generator.eval()
    unet.eval()
    encoder.eval()
    fixed = torch.randn(512, student.NZ, 1, 1, generator=torch.Generator().manual_seed(1)).to(device)
    with torch.no_grad():
        fakes = generator(fixed).cpu()
        prompts = grid_prompts(per_caption)
        states = student.encode_captions(encoder, tokenize(prompts).to(device))
        empty = student.encode_captions(encoder, tokenize([""] * len(prompts)).to(device))
    # The same noises under every caption: what differs between two samples is their caption alone.
    noise = torch.randn(per_caption, 3, IMAGE_SIZE, IMAGE_SIZE, generator=torch.Generator().manual_seed(2))
    noise = noise.repeat(len(prompts) // per_caption, 1, 1, 1).to(device)
    scheduler = DDIMScheduler(num_train_timesteps=T_STEPS, beta_start=BETA_START, beta_end=BETA_END,
                              beta_schedule="linear")
    pictures = student.sample(unet, states, empty, scheduler, noise, 3.0, sample_steps).cpu()

    save_image(fakes[:64] * 0.5 + 0.5, options.out / "gan_samples.png", nrow=8)
    save_image(pictures * 0.5 + 0.5, options.out / "text_to_image_samples.png", nrow=per_caption)  # one row per caption
    report.plot("gan_losses", {"discriminator": history["d_loss"], "generator": history["g_loss"]}, "step", "loss")
    report.plot("text_to_image_loss", {"noise MSE": history["t2i_loss"]}, "step", "loss")
    colour_rate, shape_rate = _colour_rate(pictures, prompts), shape_pairs(pictures, per_caption)
    real_features = gan_features(draw_shapes(512, 99_999)[0])
    report.say(_("Samples: {gan} and {t2i} (rows: {rows}).").format(
        gan=options.out / "gan_samples.png", t2i=options.out / "text_to_image_samples.png",
        rows=", ".join(dict.fromkeys(prompts))))
    return {"epochs": epochs, "gan_frechet_distance": round(frechet_distance(gan_features(fakes), real_features), 3),
            "gan_final_d_loss": round(history["d_loss"][-1], 4), "gan_final_g_loss": round(history["g_loss"][-1], 4),
            "t2i_final_loss": round(sum(history["t2i_loss"][-20:]) / len(history["t2i_loss"][-20:]), 4),
            "t2i_caption_colour_rate": round(colour_rate, 3), "t2i_shape_pair_rate": round(shape_rate, 3),
            "samples": str(options.out / "text_to_image_samples.png")}
