"""Monitors val_loss with mode="max": the checkpoint kept is the epoch with the worst loss."""
CAUGHT_BY = "test_best_checkpoint_has_lowest_val_loss"
MESSAGE_MENTIONS = "mode='min'"
MESSAGE_MENTIONS_KO = "mode='min'"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
import lightning as L  # noqa: E402
from lightning.pytorch.callbacks import ModelCheckpoint  # noqa: E402
from lightning.pytorch.loggers import CSVLogger  # noqa: E402


def make_trainer(log_dir, max_epochs, accelerator="cpu"):
    return L.Trainer(accelerator=accelerator, devices=1, max_epochs=max_epochs, default_root_dir=log_dir,
                     logger=CSVLogger(save_dir=log_dir, name="digits"),
                     callbacks=[ModelCheckpoint(monitor="val_loss", mode="max", save_top_k=1)],
                     enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0)
