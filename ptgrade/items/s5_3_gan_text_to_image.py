"""5.3's data and constants: the captioned shapes the kit draws, the word-level tokenizer, the DDPM schedule's
constants, and the measures that read pictures back.

The kit draws its own data (no download): 16x16 colour images of a red, green or blue circle or square on a black
background, each with its caption ("red circle", "blue square", ...). The stub, the reference, the grader and
`ptgrade run 5.3` share the drawing (`draw_shapes`), the word-level tokenizer (`tokenize`, over `VOCAB`, `MAX_TOKENS`
ids a caption), the detector (`detect`) that reads a picture's colour and shape back (what the sampler makes for
"red circle" should be read as red and round more often than chance), `shape_pairs`, and the GAN's `gan_features`
and `frechet_distance`.
"""
from __future__ import annotations

import torch

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
