"""Keeps each step's loss as a tensor (loss.detach(), no .item()): fine_tune_seq2seq returns a list of 0-d tensors
where its docstring promises floats."""
CAUGHT_BY = "test_fine_tune_starts_from_saved_model"
MESSAGE_MENTIONS = "the losses were kept as tensors"
MESSAGE_MENTIONS_KO = "손실을 텐서로 모았습니다"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference


def fine_tune_seq2seq(model_dir, pairs, out_dir, steps=40, lr=3e-3, batch_size=16):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    os.environ["HF_HUB_OFFLINE"] = "1"
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    losses = []
    for step in range(steps):
        start = step * batch_size % len(pairs)
        chunk = (pairs + pairs)[start:start + batch_size]
        batch = tokenizer([s for s, _ in chunk], text_target=[t for _, t in chunk], padding=True,
                          return_tensors="pt")
        batch["labels"] = batch["labels"].masked_fill(batch["labels"] == tokenizer.pad_token_id, -100)
        loss = model(**batch).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return losses
