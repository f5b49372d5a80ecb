"""What the student's process observes for 5.2 (Transformer translation): their Seq2SeqTransformer's outputs, their
sequence_loss through a probe that keeps its logits' gradient, their greedy_decode and beam_search on models the
grader defines (fixed random weights, or a table of next-token probabilities), a translator trained by their
train_translator and its translations of sources the judge sends only after training, the optimizer steps of their
training loops (how many, and whether each backward started from cleared gradients), and their train_translator
driving a stand-in model whose one parameter's path the judge computes.

Everything here returns what the student's code did, as data; the judge (graders/test_s5_2_translation.py) computes
what it should have done, with the same models built from the same seeds.
"""
import contextlib
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in this item may reach the Hugging Face hub
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch
from torch import nn
from torch.nn.modules.module import register_module_forward_pre_hook
from torch.optim.optimizer import register_optimizer_step_pre_hook

from graders.support import pristine
from ptgrade.protocol.observation import observation

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3


# -- models this grader defines: the judge builds the same ones from the same seed -------------------------
class RandomSeq2Seq(nn.Module):
    """A small seq2seq model with the contract's encode / decode / forward and fixed random weights: the
    logits at step t depend on the source and on target tokens 0..t only; EOS grows likelier with t."""

    def __init__(self, seed, src_vocab=12, tgt_vocab=10, d=16, eos_slope=0.35):
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.src_embedding = nn.Parameter(torch.randn(src_vocab, d, generator=generator))
        self.tgt_embedding = nn.Parameter(torch.randn(tgt_vocab, d, generator=generator))
        self.positions = nn.Parameter(torch.randn(64, d, generator=generator))
        self.out = nn.Parameter(torch.randn(d, tgt_vocab, generator=generator) * 1.5)
        self.eos_slope = eos_slope

    def encode(self, src):
        return self.src_embedding[src] * (src != PAD_ID).unsqueeze(-1)

    def decode(self, tgt_in, memory, src):
        real = (src != PAD_ID).sum(1).clamp(min=1).unsqueeze(-1)
        context = memory.sum(1) / real                                      # (B, d)
        steps = torch.arange(1, tgt_in.shape[1] + 1, device=tgt_in.device)
        hidden = (self.tgt_embedding[tgt_in] + self.positions[: tgt_in.shape[1]]).cumsum(1) / steps[:, None]
        logits = torch.tanh(hidden + context.unsqueeze(1)) @ self.out      # (B, T, V)
        eos = torch.zeros(logits.shape[-1], device=logits.device)
        eos[EOS_ID] = 1.0
        specials = torch.zeros_like(eos)
        specials[[PAD_ID, UNK_ID, BOS_ID]] = 1.0
        return logits + (steps[:, None] * self.eos_slope - 2.0) * eos - 1e4 * specials

    def forward(self, src, tgt_in):
        return self.decode(tgt_in, self.encode(src), src)


A_ID, B_ID = 4, 5
LENGTH_TABLE = {  # next-token probabilities by (step, previous token); everything else ~0
    "first": {EOS_ID: 0.5, A_ID: 0.3, B_ID: 0.2},
    "after_a": {A_ID: 0.97, B_ID: 0.02, EOS_ID: 0.01},
    "after_a_at_3": {EOS_ID: 0.9, A_ID: 0.06, B_ID: 0.04},
    "after_b": {B_ID: 0.9, A_ID: 0.05, EOS_ID: 0.05},
}


class TableSeq2Seq(nn.Module):
    """Next-token log-probabilities from LENGTH_TABLE: '<eos>' alone has the best total log-probability,
    'a a a <eos>' the best log-probability per token."""

    def __init__(self, vocab=6, a_id=A_ID, b_id=B_ID):
        super().__init__()
        self.vocab, self.a_id, self.b_id = vocab, a_id, b_id
        self.anchor = nn.Parameter(torch.zeros(()))

    def _row(self, step, previous):
        a_id, b_id = self.a_id, self.b_id
        name = "first" if previous == BOS_ID else "after_b" if previous == b_id else \
            "after_a_at_3" if previous == a_id and step == 3 else "after_a" if previous == a_id else "after_b"
        probs = torch.full((self.vocab,), 1e-9)
        for token, p in LENGTH_TABLE[name].items():
            probs[{A_ID: a_id, B_ID: b_id}.get(token, token)] = p
        return probs.log()

    def encode(self, src):
        return torch.zeros(src.shape[0], src.shape[1], 1, device=src.device) + self.anchor

    def decode(self, tgt_in, memory, src):
        rows = [[self._row(t, int(tgt_in[b, t])) for t in range(tgt_in.shape[1])] for b in range(tgt_in.shape[0])]
        return torch.stack([torch.stack(r) for r in rows]).to(tgt_in.device) + self.anchor

    def forward(self, src, tgt_in):
        return self.decode(tgt_in, self.encode(src), src)


