"""Reference solution for exercises/s3_3_transformers.py."""
import torch
from torch import nn
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from transformers import (AutoModelForSequenceClassification, BertConfig, BertForSequenceClassification,
                          DataCollatorWithPadding, GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast, Trainer,
                          TrainingArguments, pipeline)

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size, d_model, nhead, num_layers, num_classes, max_len=128, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tokens = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.positions = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, num_classes)

    def forward(self, tokens):
        padding = tokens == self.pad_id  # True = ignore, nn.Transformer's convention
        x = self.tokens(tokens) + self.positions(torch.arange(tokens.shape[1], device=tokens.device))
        x = self.encoder(x, src_key_padding_mask=padding)
        keep = (~padding).unsqueeze(-1).to(x.dtype)
        return self.head((x * keep).sum(1) / keep.sum(1))


class DecoderLM(nn.Module):
    def __init__(self, vocab_size, d_model, nhead, num_layers, max_len=128):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, d_model)
        self.positions = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
        self.blocks = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        time = tokens.shape[1]
        x = self.tokens(tokens) + self.positions(torch.arange(time, device=tokens.device))
        mask = nn.Transformer.generate_square_subsequent_mask(time, device=tokens.device)
        return self.lm_head(self.blocks(x, mask=mask, is_causal=True))


def train_tokenizer(texts, vocab_size=200):
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS))
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="[PAD]", unk_token="[UNK]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")


def bert_classifier(tokenizer, num_labels=2):
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64, pad_token_id=tokenizer.pad_token_id,
                        num_labels=num_labels)
    return BertForSequenceClassification(config)


def gpt2_lm(tokenizer):
    config = GPT2Config(vocab_size=len(tokenizer), n_embd=32, n_layer=2, n_head=2, n_positions=64,
                        bos_token_id=tokenizer.cls_token_id, eos_token_id=tokenizer.sep_token_id,
                        pad_token_id=tokenizer.pad_token_id)
    return GPT2LMHeadModel(config)


def save_and_reload(model, tokenizer, directory):
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return type(model).from_pretrained(directory), PreTrainedTokenizerFast.from_pretrained(directory)


def fine_tune(model, tokenizer, texts, labels, steps=60, lr=1e-3, batch_size=16, seed=0):
    generator = torch.Generator().manual_seed(seed)
    labels = torch.as_tensor(labels)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        index = torch.randint(0, len(texts), (batch_size,), generator=generator)
        batch = tokenizer([texts[i] for i in index], padding=True, return_tensors="pt").to(model.device)
        loss = model(**batch, labels=labels[index].to(model.device)).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


def load_pretrained_classifier(path, num_labels=2):
    return AutoModelForSequenceClassification.from_pretrained(path, num_labels=num_labels)


@torch.no_grad()
def greedy_generate(model, input_ids, max_new_tokens):
    model.eval()
    ids = input_ids
    for _ in range(max_new_tokens):
        next_id = model(input_ids=ids).logits[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, next_id], dim=1)
    return ids


def seq2seq_logits(transformer, embed, head, src, tgt, pad_id=0):
    src_padding, tgt_padding = src == pad_id, tgt == pad_id  # True = ignore
    # -inf above the diagonal; as booleans (True = ignore) like the padding masks: nn.Transformer wants one type
    causal = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1], device=tgt.device) < 0
    out = transformer(embed(src), embed(tgt), tgt_mask=causal, tgt_is_causal=True,
                      src_key_padding_mask=src_padding, tgt_key_padding_mask=tgt_padding,
                      memory_key_padding_mask=src_padding)  # the decoder's cross-attention must skip padding too
    return head(out)


def classify_texts(path, texts):
    classifier = pipeline("text-classification", model=path, tokenizer=path)
    return classifier(list(texts))


def trainer_fine_tune(model, tokenizer, texts, labels, output_dir, steps=60, lr=3e-3, batch_size=16, seed=0,
                      logging_steps=5):
    # one dict per example, unpadded: the collator pads each batch to its longest text
    dataset = [dict(tokenizer(text), labels=label) for text, label in zip(texts, labels)]
    args = TrainingArguments(output_dir=output_dir, max_steps=steps, learning_rate=lr,
                             per_device_train_batch_size=batch_size, seed=seed, logging_steps=logging_steps,
                             save_strategy="no", report_to="none", use_cpu=not torch.cuda.is_available())
    trainer = Trainer(model=model, args=args, train_dataset=dataset, data_collator=DataCollatorWithPadding(tokenizer),
                      processing_class=tokenizer)
    trainer.train()
    trainer.save_model()  # into args.output_dir, with the tokenizer
    return model.eval(), trainer.state.log_history


def filter_top_k(logits, k):
    kth = logits.topk(min(k, logits.size(-1)), dim=-1).values[..., -1:]  # each row's k-th largest value
    return logits.masked_fill(logits < kth, float("-inf"))


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    ordered = logits.sort(dim=-1, descending=True).values
    probabilities = ordered.softmax(dim=-1)
    before = probabilities.cumsum(dim=-1) - probabilities  # the mass of the tokens ahead of each one
    kept = (before < p).sum(dim=-1, keepdim=True).clamp(min=1)  # the crossing token included, at least one
    smallest = ordered.gather(-1, kept - 1)
    return logits.masked_fill(logits < smallest, float("-inf"))


def sample_next_token(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    scores = logits / temperature
    if top_k > 0:
        scores = filter_top_k(scores, top_k)
    if top_p < 1.0:
        scores = filter_top_p(scores, top_p)
    return torch.multinomial(scores.softmax(dim=-1), 1, generator=generator).squeeze(-1)


def sample_generate(model, input_ids, max_new_tokens, temperature=1.0, top_k=0, top_p=1.0, seed=0):
    model.eval()
    torch.manual_seed(seed)
    with torch.no_grad():
        return model.generate(input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=max_new_tokens,
                              do_sample=True, temperature=temperature, top_k=top_k, top_p=top_p)
