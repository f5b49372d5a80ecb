"""The discriminator step feeds D the fake images without detach: backward runs through the generator too."""
CAUGHT_BY = "test_discriminator_step_leaves_the_generator_alone"
MESSAGE_MENTIONS = "not detached"
MESSAGE_MENTIONS_KO = "가짜 이미지를 detach하지 않아"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def discriminator_step(generator, discriminator, optimizer_d, real, z):
    fake = generator(z)
    real_logits, fake_logits = discriminator(real), discriminator(fake)
    loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
    optimizer_d.zero_grad()
    loss.backward()
    optimizer_d.step()
    return loss.item()
