"""Creates the ModelCheckpoint but never passes it to the Trainer's callbacks (the default one monitors nothing)."""
CAUGHT_BY = "test_best_checkpoint_has_lowest_val_loss"
MESSAGE_MENTIONS = "callbacks"
MESSAGE_MENTIONS_KO = "callbacks"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
import lightning as L  # noqa: E402
from lightning.pytorch.callbacks import ModelCheckpoint  # noqa: E402
from lightning.pytorch.loggers import CSVLogger  # noqa: E402


def make_trainer(log_dir, max_epochs, accelerator="cpu"):
    checkpoint = ModelCheckpoint(monitor="val_loss", mode="min", save_top_k=1)  # noqa: F841 - the mistake
    return L.Trainer(accelerator=accelerator, devices=1, max_epochs=max_epochs, default_root_dir=log_dir,
                     logger=CSVLogger(save_dir=log_dir, name="digits"), enable_progress_bar=False,
                     enable_model_summary=False, num_sanity_val_steps=0)
