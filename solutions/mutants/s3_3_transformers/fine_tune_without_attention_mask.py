"""Fine-tunes on input_ids alone: the attention mask is left out, so every token attends to the padding."""
CAUGHT_BY = "test_fine_tune_takes_each_step_as_asked"
MESSAGE_MENTIONS = "attention_mask"
MESSAGE_MENTIONS_KO = "attention_mask"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def fine_tune(model, tokenizer, texts, labels, steps=60, lr=1e-3, batch_size=16, seed=0):
    generator = torch.Generator().manual_seed(seed)
    labels = torch.as_tensor(labels)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        index = torch.randint(0, len(texts), (batch_size,), generator=generator)
        batch = tokenizer([texts[i] for i in index], padding=True, return_tensors="pt").to(model.device)
        loss = model(input_ids=batch["input_ids"], labels=labels[index].to(model.device)).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()
