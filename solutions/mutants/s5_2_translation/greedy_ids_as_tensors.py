"""Cuts each row of the generated tensor without .tolist(): greedy_decode returns lists of 0-d tensors where its
signature promises lists of Python ints."""
CAUGHT_BY = "test_greedy_decode_picks_argmax"
MESSAGE_MENTIONS = "the ids were taken from a tensor without .tolist()"
MESSAGE_MENTIONS_KO = ".tolist()(또는 int()) 없이 텐서에서 id를"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def greedy_decode(model, src, max_len=24):
    memory = model.encode(src)
    tokens = torch.full((src.shape[0], 1), BOS_ID, dtype=torch.int64, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        next_token = model.decode(tokens, memory, src)[:, -1].argmax(-1)
        next_token = next_token.masked_fill(done, PAD_ID)
        tokens = torch.cat([tokens, next_token[:, None]], dim=1)
        done |= next_token == EOS_ID
        if done.all():
            break
    outputs = []
    for row in tokens[:, 1:]:
        ids = []
        for token in row:
            if token == PAD_ID:
                break
            ids.append(token)
            if token == EOS_ID:
                break
        outputs.append(ids)
    return outputs
