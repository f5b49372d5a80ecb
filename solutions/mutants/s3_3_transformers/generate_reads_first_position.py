"""Takes the argmax at the first position's logits instead of the last one's."""
CAUGHT_BY = "test_greedy_generation_matches_generate"
MESSAGE_MENTIONS = "last position"
MESSAGE_MENTIONS_KO = "마지막 위치에서"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def greedy_generate(model, input_ids, max_new_tokens):
    model.eval()
    ids = input_ids
    for _ in range(max_new_tokens):
        ids = torch.cat([ids, model(input_ids=ids).logits[:, 0].argmax(-1, keepdim=True)], dim=1)
    return ids
