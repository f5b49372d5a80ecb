"""2.4 Training and evaluation, what the student's process observes: the models, loaders and optimizers the student's
functions get, built there (they stay in its process: the judge holds handles), a Probe that records at every forward
whether autograd was on and the training flag, whether parameters were left with a .grad, and its global RNG seeded.
The judge builds its own copies of the same models and data with the helpers here (_mlp, _toy_data, _toy_model,
_eval_setup, _digits_model, _sgd) and compares the state the student's functions leave with its own runs."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from graders.support import pristine
from graders.support.data import digits
from ptgrade.protocol.observation import observation


class Probe(nn.Module):
    """Wraps a model and records, at every forward, whether autograd was on (torch's compiled query) and the training
    flag (as the module stores it): what the student's process says, shown beside the numbers the judge checks."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.seen = []

    def forward(self, x):
        training = pristine.instance_dict(self).get("training")
        self.seen.append((pristine.grad_enabled(), training is True))
        return self.inner(x)


def _toy_data(seed, n=50, features=8, classes=3):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, features, generator=generator)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
    return TensorDataset(x, y % classes)


def _mlp(seed, features=8, classes=3, hidden=16, extra=()):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(features, hidden), *extra, nn.ReLU(), nn.Linear(hidden, classes))


def _sgd(model):
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


# -- live objects in the student's process ----------------------------------------------------------------------------
# Observations only build the models, loaders and optimizers the student's functions get (they stay in its process:
# the judge holds handles) and seed its global RNG. The student's functions are called directly; the judge pulls the
# state they leave (state_dict, as tensors) and compares it with what its own copy of the same run gives. Nothing the
# student's process reports is graded alone: the returned losses and the probes' flags sit beside those numbers.
@observation
def toy_setup(impl, model_seed, data_seed, batch_size, probe=False, eval_first=False, batch_norm=False, n=50,
              stale_grads=False):
    """_mlp(model_seed) (with a BatchNorm1d with `batch_norm`, inside a Probe with `probe`, in eval mode with
    `eval_first`, with _stale_grads in every .grad with `stale_grads`), an unshuffled loader over
    _toy_data(data_seed, n), CrossEntropyLoss and _sgd(model)."""
    model = _toy_model(model_seed, probe, eval_first, batch_norm)
    if stale_grads:
        for parameter, grad in zip(model.parameters(), _stale_grads(model)):
            pristine.set_tensor_attr(parameter, "grad", grad)
    loader = DataLoader(_toy_data(data_seed, n=n), batch_size=batch_size, shuffle=False)
    return {"model": model, "loader": loader, "loss_fn": nn.CrossEntropyLoss(), "optimizer": _sgd(model)}


def _stale_grads(model):
    """What an earlier backward left in each parameter's .grad (a loop that clears .grad only after its step trains its
    first step on them): one tensor per parameter, in model.parameters() order, drawn from a generator seeded here."""
    generator = torch.Generator().manual_seed(2024)
    return [torch.randn(parameter.shape, generator=generator) for parameter in model.parameters()]


def _toy_model(model_seed, probe=False, eval_first=False, batch_norm=False):
    model = _mlp(model_seed, extra=(nn.BatchNorm1d(16),) if batch_norm else ())
    model = Probe(model) if probe else model
    if eval_first:
        model.eval()  # as evaluate() leaves it
    return model


@observation
def eval_setup(impl, probe=False):
    """For evaluate: _eval_setup()'s model left in training mode with a loader of its 45 samples in batches of 20, or
    (with `probe`) Probe(_mlp(7)) with 2 batches of _toy_data(8); and CrossEntropyLoss."""
    if probe:
        return {"model": Probe(_mlp(7)), "loader": DataLoader(_toy_data(8), batch_size=25),
                "loss_fn": nn.CrossEntropyLoss()}
    model, dataset = _eval_setup()
    model.train()
    return {"model": model, "loader": DataLoader(dataset, batch_size=20), "loss_fn": nn.CrossEntropyLoss()}


@observation
def grads_left(impl, model):
    """Whether each parameter's .grad is None, read from torch's C++ tensors (graders/support/pristine.py)."""
    return [pristine.tensor_attr(tensor, "grad") is None for kind, _, tensor in pristine.module_tensors(model)
            if kind == "parameter"]


@observation
def open_event_writers(impl):
    """How many TensorBoard event writers are still open in the student's process: their writer threads
    (tensorboard's _AsyncWriterThread, which writer.close() stops and joins) still alive. It can only name a
    SummaryWriter left open; the judge reads what the event files hold itself."""
    import threading

    from tensorboard.summary.writer.event_file_writer import _AsyncWriterThread
    return sum(1 for thread in threading.enumerate() if isinstance(thread, _AsyncWriterThread) and thread.is_alive())


@observation
def mlp_with_adam(impl, state, lr, dropout=False):
    """_mlp's architecture (with Dropout(0.2) with `dropout`) holding `state`, and Adam(lr) over it."""
    model = _mlp(0, extra=(nn.Dropout(0.2),) if dropout else ())
    model.load_state_dict(state)
    return {"model": model, "optimizer": torch.optim.Adam(model.parameters(), lr=lr)}


@observation
def shuffled_toy_loader(impl, epoch):
    """A loader over _toy_data(9, n=40) in shuffled batches of 16 drawn from a generator seeded with `epoch`, and
    CrossEntropyLoss."""
    loader = DataLoader(_toy_data(9, n=40), batch_size=16, shuffle=True, generator=torch.Generator().manual_seed(epoch))
    return {"loader": loader, "loss_fn": nn.CrossEntropyLoss()}


@observation
def seed_global_rng(impl, seed):
    """The student's process's default generator seeded with `seed` (dropout draws from it), through torch's compiled
    Generator (graders/support/pristine.py), not torch.manual_seed."""
    pristine.seed_global(seed)


@observation
def digits_setup(impl, permutation):
    """The digits' training part with its labels renamed by `permutation` (label y becomes permutation[y]), in
    shuffled batches of 32 (seed 0); the validation part the same way in batches of 128; the model
    nn.Sequential(Linear(64, 64), ReLU, Linear(64, 10)) made after torch.manual_seed(0); SGD(lr 0.1, momentum 0.9)."""
    x_train, y_train, x_val, y_val = digits(seed=0)
    rename = torch.tensor(permutation)
    torch.manual_seed(0)
    model = _digits_model()
    return {"model": model, "optimizer": torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
            "loader": DataLoader(TensorDataset(x_train, rename[y_train]), batch_size=32, shuffle=True,
                                 generator=torch.Generator().manual_seed(0)),
            "val_loader": DataLoader(TensorDataset(x_val, rename[y_val]), batch_size=128),
            "loss_fn": nn.CrossEntropyLoss()}


def _digits_model():
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))


@observation
def cuda_setup(impl):
    """_mlp(15) moved to CUDA with _sgd, CPU batches of 16 of _toy_data(14), and CrossEntropyLoss."""
    model = _mlp(15).cuda()
    return {"model": model, "optimizer": _sgd(model), "loader": DataLoader(_toy_data(14), batch_size=16),
            "loss_fn": nn.CrossEntropyLoss()}


def _eval_setup():
    model = _mlp(5, extra=(nn.BatchNorm1d(16), nn.Dropout(0.5)))
    dataset = _toy_data(6, n=45)
    with torch.no_grad():  # give BatchNorm non-trivial running statistics
        model.train()
        model(dataset.tensors[0] * 2 + 1)
    return model, dataset
