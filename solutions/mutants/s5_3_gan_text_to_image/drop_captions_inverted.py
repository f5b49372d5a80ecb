"""drop_captions keeps each caption with probability p instead of dropping it with probability p."""
CAUGHT_BY = "test_drop_captions_rate"
MESSAGE_MENTIONS = "blanked"
MESSAGE_MENTIONS_KO = "비운 비율"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def drop_captions(token_ids, p, generator):
    keep = torch.rand(token_ids.shape[0], generator=generator) < p
    return torch.where(keep.unsqueeze(1), token_ids, tokenize([""]))
