"""Calls the blocks directly: gradients are right but every activation is kept, nothing is recomputed
(each block's forward runs once)."""
CAUGHT_BY = "test_checkpointed_stack_recomputes_blocks_with_same_gradients"
MESSAGE_MENTIONS = "nothing was checkpointed"
MESSAGE_MENTIONS_KO = "아무것도 체크포인트되지 않았습니다"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


class CheckpointedStack(CheckpointedStack):
    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x
