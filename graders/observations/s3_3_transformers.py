"""3.3 Transformers: what the student's process observes.

Beside the student's code it reports what its objects are (class names along the MRO, a model's device, a Hugging
Face model's config and state_dict, a tokenizer's JSON, roles and length), runs its models and tokenizers on inputs
the judge sends (under torch.no_grad(), in eval mode, with the token embeddings replaced by the judge's tensor), builds
the grader's own small models beside it (a seeded GPT-2 for greedy_generate, seeded nn.Transformer parts for
seq2seq_logits, the judge's tokenizer from its JSON, the small BERT the judge saved for trainer_fine_tune) and runs
the student's functions on them. It returns what it saw; the checks in graders/test_s3_3_transformers.py compute the
expected answers themselves.
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in this item may reach the Hugging Face hub
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from torch import nn  # noqa: E402
from transformers import (  # noqa: E402
    BertConfig,
    BertForSequenceClassification,
    GPT2Config,
    GPT2LMHeadModel,
    PreTrainedTokenizerFast,
)

from graders.support import pristine  # noqa: E402
from ptgrade.protocol.observation import observation  # noqa: E402

# the special-token roles of a PreTrainedTokenizerFast, and the tokens they name
ROLES = {"pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]"}
S2S_VOCAB, S2S_PAD = 13, 0  # the grader's seq2seq parts: vocabulary size and <pad> id


@observation
def class_names(impl, value) -> list:
    """`module.qualname` of each class along the MRO of an object in the student's process."""
    return [f"{c.__module__}.{c.__qualname__}" for c in type(value).__mro__]


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
def padding_masks_given(impl, model, tokens) -> list:
    """model(tokens) under torch.no_grad(), recording the src_key_padding_mask each nn.TransformerEncoder of the model
    was called with (None when it was called without one), in call order. Only names a mistake the checks found: it
    decides nothing."""
    seen = []

    def record(module, args, kwargs):
        mask = args[2] if len(args) > 2 else kwargs.get("src_key_padding_mask")
        seen.append(None if mask is None else mask.detach().clone())

    encoders = [m for m in model.modules() if isinstance(m, nn.TransformerEncoder)]
    handles = [m.register_forward_pre_hook(record, with_kwargs=True) for m in encoders]
    try:
        with torch.no_grad():
            model(tokens)
    finally:
        for handle in handles:
            handle.remove()
    return seen


@observation
def eval_logits(impl, model, tokenizer, texts):
    """The model's logits for `texts` (padded batch from the tokenizer, on model.device), in eval mode."""
    model.eval()
    batch = tokenizer(texts, padding=True, return_tensors="pt").to(model.device)
    with torch.no_grad():
        return model(**batch).logits.cpu()


@observation
def training_flag(impl, model):
    """model.training (None when `model` is not a module): what the student's process says, which can only name a
    mistake."""
    return model.training if isinstance(model, nn.Module) else None


@observation
def model_facts(impl, model) -> dict:
    """A Hugging Face model as data: its config (config.to_dict()) and its state_dict."""
    return {"config": model.config.to_dict(),
            "state": {str(key): value.detach().cpu().clone() for key, value in model.state_dict().items()}}


@observation
def tokenizer_from_json(impl, text):
    """The judge's tokenizer rebuilt in the student's process from its JSON (training one again would not give the
    same ids: the `tokenizers` trainer breaks ties differently from run to run)."""
    return PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(text), **ROLES)


@observation
def logits_from_embeddings(impl, model, tokens, vocab_size, embedded) -> dict:
    """The model in float64 run on `tokens` with the output of its first nn.Embedding(vocab_size, ...) replaced by
    `embedded` (the judge's tensor: gradients flow back to it across the boundary); how many such embeddings it
    holds, and its logits."""
    embeddings = [m for m in model.modules() if isinstance(m, nn.Embedding) and m.num_embeddings == vocab_size]
    if not embeddings:
        return {"embeddings": 0}
    model.double()
    handle = embeddings[0].register_forward_hook(lambda module, args, out: embedded)
    try:
        logits = model(tokens)
    finally:
        handle.remove()
    return {"embeddings": len(embeddings), "logits": logits}


