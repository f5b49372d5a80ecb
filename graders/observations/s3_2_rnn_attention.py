"""3.2 RNN, LSTM, GRU and attention: what the student's process observes.

Beside the student's code it runs their models as the checks ask (under torch.no_grad(), one SGD step, the order
task's training from the start the judge gives), reads and loads state_dicts, runs run_packed_rnn on an nn.RNN it
builds from given weights, and records which torch functions a hand-written function called. It returns what it
saw; the expected answers are computed by the checks in graders/test_s3_2_rnn_attention.py.
"""
import torch
import torch.nn.functional as F
from torch import nn

from graders.support import pristine
from graders.support.calls import _TorchCalls
from ptgrade.protocol.observation import observation


@observation
def without_grad(impl, model, *args):
    """model(*args) under torch.no_grad() in the student's process, as inference runs (the judge's own no_grad
    does not reach that process)."""
    with torch.no_grad():
        return model(*args)


@observation
def model_state(impl, model) -> dict:
    """The model's state_dict, as tensors."""
    return {str(key): value.detach().clone() for key, value in model.state_dict().items()}


@observation
def load_state(impl, model, state: dict) -> None:
    """model.load_state_dict(state): the judge's parameters under the student's own names."""
    model.load_state_dict(state)


@observation
def sgd_step(impl, model, tokens, lengths, weights, lr) -> dict:
    """One step in train mode: logits = model(tokens, lengths), (logits * weights).sum().backward(), p -= lr * p.grad
    for every parameter with a gradient; the logits, and the state_dict after the step."""
    model.train()
    model.zero_grad()
    logits = model(tokens, lengths)
    if type(logits) is not torch.Tensor:
        return {"logits": logits}
    (logits * weights).sum().backward()
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.grad is not None:
                parameter -= lr * parameter.grad
    return {"logits": logits.detach(), "state": {str(k): v.detach().clone() for k, v in model.state_dict().items()}}


def _order_training(model, batches):
    """The order task's training loop: Adam (lr 1e-2) over `batches`, cross-entropy on the logits; the first thing
    the model's forward returned that is not a tensor, else None."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    model.train()
    for batch_tokens, batch_lengths, labels in batches:
        logits = model(batch_tokens, batch_lengths)
        if type(logits) is not torch.Tensor:
            return logits
        loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    return None


@observation
def order_task_training(impl, model, batches):
    """Train the student's RNNClassifier (already holding the judge's starting parameters) with the order task's loop
    on `batches`; its state_dict after training (or what its forward returned that is not a tensor)."""
    odd = _order_training(model, batches)
    if odd is not None:
        return {"odd": odd}
    return {"state": {str(k): v.detach().clone() for k, v in model.state_dict().items()}}


@observation
def packed_rnn_result(impl, state, inputs, lengths):
    """What run_packed_rnn returns for an nn.RNN(batch_first=True, tanh, float64) on the device of `inputs`, holding
    the weights `state`."""
    layers = sum(name.startswith("weight_ih_l") for name in state)
    hidden, features = state["weight_ih_l0"].shape
    rnn = nn.RNN(features, hidden, num_layers=layers, batch_first=True, dtype=torch.float64, device=inputs.device)
    rnn.load_state_dict(state)
    with torch.no_grad():
        return impl.run_packed_rnn(rnn, inputs, lengths)


@observation
def calls_and_result(impl, name, *args) -> dict:
    """The torch functions the student's `name`(*args) called (names only, in first-call order) and what it returned."""
    with _TorchCalls() as calls:
        value = getattr(impl, name)(*args)
    return {"names": list(dict.fromkeys(calls.names)), "value": value}


# -- gradient clipping and the character-level language model ----------------------------------------------------
class CharGRU(nn.Module):
    """The grader's character-level language model: Embedding -> GRU (batch_first) -> Linear, logits at every step.
    Each forward records (autograd on, training flag) in `seen`: what the student's process says, which can only name a
    mistake (a forward in the wrong mode), never pass a check."""

    def __init__(self, vocab_size, embed_dim=16, hidden_dim=32):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.rnn = nn.GRU(embed_dim, hidden_dim, batch_first=True)
        self.head = nn.Linear(hidden_dim, vocab_size)
        self.seen, self.shapes = [], []

    def forward(self, tokens):
        training = pristine.instance_dict(self).get("training")
        self.seen.append((pristine.grad_enabled(), training is True))
        self.shapes.append(tuple(tokens.shape))
        return self.head(self.rnn(self.embedding(tokens))[0])


def char_lm(seed, vocab_size):
    """A CharGRU whose parameters are drawn from `seed`, the same in the judge and in the student's process."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return CharGRU(vocab_size)


def clip_net(seed):
    """The small classifier of the clipping checks, its parameters drawn from `seed`."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 4))


STALE_GRAD = 0.25  # what every .grad holds before the step: a gradient left over from an earlier step


@observation
def clipped_step_run(impl, seed, inputs, targets, max_norm, lr) -> dict:
    """clipped_train_step on clip_net(seed) with SGD(lr) and cross-entropy, every .grad holding STALE_GRAD before:
    what it returned, each parameter's .grad after the step (None where there is none) and the state_dict after."""
    model = clip_net(seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for parameter in model.parameters():
        parameter.grad = torch.full_like(parameter, STALE_GRAD)
    returned = impl.clipped_train_step(model, optimizer, F.cross_entropy, inputs, targets, max_norm)
    grads = {name: None if p.grad is None else p.grad.detach().clone() for name, p in model.named_parameters()}
    return {"returned": returned, "grads": grads,
            "state": {name: value.detach().clone() for name, value in model.state_dict().items()}}


@observation
def char_perplexity_of(impl, seed, vocab_size, ids) -> dict:
    """char_perplexity on the grader's char_lm(seed, vocab_size), handed over in train mode: what it returned, and
    whether autograd was on at each of the model's forwards."""
    model = char_lm(seed, vocab_size).train()
    returned = impl.char_perplexity(model, ids)
    return {"returned": returned, "grad_enabled": [grad for grad, _ in model.seen]}


@observation
def temperature_draws(impl, logits, temperature, seeds) -> list:
    """sample_with_temperature(logits, temperature, torch.Generator().manual_seed(seed)) for each of `seeds`."""
    return [impl.sample_with_temperature(logits, temperature, torch.Generator().manual_seed(seed)) for seed in seeds]


@observation
def char_lm_trained(impl, seed, vocab_size, ids, train_seed, disturb=None, **options) -> dict:
    """train_char_lm(model, ids, seed=train_seed, **options) (its defaults where `options` is empty) on the grader's
    char_lm(seed, vocab_size), handed over in eval mode (as an evaluation leaves it), after the global random state was
    seeded with `disturb` (when given): the model's state_dict after training, whether train_char_lm returned that very
    model, and the training flag and the input's shape at each of the model's forwards."""
    if disturb is not None:
        torch.manual_seed(disturb)
    model = char_lm(seed, vocab_size).eval()
    returned = impl.train_char_lm(model, ids, seed=train_seed, **options)
    return {"state": {name: value.detach().clone() for name, value in model.state_dict().items()},
            "returned_model": returned is model, "training": [training for _, training in model.seen],
            "shapes": list(model.shapes)}