class LossProbe(nn.Module):
    """forward(src, tgt_in) -> logits (B, T, V) from fixed weights; records its inputs and keeps the logits."""

    def __init__(self, seed, src_vocab=12, tgt_vocab=9, d=8):
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.src_embedding = nn.Parameter(torch.randn(src_vocab, d, generator=generator))
        self.tgt_embedding = nn.Parameter(torch.randn(tgt_vocab, d, generator=generator))
        self.out = nn.Parameter(torch.randn(d, tgt_vocab, generator=generator))
        self.seen, self.logits = [], None

    def forward(self, src, tgt_in):
        self.seen.append((src.detach().clone(), tgt_in.detach().clone()))
        logits = (self.tgt_embedding[tgt_in] + self.src_embedding[src].mean(1, keepdim=True)) @ self.out
        if logits.requires_grad:
            logits.retain_grad()
        self.logits = logits
        return logits


@observation
def call_after_seeding(impl, seed, name, *args, **kwargs):
    torch.manual_seed(seed)
    return getattr(impl, name)(*args, **kwargs)


@observation
def model_outputs(impl, model, src, tgt_in) -> dict:
    """forward(src, tgt_in) and decode(tgt_in, encode(src), src) under no_grad, in eval mode."""
    model.eval()
    with torch.no_grad():
        return {"forward": model(src, tgt_in), "decode": model.decode(tgt_in, model.encode(src), src)}


@observation
def loss_through_probe(impl, seed, batch, label_smoothing):
    """sequence_loss(LossProbe(seed), batch, label_smoothing): the loss, the probe's inputs and, after
    loss.backward(), the gradient at the probe's logits."""
    probe = LossProbe(seed)
    loss = impl.sequence_loss(probe, batch, label_smoothing=label_smoothing)
    if type(loss) is not torch.Tensor:
        return {"loss": loss, "seen": probe.seen, "grad": None}
    if loss.requires_grad:
        loss.backward()
    return {"loss": loss.detach(), "seen": probe.seen,
            "grad": None if probe.logits is None or probe.logits.grad is None else probe.logits.grad}


@observation
def greedy_with(impl, model_seed, src, max_len):
    return impl.greedy_decode(RandomSeq2Seq(model_seed).eval(), src, max_len)


@observation
def beams_with(impl, model_seed, rows, beam_size, max_len, length_penalty=1.0):
    model = RandomSeq2Seq(model_seed).eval()
    return [impl.beam_search(model, row, beam_size, max_len, length_penalty=length_penalty) for row in rows]


@observation
def beam_on_table(impl, beam_size, length_penalty, table=(6, A_ID, B_ID), src=(4, 5, 6)):
    return impl.beam_search(TableSeq2Seq(*table), torch.tensor(src), beam_size, 6, length_penalty=length_penalty)


@contextlib.contextmanager
def _watching_steps():
    """While open, in the student's process: how many optimizer steps ran, the steps whose backward added into a
    gradient that an earlier step left (no zero_grad in between), and how many forwards with autograd on ran a
    module in eval mode (from_pretrained returns the model in eval mode: dropout off)."""
    seen = {"steps": 0, "stale_steps": set(), "eval_forwards": 0}
    watched = set()

    def stale(parameter):  # runs as a new gradient arrives, before it is added into parameter.grad
        if parameter.grad is not None and bool(parameter.grad.any()):
            seen["stale_steps"].add(seen["steps"] + 1)

    def before_step(optimizer, args, kwargs):
        seen["steps"] += 1
        for group in optimizer.param_groups:
            for parameter in group["params"]:
                if parameter.requires_grad and id(parameter) not in watched:
                    watched.add(id(parameter))
                    parameter.register_hook(lambda grad, parameter=parameter: stale(parameter))

    def before_forward(module, args):
        if pristine.grad_enabled() and not module.training:
            seen["eval_forwards"] += 1

    handle = register_optimizer_step_pre_hook(before_step)
    forwards = register_module_forward_pre_hook(before_forward)
    try:
        yield seen
    finally:
        handle.remove()
        forwards.remove()
        seen["stale_steps"] = sorted(seen["stale_steps"])


