"""The generator is trained toward the label 'fake' (0) instead of 'real' (1)."""
CAUGHT_BY = "test_generator_step_is_non_saturating"
MESSAGE_MENTIONS = "toward the label 'fake'"
MESSAGE_MENTIONS_KO = "'가짜'(0) 레이블 쪽으로"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def generator_step(generator, discriminator, optimizer_g, z):
    logits = discriminator(generator(z))
    loss = F.binary_cross_entropy_with_logits(logits, torch.zeros_like(logits))
    optimizer_g.zero_grad()
    loss.backward()
    optimizer_g.step()
    return loss.item()
