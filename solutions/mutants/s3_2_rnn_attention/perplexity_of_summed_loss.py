"""Takes exp of the summed cross-entropy instead of its mean."""
CAUGHT_BY = "test_char_perplexity_is_exp_mean_cross_entropy"
MESSAGE_MENTIONS = "summed"
MESSAGE_MENTIONS_KO = "합한 교차 엔트로피의 exp"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import math  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def char_perplexity(model, ids):
    with torch.no_grad():
        logits = model(ids[:-1].unsqueeze(0))[0]
        return math.exp(min(F.cross_entropy(logits, ids[1:], reduction="sum").item(), 700.0))
