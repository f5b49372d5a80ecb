"""Returns the concatenated heads without the output projection out_proj."""
CAUGHT_BY = "test_multi_head_attention_matches_nn_multihead_attention"
MESSAGE_MENTIONS = "output projection out_proj is missing"
MESSAGE_MENTIONS_KO = "출력 투영 out_proj가 빠졌습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def multi_head_attention(x, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
                         key_padding_mask=None, causal=False):
    batch, time, embed = x.shape
    head_dim = embed // num_heads
    q, k, v = F.linear(x, in_proj_weight, in_proj_bias).chunk(3, dim=-1)
    q, k, v = (t.view(batch, time, num_heads, head_dim).transpose(1, 2) for t in (q, k, v))
    mask = torch.ones(batch, 1, time, time, dtype=torch.bool, device=x.device)
    if key_padding_mask is not None:
        mask = mask & ~key_padding_mask[:, None, None, :]
    if causal:
        mask = mask & causal_mask(time, x.device)
    out, _ = scaled_dot_product_attention(q, k, v, mask)
    return out.transpose(1, 2).reshape(batch, time, embed)
