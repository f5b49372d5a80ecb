"""discriminator_step returns the loss as a 0-d tensor (loss.detach()), not a Python float."""
CAUGHT_BY = "test_discriminator_step_uses_the_right_labels"
MESSAGE_MENTIONS = "Python float"
MESSAGE_MENTIONS_KO = "Python float"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def discriminator_step(generator, discriminator, optimizer_d, real, z):
    fake = generator(z).detach()
    real_logits, fake_logits = discriminator(real), discriminator(fake)
    loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
    optimizer_d.zero_grad()
    loss.backward()
    optimizer_d.step()
    return loss.detach()
