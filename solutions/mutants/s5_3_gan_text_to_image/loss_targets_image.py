"""The diffusion loss compares the UNet's prediction with the clean image instead of the added noise."""
CAUGHT_BY = "test_diffusion_loss_targets_the_noise"
MESSAGE_MENTIONS = "the target is the clean image"
MESSAGE_MENTIONS_KO = "목표가 깨끗한 이미지입니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def diffusion_loss(unet, x0, text_states, t, noise, alphas_cumprod):
    predicted = unet(q_sample(x0, t, noise, alphas_cumprod), t, encoder_hidden_states=text_states).sample
    return F.mse_loss(predicted, x0)
