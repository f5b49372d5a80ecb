"""Keeps every epoch's checkpoint (save_top_k=-1): the best one is still known, but the folder fills with a
checkpoint per epoch where save_top_k=1 keeps only the best."""
CAUGHT_BY = "test_best_checkpoint_has_lowest_val_loss"
MESSAGE_MENTIONS = "save_top_k=1 keeps only the best one"
MESSAGE_MENTIONS_KO = "가장 좋은 것 하나만 남깁니다"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
import lightning as L  # noqa: E402
from lightning.pytorch.callbacks import ModelCheckpoint  # noqa: E402
from lightning.pytorch.loggers import CSVLogger  # noqa: E402


def make_trainer(log_dir, max_epochs, accelerator="cpu"):
    return L.Trainer(accelerator=accelerator, devices=1, max_epochs=max_epochs, default_root_dir=log_dir,
                     logger=CSVLogger(save_dir=log_dir, name="digits"),
                     callbacks=[ModelCheckpoint(monitor="val_loss", mode="min", save_top_k=-1)],
                     enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0)