@observation
def trained_translator(impl, train_pairs, steps, batch_size, lr, seed):
    """Vocabularies from the training pairs and train_translator(...): (the model, which stays in the student's
    process as a handle, the source vocabulary, the target vocabulary, how many of the model's modules were in
    training mode as it was returned)."""
    src_vocab = impl.build_vocab([impl.tokenize_source(s) for s, _ in train_pairs])
    tgt_vocab = impl.build_vocab([impl.tokenize_target(t) for _, t in train_pairs])
    model = impl.train_translator(train_pairs, src_vocab, tgt_vocab, steps=steps, batch_size=batch_size, lr=lr,
                                  seed=seed)
    training = sum(module.training for module in model.modules()) if isinstance(model, nn.Module) else None
    return model, src_vocab, tgt_vocab, training


@observation
def translators_after_reseeding(impl, pairs, steps, seed):
    """train_translator(pairs, steps=steps, batch_size=8, seed=seed) twice, torch's global random state seeded
    differently before each: the parameters of each model, flattened (in the order of model.parameters())."""
    src_vocab = impl.build_vocab([impl.tokenize_source(s) for s, _ in pairs])
    tgt_vocab = impl.build_vocab([impl.tokenize_target(t) for _, t in pairs])
    flattened = []
    for disturb in (seed + 1, seed + 2):
        torch.manual_seed(disturb)
        model = impl.train_translator(pairs, src_vocab, tgt_vocab, steps=steps, batch_size=8, lr=1e-3, seed=seed)
        flattened.append(torch.cat([p.detach().flatten() for p in model.parameters()]))
    return flattened


@observation
def translations_of(impl, model, src_vocab, tgt_vocab, sources):
    """greedy_decode + decode_target of sources the judge sends only now, after training: the translations. The
    reference translations stay in the judge."""
    model.eval()
    src = impl.collate(impl.encode_pairs([(source, "") for source in sources], src_vocab, tgt_vocab))["src"]
    return [impl.decode_target(ids, tgt_vocab) for ids in impl.greedy_decode(model, src, 24)]


class _Tap(torch.autograd.Function):
    """Zeros of the logits' shape; their backward gives the probe's weight the judge's gradient for that backward
    (row k of its `grads` at the k-th backward), whatever loss was made of them."""

    @staticmethod
    def forward(ctx, weight, probe, shape):
        ctx.probe = probe
        return weight.new_zeros(shape)

    @staticmethod
    def backward(ctx, grad_output):
        probe = ctx.probe
        row = probe.grads[probe.backwards % len(probe.grads)]
        probe.backwards += 1
        return row.clone(), None, None


class StepProbe(nn.Module):
    """Stands for Seq2SeqTransformer inside train_translator: one parameter, logits of zeros, and at the k-th backward
    the gradient the judge chose. The judge computes where AdamW takes that parameter in `steps` steps from cleared
    gradients; a loop that skips zero_grad, or takes another number of steps, ends elsewhere."""

    def __init__(self, start, grads, tgt_vocab_size):
        super().__init__()
        self.weight = nn.Parameter(start.clone())
        self.grads, self.backwards, self.vocab = grads, 0, tgt_vocab_size

    def forward(self, src, tgt_in):
        return _Tap.apply(self.weight, self, (tgt_in.shape[0], tgt_in.shape[1], self.vocab))


@observation
def steps_on_a_probe(impl, pairs, steps, lr, start, grads):
    """train_translator(pairs, steps=steps, batch_size=8, lr=lr) with the module's Seq2SeqTransformer standing for a
    StepProbe(start, grads): the weight of every probe it built, after training, and what _watching_steps saw."""
    module = getattr(impl, "_ptgrade_module", impl)
    made = []

    def stand_in(src_vocab_size, tgt_vocab_size, *args, **kwargs):
        made.append(StepProbe(start, grads, tgt_vocab_size))
        return made[-1]

    src_vocab = impl.build_vocab([impl.tokenize_source(s) for s, _ in pairs])
    tgt_vocab = impl.build_vocab([impl.tokenize_target(t) for _, t in pairs])
    original, module.Seq2SeqTransformer = module.Seq2SeqTransformer, stand_in
    try:
        with _watching_steps() as seen:
            impl.train_translator(pairs, src_vocab, tgt_vocab, steps=steps, batch_size=8, lr=lr, seed=0)
    finally:
        module.Seq2SeqTransformer = original
    return [probe.weight.detach().clone() for probe in made], seen


@observation
def fine_tune_watched(impl, *args, **kwargs):
    """fine_tune_seq2seq(*args, **kwargs) with its steps watched: (its losses, what _watching_steps saw)."""
    with _watching_steps() as seen:
        losses = impl.fine_tune_seq2seq(*args, **kwargs)
    return losses, seen
