"""Ignores the label_smoothing argument: plain cross-entropy with one-hot targets."""
CAUGHT_BY = "test_loss_ignores_padding_with_label_smoothing"
MESSAGE_MENTIONS = "without label smoothing"
MESSAGE_MENTIONS_KO = "레이블 스무딩이 없는 손실"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def sequence_loss(model, batch, label_smoothing=0.1):
    logits = model(batch["src"], batch["tgt_in"])
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["tgt_out"].reshape(-1), ignore_index=PAD_ID)
