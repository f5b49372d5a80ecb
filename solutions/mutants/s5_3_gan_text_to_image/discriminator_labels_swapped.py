"""The discriminator's loss calls real images 0 and fakes 1."""
CAUGHT_BY = "test_discriminator_step_uses_the_right_labels"
MESSAGE_MENTIONS = "labels are swapped"
MESSAGE_MENTIONS_KO = "레이블이 뒤바뀌었습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def discriminator_step(generator, discriminator, optimizer_d, real, z):
    fake = generator(z).detach()
    real_logits, fake_logits = discriminator(real), discriminator(fake)
    loss = (F.binary_cross_entropy_with_logits(real_logits, torch.zeros_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)))
    optimizer_d.zero_grad()
    loss.backward()
    optimizer_d.step()
    return loss.item()
