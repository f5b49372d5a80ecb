"""Never calls torch.manual_seed(seed): the model's initial weights and its dropout come from whatever the global
random state was, so the same seed gives another model on every call."""
CAUGHT_BY = "test_translator_steps_from_cleared_gradients"
MESSAGE_MENTIONS = "did not come from torch.manual_seed(seed)"
MESSAGE_MENTIONS_KO = "torch.manual_seed(seed)에서 나오지 않았습니다"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def train_translator(pairs, src_vocab, tgt_vocab, steps=300, batch_size=64, lr=1e-3, seed=0):
    model = Seq2SeqTransformer(len(src_vocab), len(tgt_vocab))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    encoded = encode_pairs(pairs, src_vocab, tgt_vocab)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    step, order = 0, []
    while step < steps:
        if len(order) < batch_size:
            order += torch.randperm(len(encoded), generator=generator).tolist()
        batch = collate([encoded[i] for i in order[:batch_size]])
        del order[:batch_size]
        loss = sequence_loss(model, batch)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
    return model.eval()
