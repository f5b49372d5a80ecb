"""Returns the mean cross-entropy, not its exp."""
CAUGHT_BY = "test_char_perplexity_is_exp_mean_cross_entropy"
MESSAGE_MENTIONS = "without its exp"
MESSAGE_MENTIONS_KO = "exp를 취하지 않은"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def char_perplexity(model, ids):
    with torch.no_grad():
        logits = model(ids[:-1].unsqueeze(0))[0]
        return F.cross_entropy(logits, ids[1:]).item()
