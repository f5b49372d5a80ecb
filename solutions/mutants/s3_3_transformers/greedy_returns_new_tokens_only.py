"""Returns only the generated tokens, without the prompt in front of them."""
CAUGHT_BY = "test_greedy_generation_matches_generate"
MESSAGE_MENTIONS = "only the new tokens"
MESSAGE_MENTIONS_KO = "새 토큰만 반환했습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


@torch.no_grad()
def greedy_generate(model, input_ids, max_new_tokens):
    model.eval()
    ids = input_ids
    for _ in range(max_new_tokens):
        next_id = model(input_ids=ids).logits[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, next_id], dim=1)
    return ids[:, input_ids.shape[1]:]
