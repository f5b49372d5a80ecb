"""drop_captions blanks exactly round(p * n) captions of every batch, chosen by a permutation drawn from the
generator: the rate is p on average, but the rows are not dropped independently (a batch never has more or fewer)."""
CAUGHT_BY = "test_drop_captions_rate"
MESSAGE_MENTIONS = "independently"
MESSAGE_MENTIONS_KO = "독립적으로"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


def drop_captions(token_ids, p, generator):
    n = token_ids.shape[0]
    chosen = torch.randperm(n, generator=generator)[:round(p * n)]
    result = token_ids.clone()
    result[chosen.to(token_ids.device)] = tokenize([""])[0].to(token_ids.device)
    return result
