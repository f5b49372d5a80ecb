"""Returns the trained model as it trained, in training mode (return model, not model.eval()): its dropout stays on
for whoever translates with it next."""
CAUGHT_BY = "test_translator_learns_numbers"
MESSAGE_MENTIONS = "returned the model in training mode"
MESSAGE_MENTIONS_KO = "모델을 학습 모드로 반환했습니다"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def train_translator(pairs, src_vocab, tgt_vocab, steps=300, batch_size=64, lr=1e-3, seed=0):
    torch.manual_seed(seed)
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
    return model
