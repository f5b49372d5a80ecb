"""4.2 PyTorch Lightning: what the student's process observes.

Everything that needs a live Lightning object runs here, beside the student's code: the training run on the task
the judge sends (the student's make_trainer fits the student's DigitsClassifier on the student's DigitsDataModule,
whose load_digits_tensors answers that task), reporting the weights before and after and where the logger and the
checkpoint callback wrote; the classes' bases; the DataModule's batches; training_step, dropout and the optimizer on
tensors the judge sends; the student's make_trainer fitting the grader's own probe modules (_Probe, _CheckpointProbe);
and load_best. It returns what it saw; the checks in graders/test_s4_2_lightning.py score the weights and read the
files themselves.
"""
from collections.abc import Mapping

import lightning
import torch
from lightning.pytorch.callbacks import ModelCheckpoint, ModelSummary
from lightning.pytorch.loggers import CSVLogger
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from graders.support.raised import explaining_line
from ptgrade.protocol.observation import observation

DROPOUT_HIDDEN, DROPOUT_P = 8, 0.5  # the DigitsClassifier training_step_facts builds
OPTIMIZER_HIDDEN, OPTIMIZER_LR = 16, 0.03  # the DigitsClassifier configured_optimizers builds
PROBE_LR, PROBE_PULL = 0.1, 0.5  # _Probe's SGD learning rate, and how its loss grows with each validation pass
CHECKPOINT_PROBE_VAL_LOSSES = (0.5, 0.2, 0.4)  # the val_loss _CheckpointProbe logs in each epoch: the lowest in the middle


def _detached(value):
    return value.detach() if isinstance(value, torch.Tensor) else value


def _plain_state(module):
    """(In the student's process) a module's state_dict as plain CPU tensors."""
    return {str(name): t.detach().cpu().clone() for name, t in module.state_dict().items()
            if isinstance(t, torch.Tensor)}


def _optimizers(returned):
    """The optimizers in anything configure_optimizers may return."""
    if isinstance(returned, torch.optim.Optimizer):
        return [returned]
    if isinstance(returned, dict):
        return _optimizers(returned.get("optimizer"))
    if isinstance(returned, (list, tuple)) and returned:
        first = returned[0]
        return [o for item in (first if isinstance(first, (list, tuple)) else returned) for o in _optimizers(item)]
    return []




# -- the training run ------------------------------------------------------------------------------
@observation
def fit_digits(impl, root, max_epochs, seed, task, accelerator=None):
    """make_trainer(root, max_epochs).fit(DigitsClassifier(), datamodule=DigitsDataModule(64, seed)) after
    torch.manual_seed(seed), with the module's load_digits_tensors answering `task` (this run's split, sent by
    the judge): the model's weights before and after, where the trainer logged, what its checkpoint callback
    is and holds, and the device it trained on."""
    calls = []

    def load_task(*args, **kwargs):
        calls.append(args)
        return tuple(t.clone() for t in task)
    # The module's own load_digits_tensors answers the task: in the module's namespace and in the namespace the
    # DataModule's methods read (a module that re-exports another's DataModule).
    module = getattr(impl, "_ptgrade_module", None)
    namespaces = {id(n): n for n in [getattr(module, "__dict__", None),
                                     *(getattr(getattr(impl.DigitsDataModule, name, None), "__globals__", None)
                                       for name in ("__init__", "setup"))] if isinstance(n, dict)}
    given = {key: n["load_digits_tensors"] for key, n in namespaces.items() if "load_digits_tensors" in n}
    for n in namespaces.values():
        n["load_digits_tensors"] = load_task
    try:
        torch.manual_seed(seed)
        model = impl.DigitsClassifier()
        initial = _plain_state(model)
        if accelerator is None:
            trainer = impl.make_trainer(root, max_epochs)
        else:
            trainer = impl.make_trainer(root, max_epochs, accelerator=accelerator)
        trainer.fit(model, datamodule=impl.DigitsDataModule(batch_size=64, seed=seed))
    finally:
        for key, n in namespaces.items():
            if key in given:
                n["load_digits_tensors"] = given[key]
            else:
                n.pop("load_digits_tensors", None)
    callback = trainer.checkpoint_callback
    logger = trainer.logger
    return {"log_dir": None if logger is None or logger.log_dir is None else str(logger.log_dir),
            "checkpoint": {"is_model_checkpoint": isinstance(callback, ModelCheckpoint),
                           "monitor": getattr(callback, "monitor", None),
                           "best_model_path": str(getattr(callback, "best_model_path", ""))},
            "root_device": str(trainer.strategy.root_device.type), "initial": initial, "final": _plain_state(model),
            "task_used": bool(calls)}


