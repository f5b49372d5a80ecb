"""Teacher forcing done wrong: the decoder is fed tgt_out, the very tokens it is asked to predict, so it learns to copy."""
CAUGHT_BY = "test_loss_feeds_shifted_target_to_decoder"
MESSAGE_MENTIONS = "the very tokens it must predict"
MESSAGE_MENTIONS_KO = "예측해야 할 바로 그 토큰"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def sequence_loss(model, batch, label_smoothing=0.1):
    logits = model(batch["src"], batch["tgt_out"])
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["tgt_out"].reshape(-1),
                           ignore_index=PAD_ID, label_smoothing=label_smoothing)
