"""Classifier-free guidance with the sign flipped: it pushes away from the caption."""
CAUGHT_BY = "test_guidance_formula"
MESSAGE_MENTIONS = "eps_uncond + scale * (eps_cond - eps_uncond)"
MESSAGE_MENTIONS_KO = "eps_uncond + scale * (eps_cond - eps_uncond)"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def guidance(eps_uncond, eps_cond, scale):
    return eps_uncond - scale * (eps_cond - eps_uncond)
