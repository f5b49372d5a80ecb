"""Leaves use_reentrant out: the reentrant checkpoint runs, and with a batch of data (no requires_grad)
as input no gradient reaches the blocks' parameters."""
CAUGHT_BY = "test_checkpointed_stack_recomputes_blocks_with_same_gradients"
MESSAGE_MENTIONS = "use_reentrant"
MESSAGE_MENTIONS_KO = "use_reentrant"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


class CheckpointedStack(CheckpointedStack):
    def forward(self, x):
        for block in self.blocks:
            x = checkpoint(block, x)
        return x
