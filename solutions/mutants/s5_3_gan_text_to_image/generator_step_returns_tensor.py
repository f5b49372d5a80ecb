"""generator_step returns the loss tensor itself (a 0-d tensor that still holds its graph), not a Python float."""
CAUGHT_BY = "test_generator_step_is_non_saturating"
MESSAGE_MENTIONS = "Python float"
MESSAGE_MENTIONS_KO = "Python float"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def generator_step(generator, discriminator, optimizer_g, z):
    logits = discriminator(generator(z))
    loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    optimizer_g.zero_grad()
    loss.backward()
    optimizer_g.step()
    return loss
