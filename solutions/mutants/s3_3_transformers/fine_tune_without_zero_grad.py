"""Leaves optimizer.zero_grad() out of fine_tune's loop: every backward adds to the gradients of all earlier
steps, so each update uses their running sum (the easy sentences are still learnt, so accuracy hides it)."""
# "Why do we need to call zero_grad() in PyTorch?" gradients accumulate by default:
# https://pytorch.org/tutorials/recipes/recipes/zeroing_out_gradients.html
CAUGHT_BY = "test_fine_tune_takes_each_step_as_asked"
MESSAGE_MENTIONS = "zero_grad() is missing"
MESSAGE_MENTIONS_KO = "optimizer.zero_grad()가 빠졌거나"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def fine_tune(model, tokenizer, texts, labels, steps=60, lr=1e-3, batch_size=16, seed=0):
    generator = torch.Generator().manual_seed(seed)
    labels = torch.as_tensor(labels)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        index = torch.randint(0, len(texts), (batch_size,), generator=generator)
        batch = tokenizer([texts[i] for i in index], padding=True, return_tensors="pt").to(model.device)
        loss = model(**batch, labels=labels[index].to(model.device)).loss
        loss.backward()
        optimizer.step()
    return model.eval()
