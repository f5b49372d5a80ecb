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


def draw_shapes(count: int, seed: int, size: int = IMAGE_SIZE):
    """`count` seeded pictures: (images (count, 3, size, size) in [-1, 1], captions, colour ids, shape ids).

    Each holds one filled shape of a pure colour (value 1 in its channel, -1 in the others) on black (-1): a circle
    of radius 3.5-6 or an axis-aligned square of side 6-11, at a random place that keeps it inside the picture."""
    generator = torch.Generator().manual_seed(seed)
    colours = torch.randint(len(COLOURS), (count,), generator=generator)
    shapes = torch.randint(len(SHAPES), (count,), generator=generator)
    extent = torch.rand(count, generator=generator)
    place = torch.rand(count, 2, generator=generator)
    rows = torch.arange(size).view(size, 1) + 0.5
    cols = torch.arange(size).view(1, size) + 0.5
    images = -torch.ones(count, 3, size, size)
    for i in range(count):
        if shapes[i] == 0:  # circle
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


def tokenize(captions: list[str]) -> torch.Tensor:
    """Word ids (len(captions), MAX_TOKENS): <bos> words <eos>, padded with <pad>; "" gives the empty caption."""
    ids = torch.zeros(len(captions), MAX_TOKENS, dtype=torch.long)
    for row, caption in enumerate(captions):
        words = [VOCAB.index(w) for w in caption.split()]
        tokens = [VOCAB.index("<bos>"), *words, VOCAB.index("<eos>")][:MAX_TOKENS]
        ids[row, :len(tokens)] = torch.tensor(tokens)
    return ids


def detect(images: torch.Tensor):
    """Read each picture's colour and shape back: (colour ids, shape ids, found), each of length len(images).

    The shape's pixels are those brighter than the midpoint (max channel > 0). Its colour is the channel with the
    largest mean over those pixels; its shape is a square when the pixels fill their bounding box (>= 0.9), else a
    circle (a disc fills pi/4 of it). `found` is False where fewer than 12 pixels are lit (no shape to read)."""
    images = images.detach().float().cpu().clamp(-1, 1)
    lit = images.amax(dim=1) > 0  # (n, h, w)
    colours, shapes, found = [], [], []
    for picture, mask in zip(images, lit):
        count = int(mask.sum())
        found.append(count >= 12)
        if count == 0:
            colours.append(0)
            shapes.append(0)
            continue
        colours.append(int(picture[:, mask].mean(dim=1).argmax()))
        rows = mask.any(dim=1).nonzero().flatten()
        cols = mask.any(dim=0).nonzero().flatten()
        box = (rows[-1] - rows[0] + 1) * (cols[-1] - cols[0] + 1)
        shapes.append(1 if count / box.item() >= 0.9 else 0)
    return torch.tensor(colours), torch.tensor(shapes), torch.tensor(found)


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
def _grid_prompts(per_caption: int) -> list[str]:
    return [f"{c} {s}" for c in COLOURS for s in SHAPES for _copy in range(per_caption)]


def _caption_rates(images, prompts):
    colour, shape, found = detect(images)
    want_colour = torch.tensor([COLOURS.index(p.split()[0]) for p in prompts])
    want_shape = torch.tensor([SHAPES.index(p.split()[1]) for p in prompts])
    return (((colour == want_colour) & found).float().mean().item(),
            ((shape == want_shape) & found).float().mean().item())


def run(student, options, report):
    """Train the student's DCGAN, then the text-to-image model, on drawn shapes; resume from `report.checkpoint`."""
    from torchvision.utils import save_image

    from ptgrade.projects import RunProblem

    if options.data is not None:
        raise RunProblem(_("5.3 draws its own captioned shapes and reads no data set; leave out --data."))
    device = torch.device(options.device)
    smoke = options.smoke
    epochs = options.epochs or (1 if smoke else 10)
    count, batch = (128, 16) if smoke else (8192, 64)
    gan_steps, t2i_steps = (10, 4) if smoke else (count // batch, count // batch)
    sample_steps, per_caption = (4, 2) if smoke else (25, 8)

    torch.manual_seed(options.seed)
    images, captions, _shapes, _colours = draw_shapes(count, options.seed)
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
                loss = student.diffusion_loss(unet, images[index].to(device), student.encode_captions(encoder, batch_ids),
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
        prompts = _grid_prompts(per_caption)
        states = student.encode_captions(encoder, tokenize(prompts).to(device))
        empty = student.encode_captions(encoder, tokenize([""] * len(prompts)).to(device))
    noise = torch.randn(len(prompts), 3, IMAGE_SIZE, IMAGE_SIZE, generator=torch.Generator().manual_seed(2)).to(device)
    scheduler = DDIMScheduler(num_train_timesteps=T_STEPS, beta_start=BETA_START, beta_end=BETA_END,
                              beta_schedule="linear")
    pictures = student.sample(unet, states, empty, scheduler, noise, 3.0, sample_steps).cpu()

    save_image(fakes[:64] * 0.5 + 0.5, options.out / "gan_samples.png", nrow=8)
    save_image(pictures * 0.5 + 0.5, options.out / "text_to_image_samples.png", nrow=per_caption)  # one row per caption
    report.plot("gan_losses", {"discriminator": history["d_loss"], "generator": history["g_loss"]}, "step", "loss")
    report.plot("text_to_image_loss", {"noise MSE": history["t2i_loss"]}, "step", "loss")
    colour_rate, shape_rate = _caption_rates(pictures, prompts)
    real_features = gan_features(draw_shapes(512, 99_999)[0])
    report.say(_("Samples: {gan} and {t2i} (rows: {rows}).").format(
        gan=options.out / "gan_samples.png", t2i=options.out / "text_to_image_samples.png",
        rows=", ".join(dict.fromkeys(prompts))))
    return {"epochs": epochs, "gan_frechet_distance": round(frechet_distance(gan_features(fakes), real_features), 3),
            "gan_final_d_loss": round(history["d_loss"][-1], 4), "gan_final_g_loss": round(history["g_loss"][-1], 4),
            "t2i_final_loss": round(sum(history["t2i_loss"][-20:]) / len(history["t2i_loss"][-20:]), 4),
            "t2i_caption_colour_rate": round(colour_rate, 3), "t2i_caption_shape_rate": round(shape_rate, 3),
            "samples": str(options.out / "text_to_image_samples.png")}
