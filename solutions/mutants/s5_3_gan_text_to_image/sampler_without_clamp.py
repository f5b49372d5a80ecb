"""sample returns the last x as the scheduler leaves it, not clamped to [-1, 1]: with the default DDIMScheduler
(clip_sample=True) that is already in range, with one that does not clip its samples it is not."""
CAUGHT_BY = "test_sampler_matches_a_ddim_reference"
MESSAGE_MENTIONS = "not clamped to [-1, 1]"
MESSAGE_MENTIONS_KO = "[-1, 1]로 자르지 않았습니다"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def sample(unet, text_states, empty_states, scheduler, noise, guidance_scale, num_inference_steps):
    scheduler.set_timesteps(num_inference_steps)
    x = noise * scheduler.init_noise_sigma
    states = torch.cat([empty_states, text_states])
    for t in scheduler.timesteps:
        eps_uncond, eps_cond = unet(torch.cat([x, x]), t, encoder_hidden_states=states).sample.chunk(2)
        x = scheduler.step(guidance(eps_uncond, eps_cond, guidance_scale), t, x).prev_sample
    return x
