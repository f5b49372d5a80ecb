"""encode_to_latents encodes with autograd on (no torch.no_grad()): its latents carry a graph back into the frozen VAE.
latent_diffusion_loss detaches what it gets, so the loss alone does not show it."""
CAUGHT_BY = "test_encode_to_latents_scales_the_posterior"
MESSAGE_MENTIONS = "latents that require grad"
MESSAGE_MENTIONS_KO = "requires_grad인 잠재 표현"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def encode_to_latents(vae, images, generator=None):
    posterior = vae.encode(images).latent_dist
    latents = posterior.mode() if generator is None else posterior.sample(generator)
    return latents * vae.config.scaling_factor


def latent_diffusion_loss(unet, vae, x0, text_states, t, noise, alphas_cumprod):
    latents = encode_to_latents(vae, x0).detach()
    noisy = q_sample(latents, t, noise, alphas_cumprod)
    return F.mse_loss(unet(noisy, t, encoder_hidden_states=text_states).sample, noise)
