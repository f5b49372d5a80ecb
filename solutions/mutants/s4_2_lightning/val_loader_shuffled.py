"""Copies train_dataloader for val_dataloader, shuffle=True included: validation order changes every epoch
(Lightning warns about it), so per-sample predictions no longer line up with the labels saved beside them."""
# Lightning's own warning: "Your `val_dataloader`'s sampler has shuffling enabled, it is strongly recommended that
# you turn shuffling off for val/test dataloaders." https://lightning.ai/docs/pytorch/stable/data/datamodule.html
CAUGHT_BY = "test_datamodule_shuffles_train_and_keeps_val_order"
MESSAGE_MENTIONS = "should not shuffle"
MESSAGE_MENTIONS_KO = "섞지 말고"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DataLoader  # noqa: E402
from solutions.s4_2_lightning import DigitsDataModule as _Reference  # noqa: E402


class DigitsDataModule(_Reference):
    def val_dataloader(self):
        return DataLoader(self.val_set, batch_size=self.batch_size, shuffle=True)
