"""Masks the diagonal as well as the future, so position 0 has no key to attend to."""
CAUGHT_BY = "test_decoder_lm_does_not_see_the_future"
MESSAGE_MENTIONS = "diagonal"
MESSAGE_MENTIONS_KO = "대각선까지 가리면"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


class DecoderLM(DecoderLM):
    def forward(self, tokens):
        time = tokens.shape[1]
        x = self.tokens(tokens) + self.positions(torch.arange(time, device=tokens.device))
        mask = torch.ones(time, time, dtype=torch.bool, device=tokens.device).triu()
        return self.lm_head(self.blocks(x, mask=mask))