@observation
def tokenizer_facts(impl, tokenizer) -> dict:
    """The tokenizer as data: its `tokenizers` JSON (backend_tokenizer.to_str()), its special-token roles, its length."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    return {"json": backend.to_str() if backend is not None else None,
            "roles": {role: getattr(tokenizer, role, None) for role in ROLES}, "length": len(tokenizer)}


def _generator_model(seed):
    """The grader's small GPT-2 (dropout 0.5), the same in the judge and in the student's process."""
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=60, n_embd=32, n_layer=2, n_head=2, n_positions=64, resid_pdrop=0.5,
                        embd_pdrop=0.5, attn_pdrop=0.5, bos_token_id=2, eos_token_id=3, pad_token_id=0)
    model = GPT2LMHeadModel(config)
    model.generation_config.eos_token_id = None  # generate exactly max_new_tokens, like the exercise
    return model


@observation
def greedy_generate_from_train_mode(impl, seed, prompt, max_new_tokens, device="cpu", watch=False):
    """The student's greedy_generate on the grader's GPT-2 (_generator_model(seed) on `device`), handed over
    in train mode, as a model is left after training: greedy_generate must switch to eval itself. With `watch`,
    {"ids": what it returned, "grad_enabled": whether autograd was on at each of the model's forwards} (what the
    student's process says: it can only name a mistake)."""
    model = _generator_model(seed).to(device)
    model.train()
    seen = []
    model.register_forward_pre_hook(lambda module, args: seen.append(pristine.grad_enabled()))
    ids = impl.greedy_generate(model, prompt, max_new_tokens)
    return {"ids": ids, "grad_enabled": seen} if watch else ids


def _seq2seq_parts(seed):
    """The grader's seq2seq parts, identical in the judge and in the student's process: seeded, dropout 0, eval mode."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        transformer = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=2, num_decoder_layers=2,
                                     dim_feedforward=32, dropout=0.0, batch_first=True)
        embed = nn.Embedding(S2S_VOCAB, 16, padding_idx=S2S_PAD)
        head = nn.Linear(16, S2S_VOCAB)
    return transformer.eval(), embed.eval(), head.eval()


@observation
def seq2seq_outputs(impl, seed, pairs):
    """seq2seq_logits(transformer, embed, head, src, tgt, S2S_PAD) with the grader's parts (_seq2seq_parts(seed)) for
    each (src, tgt) in pairs, in the student's process: the outputs (detached when they are tensors)."""
    parts = _seq2seq_parts(seed)
    outputs = []
    for src, tgt in pairs:
        out = impl.seq2seq_logits(*parts, src, tgt, S2S_PAD)
        outputs.append(out.detach() if isinstance(out, torch.Tensor) else out)
    return outputs


@observation
def trainer_fine_tune_run(impl, start, texts, labels, output_dir, workdir, steps, lr, seed, logging_steps) -> dict:
    """impl.trainer_fine_tune on the small BERT and tokenizer the grader saved in `start` (loaded here), run from the
    empty current directory `workdir`: the type of what it returned and, when that is (model, log_history), the
    losses logged, and the returned model and the tokenizer (handles: the judge pulls the model's weights)."""
    tokenizer = PreTrainedTokenizerFast.from_pretrained(start)
    model = BertForSequenceClassification.from_pretrained(start)
    os.makedirs(workdir, exist_ok=True)
    here = os.getcwd()
    os.chdir(workdir)
    try:
        result = impl.trainer_fine_tune(model, tokenizer, texts, labels, output_dir, steps=steps, lr=lr, batch_size=16,
                                        seed=seed, logging_steps=logging_steps)
    finally:
        os.chdir(here)
    seen = {"type": type(result).__name__, "length": len(result) if isinstance(result, (tuple, list)) else None}
    if seen["length"] != 2:
        return seen
    trained, history = result
    seen["model"] = type(trained).__name__
    seen["history"] = type(history).__name__
    if isinstance(history, list):
        seen["losses"] = [entry["loss"] for entry in history if isinstance(entry, dict) and "loss" in entry]
        seen["losses"] = [value if isinstance(value, (int, float)) else repr(value) for value in seen["losses"]]
    if isinstance(trained, nn.Module):
        seen["trained"], seen["tokenizer"] = trained, tokenizer
    return seen


def _fine_tune_model(tokenizer, seed):
    """The grader's small BERT for watching fine_tune (seeded, no dropout, so the steps are what the student makes of
    them), in eval mode as from_pretrained returns a model."""
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64, pad_token_id=tokenizer.pad_token_id,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, num_labels=2)
    return BertForSequenceClassification(config).eval()


