"""Uses key_padding_mask (True = padding) directly as an attend-mask, without inverting the convention."""
CAUGHT_BY = "test_multi_head_attention_ignores_padded_and_future_tokens"
MESSAGE_MENTIONS = "convention"
MESSAGE_MENTIONS_KO = "마스크 규약에 주의하세요"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402


def multi_head_attention(x, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
                         key_padding_mask=None, causal=False):
    batch, time, embed = x.shape
    head_dim = embed // num_heads
    q, k, v = F.linear(x, in_proj_weight, in_proj_bias).chunk(3, dim=-1)
    q, k, v = (t.view(batch, time, num_heads, head_dim).transpose(1, 2) for t in (q, k, v))
    mask = torch.ones(batch, 1, time, time, dtype=torch.bool)
    if key_padding_mask is not None:
        mask = mask & key_padding_mask[:, None, None, :]
    if causal:
        mask = mask & causal_mask(time)
    out, _ = scaled_dot_product_attention(q, k, v, mask)
    out = out.transpose(1, 2).reshape(batch, time, embed)
    return F.linear(out, out_proj_weight, out_proj_bias)
