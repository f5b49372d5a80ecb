"""q_sample mixes with alphas_cumprod[t] and 1 - alphas_cumprod[t] instead of their square roots."""
CAUGHT_BY = "test_q_sample_matches_add_noise"
MESSAGE_MENTIONS = "sqrt(alphas_cumprod[t])"
MESSAGE_MENTIONS_KO = "sqrt(alphas_cumprod[t])"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def q_sample(x0, t, noise, alphas_cumprod):
    alpha_bar = alphas_cumprod[t].view(-1, *([1] * (x0.dim() - 1)))
    return alpha_bar * x0 + (1.0 - alpha_bar) * noise