# -- the pieces, without training ------------------------------------------------------------------
@observation
def lightning_bases(impl, x):
    """For DigitsClassifier(hidden=12) and DigitsDataModule(): the Lightning 2 class it should subclass,
    whether it does, its class name and its first bases; and the classifier's weights and its outputs on x
    in eval mode."""
    facts = []
    model = impl.DigitsClassifier(hidden=12)
    for obj, base in ((model, lightning.LightningModule), (impl.DigitsDataModule(), lightning.LightningDataModule)):
        facts.append({"base": base.__name__, "subclass": isinstance(obj, base), "type": type(obj).__name__,
                      "bases": [f"{b.__module__}.{b.__name__}" for b in type(obj).__mro__[1:4]]})
    model.eval()
    with torch.no_grad():
        out = model(x)
    return {"classes": facts, "state": _plain_state(model), "out": _detached(out)}


@observation
def datamodule_batches(impl, batch_size, seed):
    """DigitsDataModule(batch_size, seed) after setup('fit'): the split sizes, two whole passes over the
    training loader (each in loader order, with its batch sizes) and one over the validation loader."""
    data = impl.DigitsDataModule(batch_size=batch_size, seed=seed)
    data.setup("fit")

    def one_pass(loader):
        batches = list(loader)
        return {"x": torch.cat([b[0] for b in batches]), "y": torch.cat([b[1] for b in batches]),
                "sizes": [len(b[1]) for b in batches]}
    train, val = data.train_dataloader(), data.val_dataloader()
    return {"train_size": len(train.dataset), "val_size": len(val.dataset),
            "passes": [one_pass(data.train_dataloader()) for _ in range(2)], "val": one_pass(val)}


@observation
def training_step_facts(impl, x, y):
    """DigitsClassifier(hidden=8, lr=0.01, dropout=0.5) on x: its weights, two forward passes in training
    mode, the logits and training_step's loss in eval mode, and each parameter's gradient from that loss's
    backward (or what backward raised)."""
    model = impl.DigitsClassifier(hidden=DROPOUT_HIDDEN, lr=0.01, dropout=DROPOUT_P)
    facts = {"state": _plain_state(model)}
    model.train()
    facts.update(train_a=_detached(model(x)), train_b=_detached(model(x)))
    model.eval()
    facts["logits"] = _detached(model(x))
    returned = model.training_step((x, y), 0)
    # Lightning's documented return forms: the loss Tensor, or a dict holding it under "loss".
    loss = returned.get("loss") if isinstance(returned, Mapping) else returned
    facts["loss"] = _detached(loss)
    if isinstance(loss, torch.Tensor):
        try:
            loss.backward()
        except RuntimeError as error:
            facts["backward_error"] = explaining_line(error)
        facts["grads"] = {name: None if p.grad is None else p.grad.detach().clone()
                          for name, p in model.named_parameters()}
    return facts


@observation
def configured_optimizers(impl, grads):
    """DigitsClassifier(hidden=16, lr=0.03).configure_optimizers(): what it returned, the optimizers in it
    and, for the first, its class and the parameters it covers; then, for each list in `grads` (one
    gradient per parameter shape), that gradient set on every parameter of that shape and one optimizer
    step: the parameters before and after each step."""
    model = impl.DigitsClassifier(hidden=OPTIMIZER_HIDDEN, lr=OPTIMIZER_LR)
    returned = model.configure_optimizers()
    optimizers = _optimizers(returned)
    facts = {"returned": repr(returned)[:500], "count": len(optimizers),
             "parameters": len(list(model.parameters()))}
    if optimizers:
        optimizer = optimizers[0]
        covered = {id(p) for group in optimizer.param_groups for p in group["params"]}
        facts.update(type=type(optimizer).__name__, covered=len(covered),
                     lrs=list({group["lr"] for group in optimizer.param_groups}),
                     before={name: p.detach().clone() for name, p in model.named_parameters()}, after=[])
        for step in grads:
            optimizer.zero_grad()
            for p in model.parameters():
                p.grad = next((g.clone() for g in step if tuple(g.shape) == tuple(p.shape)), None)
            optimizer.step()
            facts["after"].append({name: p.detach().clone() for name, p in model.named_parameters()})
    return facts


