"""Never calls model.train() in fine_tune: a model loaded with from_pretrained comes in eval mode, so it is
fine-tuned with dropout off (the tutorial's loop starts with model.train())."""
# from_pretrained returns the model in eval mode; the fine-tuning tutorial calls model.train() first:
# https://huggingface.co/docs/transformers/training#train-in-native-pytorch
CAUGHT_BY = "test_fine_tune_takes_each_step_as_asked"
MESSAGE_MENTIONS = "model.train()"
MESSAGE_MENTIONS_KO = "model.train()"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def fine_tune(model, tokenizer, texts, labels, steps=60, lr=1e-3, batch_size=16, seed=0):
    generator = torch.Generator().manual_seed(seed)
    labels = torch.as_tensor(labels)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    for _ in range(steps):
        index = torch.randint(0, len(texts), (batch_size,), generator=generator)
        batch = tokenizer([texts[i] for i in index], padding=True, return_tensors="pt").to(model.device)
        loss = model(**batch, labels=labels[index].to(model.device)).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()
