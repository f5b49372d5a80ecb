"""3.3 written another way: a BPE tokenizer, a pre-norm encoder with a boolean key mask and the
[CLS]-less masked-sum pooling, a decoder with an explicit boolean triu mask, Auto* classes for
loading, a manual epoch-free loop with index permutation, a generation loop with torch.where, and an
encoder-decoder run as encoder then decoder with additive float masks, a sentiment-analysis pipeline
built from loaded objects, one text at a time, and a Trainer on a torch Dataset padded up front (no collator),
at a constant learning rate; top-p the ascending way Hugging Face writes it, Gumbel-max draws, and generate
given a GenerationConfig."""
import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from torch import nn
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
    GPT2Config,
    GPT2LMHeadModel,
    PreTrainedTokenizerFast,
)

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size, d_model, nhead, num_layers, num_classes, max_len=128, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Parameter(torch.randn(max_len, d_model) * 0.02)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.0,
                                                               batch_first=True, norm_first=True)
                                    for _ in range(num_layers))
        self.out = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, num_classes))

    def forward(self, tokens):
        ignore = tokens.eq(self.pad_id)
        h = self.embed(tokens) + self.pos[: tokens.size(1)]
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=ignore)
        h = h.masked_fill(ignore[..., None], 0.0)
        return self.out(h.sum(1) / (~ignore).sum(1, keepdim=True))


class DecoderLM(nn.Module):
    def __init__(self, vocab_size, d_model, nhead, num_layers, max_len=128):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.stack = nn.ModuleList(nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, batch_first=True)
                                   for _ in range(num_layers))
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, tokens):
        t = tokens.size(1)
        future = torch.ones(t, t, dtype=torch.bool, device=tokens.device).triu(1)  # True = ignore
        h = self.embed(tokens) + self.pos.weight[:t]
        for layer in self.stack:
            h = layer(h, src_mask=future)
        return self.head(h)


def train_tokenizer(texts, vocab_size=200):
    tok = Tokenizer(models.BPE(unk_token="[UNK]"))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace()])
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS))
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $0 [SEP]",
                                                       special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    wrapped = PreTrainedTokenizerFast(tokenizer_object=tok)
    wrapped.add_special_tokens({"pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]",
                                "sep_token": "[SEP]", "mask_token": "[MASK]"})
    return wrapped


def bert_classifier(tokenizer, num_labels=2):
    return BertForSequenceClassification(BertConfig(
        vocab_size=len(tokenizer), hidden_size=48, num_hidden_layers=1, num_attention_heads=4, intermediate_size=96,
        max_position_embeddings=32, pad_token_id=tokenizer.pad_token_id, num_labels=num_labels))


def gpt2_lm(tokenizer):
    return GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_embd=24, n_layer=1, n_head=3, n_positions=32,
                                      pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.cls_token_id,
                                      eos_token_id=tokenizer.sep_token_id))


def save_and_reload(model, tokenizer, directory):
    tokenizer.save_pretrained(directory)
    model.save_pretrained(directory)
    return AutoModelForSequenceClassification.from_pretrained(directory), AutoTokenizer.from_pretrained(directory)


