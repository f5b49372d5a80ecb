"""Validates in one batch of 256 whatever batch_size says: the docstring's loaders both use batch_size."""
CAUGHT_BY = "test_datamodule_shuffles_train_and_keeps_val_order"
MESSAGE_MENTIONS = "val_dataloader does not use batch_size"
MESSAGE_MENTIONS_KO = "val_dataloader가 batch_size를 쓰지 않습니다"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DataLoader  # noqa: E402
from solutions.s4_2_lightning import DigitsDataModule as _Reference  # noqa: E402


class DigitsDataModule(_Reference):
    def val_dataloader(self):
        return DataLoader(self.val_set, batch_size=256)
