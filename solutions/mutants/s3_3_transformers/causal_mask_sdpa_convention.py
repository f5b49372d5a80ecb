"""Passes a boolean tril 'attend' mask to nn.TransformerEncoder, which reads True as 'ignore'."""
CAUGHT_BY = "test_decoder_lm_does_not_see_the_future"
MESSAGE_MENTIONS = "inverted"
MESSAGE_MENTIONS_KO = "여기서는 반대 뜻이 됩니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


class DecoderLM(DecoderLM):
    def forward(self, tokens):
        time = tokens.shape[1]
        x = self.tokens(tokens) + self.positions(torch.arange(time, device=tokens.device))
        mask = torch.ones(time, time, dtype=torch.bool, device=tokens.device).tril()
        return self.lm_head(self.blocks(x, mask=mask))
