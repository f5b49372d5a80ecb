"""The generator step freezes D with requires_grad_(False) and never unfreezes it: D stops learning."""
CAUGHT_BY = "test_generator_step_leaves_the_discriminator_alone"
MESSAGE_MENTIONS = "no longer require grad"
MESSAGE_MENTIONS_KO = "더 이상 requires_grad가 아닙니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def generator_step(generator, discriminator, optimizer_g, z):
    discriminator.requires_grad_(False)
    logits = discriminator(generator(z))
    loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    optimizer_g.zero_grad()
    loss.backward()
    optimizer_g.step()
    return loss.item()
