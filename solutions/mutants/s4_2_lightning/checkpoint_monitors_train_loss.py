"""Monitors the training loss instead of the validation loss for the best checkpoint."""
CAUGHT_BY = "test_best_checkpoint_has_lowest_val_loss"
MESSAGE_MENTIONS = "checkpoint callback monitors"
MESSAGE_MENTIONS_KO = "체크포인트 콜백이 지켜보는 값이 'val_loss'가 아니라"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
import lightning as L  # noqa: E402
from lightning.pytorch.callbacks import ModelCheckpoint  # noqa: E402
from lightning.pytorch.loggers import CSVLogger  # noqa: E402


def make_trainer(log_dir, max_epochs, accelerator="cpu"):
    return L.Trainer(accelerator=accelerator, devices=1, max_epochs=max_epochs, default_root_dir=log_dir,
                     logger=CSVLogger(save_dir=log_dir, name="digits"),
                     callbacks=[ModelCheckpoint(monitor="train_loss", mode="min", save_top_k=1)],
                     enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0)
