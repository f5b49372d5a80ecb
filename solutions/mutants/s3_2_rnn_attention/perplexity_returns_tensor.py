"""Returns the perplexity as a 0-d tensor (torch.exp of the loss), not a Python float."""
CAUGHT_BY = "test_char_perplexity_is_exp_mean_cross_entropy"
MESSAGE_MENTIONS = "Python float"
MESSAGE_MENTIONS_KO = "Python float"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def char_perplexity(model, ids):
    with torch.no_grad():
        logits = model(ids[:-1].unsqueeze(0))[0]
        return torch.exp(F.cross_entropy(logits, ids[1:]))