@observation
def fine_tune_steps(impl, tokenizer, texts, labels, steps, lr, batch_size, seed) -> dict:
    """impl.fine_tune on the grader's small BERT (_fine_tune_model, handed over in eval mode), watched: per call of
    the model, whether it was in training mode, the batch size of its input_ids, whether they hold [PAD] and whether
    the attention_mask given is 0 at every [PAD]; per backward, the gradient the
    backward computed for the classifier's weight and that weight's .grad once it was accumulated; whether fine_tune
    returned that model, and its mode then."""
    model = _fine_tune_model(tokenizer, seed + 1)
    weight = model.classifier.weight
    calls, fresh, accumulated = [], [], []

    def before_forward(module, args, kwargs):
        ids = kwargs.get("input_ids", args[0] if args else None)
        mask = kwargs.get("attention_mask", args[1] if len(args) > 1 else None)
        pads = ids == tokenizer.pad_token_id if isinstance(ids, torch.Tensor) else None
        calls.append({"training": module.training,
                      "batch": int(ids.shape[0]) if isinstance(ids, torch.Tensor) and ids.dim() > 0 else None,
                      # padding in the batch, and whether the attention mask given hides every [PAD]
                      "padded": pads is not None and bool(pads.any()),
                      "masked": pads is not None and isinstance(mask, torch.Tensor) and mask.shape == ids.shape
                      and bool((mask[pads] == 0).all())})

    handles = [model.register_forward_pre_hook(before_forward, with_kwargs=True),
               weight.register_hook(lambda grad: fresh.append(grad.detach().cpu().clone())),
               weight.register_post_accumulate_grad_hook(lambda p: accumulated.append(p.grad.detach().cpu().clone()))]
    try:
        returned = impl.fine_tune(model, tokenizer, texts, labels, steps=steps, lr=lr, batch_size=batch_size, seed=seed)
    finally:
        for handle in handles:
            handle.remove()
    return {"calls": calls, "fresh": fresh, "accumulated": accumulated, "same": returned is model,
            "returned_training": returned.training if isinstance(returned, nn.Module) else None}


def _sampling_model(seed):
    """The grader's small GPT-2 for sampled decoding: _generator_model's shape and dropout, with weights drawn 10x
    wider (initializer_range 0.2) so that its next-token distributions are peaked enough for temperature, top-k and
    top-p to change what is drawn. The same in the judge and in the student's process."""
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=60, n_embd=32, n_layer=2, n_head=2, n_positions=64, resid_pdrop=0.5,
                        embd_pdrop=0.5, attn_pdrop=0.5, bos_token_id=2, eos_token_id=3, pad_token_id=0,
                        initializer_range=0.2)
    model = GPT2LMHeadModel(config)
    model.generation_config.eos_token_id = None  # generate exactly max_new_tokens
    return model


@observation
def sample_generate_from_train_mode(impl, seed, prompt, max_new_tokens, temperature, top_k, top_p, sample_seed):
    """The student's sample_generate on the grader's _sampling_model(seed), handed over in train mode."""
    model = _sampling_model(seed)
    model.train()
    return impl.sample_generate(model, prompt, max_new_tokens, temperature=temperature, top_k=top_k, top_p=top_p,
                                seed=sample_seed)


@observation
def next_token_draws(impl, logits, temperature, top_k, top_p, seeds) -> list:
    """sample_next_token(logits, temperature, top_k, top_p, torch.Generator().manual_seed(seed)) for each of `seeds`."""
    return [impl.sample_next_token(logits, temperature=temperature, top_k=top_k, top_p=top_p,
                                   generator=torch.Generator().manual_seed(seed)) for seed in seeds]


@observation
def filter_seen(impl, name, logits, argument) -> dict:
    """impl.<name>(logits, argument) on the judge's logits: what it returned, the logits as the call left them, and the
    logits once the returned tensor has been overwritten with zeros (they change only if it shares their memory)."""
    result = getattr(impl, name)(logits, argument)
    seen = {"result": result.clone() if type(result) is torch.Tensor else result, "logits_after": logits.clone()}
    if type(result) is torch.Tensor and not result.requires_grad:
        result.zero_()
    seen["logits_after_zeroing"] = logits.clone()
    return seen
