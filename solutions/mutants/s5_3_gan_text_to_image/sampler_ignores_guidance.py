"""The sampler steps with the conditional prediction alone, never combining it with the unconditional one."""
CAUGHT_BY = "test_sampler_matches_a_ddim_reference"
MESSAGE_MENTIONS = "sample with guidance"
MESSAGE_MENTIONS_KO = "작은 UNet에서 가이던스"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def sample(unet, text_states, empty_states, scheduler, noise, guidance_scale, num_inference_steps):
    scheduler.set_timesteps(num_inference_steps)
    x = noise
    for t in scheduler.timesteps:
        x = scheduler.step(unet(x, t, encoder_hidden_states=text_states).sample, t, x).prev_sample
    return x.clamp(-1, 1)