# -- the Trainer, measured on a module of the grader's own -----------------------------------------
class _Probe(lightning.LightningModule):
    """A linear regression on one full batch, trained with plain SGD, whose training loss also depends on how
    many validation passes have run so far: so the weights after fit tell the judge how many epochs ran and
    whether a sanity validation ran before the first, and what it logs tells it where the logger writes."""

    def __init__(self, x, t):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(x.shape[1]))
        self.x, self.t = x, t
        self.validations = 0

    def _mse(self):
        return ((self.x.to(self.w.device) @ self.w - self.t.to(self.w.device)) ** 2).mean()

    def training_step(self, batch, batch_idx):
        loss = self._mse() + PROBE_PULL * self.validations * self.w.sum()
        self.log("probe_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        self.validations += 1
        self.log("val_loss", self._mse())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=PROBE_LR)

    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.zeros(1)), batch_size=1)

    def val_dataloader(self):
        return DataLoader(TensorDataset(torch.zeros(1)), batch_size=1)


class _CheckpointProbe(_Probe):
    """_Probe without the pull of validations, logging its training loss as train_loss and a val_loss the grader
    chose per epoch: the checkpoint make_trainer's callback keeps tells the judge what it monitors and in which
    direction (and nothing else about the Trainer's settings changes it)."""

    def training_step(self, batch, batch_idx):
        loss = self._mse()
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        epoch = min(self.current_epoch, len(CHECKPOINT_PROBE_VAL_LOSSES) - 1)
        self.log("val_loss", CHECKPOINT_PROBE_VAL_LOSSES[epoch])


@observation
def probe_checkpoint(impl, log_dir, x, t):
    """make_trainer(log_dir, 3).fit of a _CheckpointProbe on (x, t): where its checkpoint callback says the best
    checkpoint is."""
    trainer = impl.make_trainer(log_dir, len(CHECKPOINT_PROBE_VAL_LOSSES))
    trainer.fit(_CheckpointProbe(x, t))
    return str(getattr(trainer.checkpoint_callback, "best_model_path", ""))


@observation
def probe_fit(impl, log_dir, max_epochs, x, t):
    """make_trainer(log_dir, max_epochs): its class, its logger and the settings it reports; then its fit of
    a _Probe on (x, t): the probe's weights afterwards and the logger's folder."""
    trainer = impl.make_trainer(log_dir, max_epochs)
    if not isinstance(trainer, lightning.Trainer):
        return {"trainer": False, "type": type(trainer).__name__}
    logger = trainer.logger
    facts = {"trainer": True, "type": type(trainer).__name__, "logger": type(logger).__name__,
             "csv_logger": isinstance(logger, CSVLogger),
             "settings": {"max_epochs": trainer.max_epochs, "accelerator": type(trainer.accelerator).__name__,
                          "devices": trainer.num_devices, "progress bar": trainer.progress_bar_callback is not None,
                          "model summary": any(isinstance(c, ModelSummary) for c in trainer.callbacks),
                          "sanity validation steps": trainer.num_sanity_val_steps}}
    probe = _Probe(x, t)
    trainer.fit(probe)
    facts.update(w=probe.w.detach().cpu().clone(), device=str(probe.w.device.type),
                 log_dir=None if logger is None or logger.log_dir is None else str(logger.log_dir))
    return facts


@observation
def best_reloaded(impl, path, x):
    """load_best(path): whether it is a DigitsClassifier, its training flag, its outputs on x."""
    loaded = impl.load_best(path)
    facts = {"classifier": isinstance(loaded, impl.DigitsClassifier), "type": type(loaded).__name__}
    if facts["classifier"]:
        facts["training"] = bool(loaded.training)
        with torch.no_grad():
            facts["out"] = _detached(loaded(x))
    return facts
