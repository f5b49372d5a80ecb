"""Returns the training DataLoader without shuffle=True, so every epoch sees the digits in the same order."""
# The DataModule guide's train_dataloader shuffles, its val_dataloader does not:
# https://lightning.ai/docs/pytorch/stable/data/datamodule.html
CAUGHT_BY = "test_datamodule_shuffles_train_and_keeps_val_order"
MESSAGE_MENTIONS = "does not shuffle"
MESSAGE_MENTIONS_KO = "데이터를 섞지 않습니다"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DataLoader  # noqa: E402
from solutions.s4_2_lightning import DigitsDataModule as _Reference  # noqa: E402


class DigitsDataModule(_Reference):
    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=self.batch_size)