def fine_tune(model, tokenizer, texts, labels, steps=100, lr=1e-3, batch_size=16, seed=0):
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    order = torch.randperm(len(texts), generator=generator)
    position = 0
    model.train()
    for _ in range(steps):
        if position + batch_size > len(order):
            order, position = torch.randperm(len(texts), generator=generator), 0
        index = order[position:position + batch_size].tolist()
        position += batch_size
        encoded = tokenizer([texts[i] for i in index], padding="longest", return_tensors="pt")
        outputs = model(input_ids=encoded["input_ids"].to(model.device),
                        attention_mask=encoded["attention_mask"].to(model.device))
        target = torch.tensor([labels[i] for i in index], device=model.device)
        loss = nn.functional.cross_entropy(outputs.logits, target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    model.eval()
    return model


def load_pretrained_classifier(path, num_labels=2):
    return AutoModelForSequenceClassification.from_pretrained(path, num_labels=num_labels, dtype=torch.float32)


def greedy_generate(model, input_ids, max_new_tokens):
    was_training = model.training
    model.eval()
    out = torch.empty(input_ids.size(0), input_ids.size(1) + max_new_tokens, dtype=input_ids.dtype,
                      device=input_ids.device)
    out[:, :input_ids.size(1)] = input_ids
    with torch.inference_mode():
        for step in range(max_new_tokens):
            end = input_ids.size(1) + step
            out[:, end] = model(input_ids=out[:, :end]).logits[:, -1, :].argmax(dim=-1)
    model.train(was_training)
    return out


def seq2seq_logits(transformer, embed, head, src, tgt, pad_id=0):
    def additive(ignore):  # float masks everywhere: -inf where attention is forbidden, 0 elsewhere
        return torch.zeros(ignore.shape, device=ignore.device).masked_fill(ignore, float("-inf"))

    src_mask, tgt_padding = additive(src.eq(pad_id)), additive(tgt.eq(pad_id))
    length = tgt.size(1)
    positions = torch.arange(length, device=tgt.device)
    future = additive(positions[None, :] > positions[:, None])
    memory = transformer.encoder(embed(src), src_key_padding_mask=src_mask)
    hidden = transformer.decoder(embed(tgt), memory, tgt_mask=future, tgt_key_padding_mask=tgt_padding,
                                 memory_key_padding_mask=src_mask)
    return head(hidden)


def classify_texts(path, texts):
    from transformers import pipeline

    classify = pipeline(task="sentiment-analysis", model=AutoModelForSequenceClassification.from_pretrained(path),
                        tokenizer=AutoTokenizer.from_pretrained(path), device="cpu")
    return [classify(text)[0] for text in texts]


class _Encoded(torch.utils.data.Dataset):
    """Every text padded up front to the longest one, so that the default collator can stack them."""

    def __init__(self, tokenizer, texts, labels):
        self.encoded = tokenizer(list(texts), padding="longest", return_tensors="pt")
        self.labels = torch.tensor(labels)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return {"input_ids": self.encoded["input_ids"][index], "attention_mask": self.encoded["attention_mask"][index],
                "label": self.labels[index]}  # the default collator renames "label" to "labels"


def trainer_fine_tune(model, tokenizer, texts, labels, output_dir, steps=60, lr=3e-3, batch_size=16, seed=0,
                      logging_steps=5):
    from transformers import Trainer, TrainingArguments

    settings = TrainingArguments(output_dir, max_steps=steps, learning_rate=lr, lr_scheduler_type="constant",
                                 per_device_train_batch_size=batch_size, seed=seed, logging_strategy="steps",
                                 logging_steps=logging_steps, save_strategy="no", report_to=[],
                                 use_cpu=not torch.cuda.is_available(), disable_tqdm=True)
    trainer = Trainer(model, settings, train_dataset=_Encoded(tokenizer, texts, labels))
    trainer.train()
    trainer.save_model(output_dir)
    tokenizer.save_pretrained(output_dir)
    return trainer.model.eval(), list(trainer.state.log_history)


def filter_top_k(logits, k):
    ranked = logits.sort(dim=-1, descending=True).values
    kth = ranked[..., min(k, logits.shape[-1]) - 1].unsqueeze(-1)
    return torch.where(logits >= kth, logits, torch.full_like(logits, float("-inf")))


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    # Hugging Face's way round: sort ascending and drop the tail whose total stays within 1 - p
    ascending = logits.sort(dim=-1).values
    tail = ascending.softmax(dim=-1).cumsum(dim=-1) <= 1 - p
    tail[..., -1] = False  # the most likely token always stays
    smallest = ascending.masked_fill(tail, float("inf")).amin(dim=-1, keepdim=True)
    return torch.where(logits >= smallest, logits, torch.full_like(logits, float("-inf")))


def sample_next_token(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    scores = logits / temperature
    scores = filter_top_k(scores, top_k) if top_k else scores
    scores = filter_top_p(scores, top_p) if top_p < 1 else scores
    # Gumbel-max: the argmax of the scores plus Gumbel noise is a draw from their softmax (-inf stays out)
    uniform = torch.rand(scores.shape, generator=generator, dtype=torch.float64)
    return (scores.double() - (-uniform.log()).log()).argmax(dim=-1)


def sample_generate(model, input_ids, max_new_tokens, temperature=1.0, top_k=0, top_p=1.0, seed=0):
    config = model.generation_config.__class__.from_dict(
        {**model.generation_config.to_dict(), "do_sample": True, "temperature": temperature, "top_k": top_k,
         "top_p": top_p, "max_new_tokens": max_new_tokens})
    model.train(False)
    torch.random.manual_seed(seed)
    with torch.inference_mode():
        return model.generate(input_ids=input_ids, attention_mask=input_ids.new_ones(input_ids.shape),
                              generation_config=config)
