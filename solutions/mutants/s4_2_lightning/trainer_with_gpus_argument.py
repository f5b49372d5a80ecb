"""Builds the Trainer with Lightning 1.x's `gpus=` argument (as older tutorials do), which Lightning 2 removed:
Trainer(...) raises TypeError before anything trains."""
# Lightning 2.0 removed Trainer(gpus=...) in favour of accelerator= and devices=:
# https://lightning.ai/docs/pytorch/stable/upgrade/from_1_7.html
CAUGHT_BY = "test_trainer_is_quiet_bounded_and_on_cpu"
MESSAGE_MENTIONS = "gpus"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import CSVLogger, L, ModelCheckpoint  # noqa: E402


def make_trainer(log_dir, max_epochs, accelerator="cpu"):
    return L.Trainer(
        gpus=1 if accelerator == "cuda" else 0, max_epochs=max_epochs, default_root_dir=log_dir,
        logger=CSVLogger(save_dir=log_dir, name="digits"),
        callbacks=[ModelCheckpoint(monitor="val_loss", mode="min", save_top_k=1)],
        enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0,
    )
