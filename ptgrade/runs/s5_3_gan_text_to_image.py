"""`ptgrade run 5.3`: a DCGAN and a small text-to-image diffusion model trained on captioned shapes the kit draws.

The data, the tokenizer and the detector that reads a picture's colour and shape back are the item's
(ptgrade/items/s5_3_gan_text_to_image.py); this driver trains the student's models on them and reports how often the
sampler's pictures follow their captions.
"""
from __future__ import annotations

import torch

from ptgrade.i18n import _
from ptgrade.items.s5_3_gan_text_to_image import (
    BETA_END,
    BETA_START,
    COLOURS,
    IMAGE_SIZE,
    T_STEPS,
    detect,
    draw_shapes,
    frechet_distance,
    gan_features,
    grid_prompts,
    shape_pairs,
    tokenize,
)


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
                states = student.encode_captions(encoder, batch_ids)
                loss = student.diffusion_loss(unet, pictures_t2i[index].to(device), states, t, noise, alphas_cumprod)
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
