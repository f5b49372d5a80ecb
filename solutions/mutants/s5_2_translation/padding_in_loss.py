"""The loss counts the <pad> positions of tgt_out (no ignore_index): the model is trained to predict padding."""
CAUGHT_BY = "test_loss_ignores_padding_with_label_smoothing"
MESSAGE_MENTIONS = "ignore_index=0"
MESSAGE_MENTIONS_KO = "ignore_index=0"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def sequence_loss(model, batch, label_smoothing=0.1):
    logits = model(batch["src"], batch["tgt_in"])
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["tgt_out"].reshape(-1),
                           label_smoothing=label_smoothing)
