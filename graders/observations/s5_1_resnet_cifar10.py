"""What the student's process observes for 5.1 (ResNet on CIFAR-10): the items of their datasets read from the
judge's archive (with torchvision's CIFAR10 reader), the outputs of their BasicBlock and ResNet with the judge's
weights put into their layers (or their zeroed 3x3 convolutions), their parameter count and block shapes, the lrs
their schedule sets, one epoch of their train_one_epoch and their evaluate on tiny models built beside their code,
their search, random search and successive halving over stand-in runs, and the weights of the bounded convergence
run, pulled out for the judge to measure.

Everything here returns what the student's code did, as data; the judge (graders/test_s5_1_resnet_cifar10.py)
computes what it should have done.
"""
import math
import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from graders.support import pristine
from graders.support.layers import calls_in_order, norms_reading
from ptgrade.items.s5_1_resnet_cifar10 import GeneratedCIFAR10
from ptgrade.protocol.observation import observation

CONVERGENCE_EPOCHS, CONVERGENCE_BATCH = 3, 20  # 75 SGD steps on 500 generated images


# A model's layers are matched with the specification by the order they run (forward hooks): its 3x3 convolutions
# in order (the stem, then conv1 and conv2 of each block), its 1x1 convolutions in order (the projecting blocks'
# shortcuts), each with the BatchNorm2d that read its output, and its Linear. The judge's weights are put into those
# layers (_push), or the trained ones pulled out (_pull).
_BN_KEYS = ("weight", "bias", "running_mean", "running_var")


def _layers_in_order(model, x):
    """In the student's process: {"conv3": [(conv, bn)], "conv1": [(conv, bn)], "other": n, "fc": [linear]}, the
    model's layers in the order they ran on x (eval mode, no autograd; the training mode is restored)."""
    calls = calls_in_order(model, x, lambda module: isinstance(module, (nn.Conv2d, nn.BatchNorm2d, nn.Linear)))
    convs = [(index, module, out) for index, (module, _, out) in enumerate(calls) if isinstance(module, nn.Conv2d)]
    norms = [index for index, (module, _, _) in enumerate(calls) if isinstance(module, nn.BatchNorm2d)]
    paired = norms_reading(calls, convs)  # first the BatchNorm that read this very output
    taken = set(paired.values())
    for index, _conv, _out in convs:  # then the next one that ran after it
        if index not in paired:
            match = next((i for i in norms if i > index and i not in taken), None)
            if match is not None:
                paired[index] = match
                taken.add(match)
    found = {"conv3": [], "conv1": [], "other": 0, "fc": [m for m, _, _ in calls if isinstance(m, nn.Linear)]}
    for index, conv, _ in convs:
        key = {(3, 3): "conv3", (1, 1): "conv1"}.get(tuple(conv.kernel_size))
        bn = calls[paired[index]][0] if index in paired else None
        if key is None:
            found["other"] += 1
        else:
            found[key].append((conv, bn))
    return found


def _counts(found):
    return {"conv3": len(found["conv3"]), "conv1": len(found["conv1"]), "other": found["other"], "fc": len(found["fc"])}


def _pull(model, x):
    """In the student's process: the weights of the model's layers, in the order they ran (see _layers_in_order)."""
    found = _layers_in_order(model, x)

    def conv(pair):
        conv, bn = pair
        return {"weight": conv.weight.detach().clone(), "bias": None if conv.bias is None else conv.bias.detach().clone(),
                "bn": None if bn is None else {k: (None if getattr(bn, k) is None else getattr(bn, k).detach().clone())
                                               for k in _BN_KEYS}}
    return {"conv3": [conv(p) for p in found["conv3"]], "conv1": [conv(p) for p in found["conv1"]],
            "fc": [{"weight": m.weight.detach().clone(), "bias": None if m.bias is None else m.bias.detach().clone()}
                   for m in found["fc"]], "counts": _counts(found)}


def _push(model, x, weights):
    """In the student's process: put the judge's weights into the model's layers (matched as in _layers_in_order).
    None when they fitted, else what was found (for the judge's message)."""
    found = _layers_in_order(model, x)
    counts = _counts(found)
    if any(counts[key] != len(weights[key]) for key in ("conv3", "conv1", "fc")) or counts["other"]:
        return counts
    with torch.no_grad():
        for key in ("conv3", "conv1"):
            for (conv, bn), given in zip(found[key], weights[key]):
                if bn is None or bn.weight is None or conv.weight.shape != given["weight"].shape:
                    return counts
                conv.weight.copy_(given["weight"])
                for name in _BN_KEYS:
                    if getattr(bn, name).shape != given["bn"][name].shape:
                        return counts
                    getattr(bn, name).copy_(given["bn"][name])
        for linear, given in zip(found["fc"], weights["fc"]):
            if linear.weight.shape != given["weight"].shape or linear.bias is None:
                return counts
            linear.weight.copy_(given["weight"])
            linear.bias.copy_(given["bias"])
    return None


@observation
def dataset_items(impl, root, train, indices, seeds):
    """cifar10_datasets(root, dataset_class=GeneratedCIFAR10): for the split, its type check, its length, and
    [image tensor for each index] for each seed (torch.manual_seed(seed) before reading), and the labels."""
    datasets = impl.cifar10_datasets(root, dataset_class=GeneratedCIFAR10)
    dataset = datasets[0 if train else 1]
    items = []
    for seed in seeds:
        torch.manual_seed(seed)
        items.append([dataset[i] for i in indices])
    images = [[image for image, _ in row] for row in items]
    labels = [int(label) for _, label in items[0]]
    return len(datasets), isinstance(dataset, GeneratedCIFAR10), len(dataset), images, labels


@observation
def block_with_zeroed_3x3_convs(impl, in_channels, out_channels, stride, x):
    """BasicBlock(in, out, stride) in eval mode with fresh BatchNorm statistics and the weights of every Conv2d
    that is not 1x1 set to zero: its output for x, and (in, out, stride, bias?, weight) of each 1x1 Conv2d."""
    torch.manual_seed(0)
    block = impl.BasicBlock(in_channels, out_channels, stride).eval()
    projections = []
    with torch.no_grad():
        for module in block.modules():
            if isinstance(module, nn.Conv2d):
                if module.kernel_size == (1, 1):
                    projections.append((module.in_channels, module.out_channels, module.stride[0],
                                        module.bias is not None, module.weight.detach().clone()))
                else:
                    module.weight.zero_()
                    if module.bias is not None:
                        module.bias.zero_()
        return block(x), projections


@observation
def block_with_weights(impl, in_channels, out_channels, stride, x, weights):
    """BasicBlock(in, out, stride) with the judge's weights put into its layers (_push): (its output for x in eval
    mode, then in training mode, None), or (None, None, the layers found) when they do not fit."""
    torch.manual_seed(0)
    block = impl.BasicBlock(in_channels, out_channels, stride)
    found = _push(block, x, weights)
    if found is not None:
        return None, None, found
    with torch.no_grad():
        return block.eval()(x), block.train()(x), None


@observation
def resnet_with_weights(impl, num_blocks, widths, num_classes, x, weights):
    """ResNet(num_blocks, widths, num_classes) (ResNet() when num_blocks is None) with the judge's weights put into its
    layers (_push): (its logits for x in eval mode, then in training mode, None), or (None, None, the layers
    found)."""
    torch.manual_seed(0)
    model = (impl.ResNet() if num_blocks is None else
             impl.ResNet(num_blocks=num_blocks, widths=widths, num_classes=num_classes))
    found = _push(model, x, weights)
    if found is not None:
        return None, None, found
    with torch.no_grad():
        return model.eval()(x), model.train()(x), None


@observation
def resnet_facts(impl, num_blocks, widths, num_classes, x):
    """ResNet(num_blocks, widths, num_classes) (ResNet() when num_blocks is None): its parameter count, its output
    for x (eval mode), and the output shape of every BasicBlock in the order they ran."""
    torch.manual_seed(0)
    model = (impl.ResNet() if num_blocks is None else
             impl.ResNet(num_blocks=num_blocks, widths=widths, num_classes=num_classes)).eval()
    shapes = []
    for module in model.modules():
        if isinstance(module, impl.BasicBlock):
            module.register_forward_hook(lambda m, i, out: shapes.append(tuple(out.shape)))
    with torch.no_grad():
        out = model(x)
    return sum(p.numel() for p in model.parameters()), out, shapes


@observation
def learning_rates(impl, base_lrs, total_steps, warmup_steps):
    """An SGD over one parameter per lr in base_lrs with warmup_cosine_scheduler(optimizer, total, warmup): the
    lrs of every group before each of total_steps optimizer steps (stepping the scheduler after each), and
    whether it is a torch LRScheduler."""
    params = [nn.Parameter(torch.zeros(1)) for _ in base_lrs]
    optimizer = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, base_lrs)], lr=base_lrs[0])
    scheduler = impl.warmup_cosine_scheduler(optimizer, total_steps, warmup_steps)
    seen = []
    for _ in range(total_steps):
        seen.append([group["lr"] for group in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
    return seen, isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler)


def _decay(step):
    return 1.0 / (1.0 + step)


def _tiny_net(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(4, 5))


def _images(seed, n=40):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, 8, 8, generator=generator)
    return TensorDataset(x, (x[:, 0].mean((1, 2)) > 0).long() + 2 * (x[:, 1].mean((1, 2)) > 0).long())


def _params(model):
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def _sgd_with_decay(model):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, _decay)


EPOCH_BATCH = 12  # 40 images: batches of 12, 12, 12 and 4 (a mean of the batch means is not the mean per sample)


def stale_gradients(model, seed):
    """Gradients left in the model's .grad from before (as a previous backward leaves them): drawn from seed."""
    generator = torch.Generator().manual_seed(seed)
    for p in model.parameters():
        p.grad = torch.randn(p.shape, generator=generator).to(p.device)


@observation
def one_epoch_with_schedule(impl, net_seed, data_seed, device="cpu"):
    """train_one_epoch(_tiny_net(net_seed) on device, handed over in eval mode as the previous epoch's evaluate
    leaves it and with stale gradients in its .grad (stale_gradients(model, net_seed)), 4 unshuffled batches of
    _images(data_seed) (12, 12, 12 and 4 images), SGD, LambdaLR(_decay)): what it returned, the parameters after it
    (on the CPU), the lr after it, and the model's mode (training or not) at each forward."""
    model = _tiny_net(net_seed).to(device).eval()
    stale_gradients(model, net_seed)
    modes = []
    model.register_forward_pre_hook(lambda module, args: modes.append(module.training))
    optimizer, scheduler = _sgd_with_decay(model)
    loader = DataLoader(_images(data_seed), batch_size=EPOCH_BATCH, shuffle=False)  # batches stay on the CPU
    returned = impl.train_one_epoch(model, loader, optimizer, scheduler)
    return returned, _params(model).cpu(), optimizer.param_groups[0]["lr"], modes


class _Probe(nn.Module):
    """Records (grad enabled, training) at every forward."""

    def __init__(self, inner):
        super().__init__()
        self.inner, self.seen = inner, []

    def forward(self, x):
        self.seen.append((pristine.grad_enabled(), pristine.instance_dict(self).get("training") is True))
        return self.inner(x)


def _eval_model(seed):
    model = _tiny_net(seed)
    model.insert(4, nn.Dropout(0.5))
    with torch.no_grad():  # non-trivial running statistics
        model.train()
        model(_images(seed + 1).tensors[0] * 2 + 1)
    return model


@observation
def evaluate_in_train_mode(impl, model_seed, data_seed):
    """evaluate(_Probe(_eval_model(model_seed)) left in training mode, 3 batches of _images(data_seed)): what it
    returned, BatchNorm's running_mean after it, the probe's record, and whether every .grad is still None."""
    probe = _Probe(_eval_model(model_seed)).train()
    result = impl.evaluate(probe, DataLoader(_images(data_seed, n=45), batch_size=20))
    return result, probe.inner[1].running_mean.clone(), probe.seen, [p.grad is None for p in probe.parameters()]


class _FakeEvaluator:
    """Stands for a training run: returns the given metrics per config name and records the calls."""

    def __init__(self, metrics):
        self.metrics, self.calls = metrics, []

    def __call__(self, config):
        self.calls.append(config["name"])
        return dict(self.metrics[config["name"]])


@observation
def search_with_fake_runs(impl, configs, metrics):
    """search(configs, _FakeEvaluator(metrics)): what it returned and the names of the configs it ran, in order."""
    evaluator = _FakeEvaluator(metrics)
    best, results = impl.search(configs, evaluator)
    return best, results, evaluator.calls


def fake_val_acc(curve, budget):
    """The stand-in learning curve of successive halving's runs: a config with curve (ceiling, tau) trained for
    `budget` epochs reaches ceiling * (1 - exp(-budget / tau)) (a fast starter may end low). The judge computes the
    same numbers itself."""
    ceiling, tau = curve
    return ceiling * (1.0 - math.exp(-budget / tau))


def fake_scores(config):
    """The stand-in metrics of random search's runs, a fixed function of the config: validation accuracy peaks at
    lr 1e-2, dropout 0.2, batch size 128; test accuracy elsewhere (it must never choose)."""
    try:
        lr, dropout, batch = float(config["lr"]), float(config["dropout"]), float(config["batch_size"])
        val = 0.9 - 0.05 * (math.log10(lr) + 2) ** 2 - 0.2 * abs(dropout - 0.2) - 0.01 * abs(math.log2(batch) - 7)
        test = 0.9 - 0.05 * (math.log10(lr) + 4) ** 2 - 0.2 * abs(dropout - 0.45)
    except (KeyError, TypeError, ValueError):  # a config outside the space: the judge says so
        return {"val_acc": 0.0, "test_acc": 0.0}
    return {"val_acc": val, "test_acc": test}


def _disturb(seed):
    """Re-seed every global random state, so that a draw that does not come from the given generator shows."""
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)


@observation
def sampled_configs(impl, space, seed, n, disturb):
    """n calls of sample_config(space, g) with one generator g seeded with `seed`, after re-seeding the global random
    states with `disturb`: the configs it returned, in order."""
    _disturb(disturb)
    generator = torch.Generator().manual_seed(seed)
    return [impl.sample_config(space, generator) for _ in range(n)]


@observation
def random_search_with_fake_runs(impl, space, n_trials, seed):
    """random_search(space, n_trials, fake_scores, generator seeded with `seed`), twice (the global random states
    re-seeded differently before each): what each returned and the configs each ran, in order."""
    runs = []
    for disturb in (seed + 1, seed + 2):
        _disturb(disturb)
        calls = []

        def train_and_evaluate(config, calls=calls):
            calls.append(dict(config))
            return fake_scores(config)

        best, history = impl.random_search(space, n_trials, train_and_evaluate, torch.Generator().manual_seed(seed))
        runs.append((best, history, calls))
    return runs


@observation
def successive_halving_with_fake_runs(impl, configs, curves, min_budget, eta):
    """successive_halving(configs, train_for, min_budget, eta) where train_for(config, budget) returns
    {"val_acc": fake_val_acc(curves[name], budget)}: what it returned and the (name, budget) of every call, in
    order."""
    calls = []

    def train_for(config, budget):
        calls.append((config["name"], budget))
        return {"val_acc": fake_val_acc(curves[config["name"]], budget)}

    best, history = impl.successive_halving(configs, train_for, min_budget, eta)
    return best, history, calls


@observation
def convergence_run(impl, root, seed):
    """CONVERGENCE_EPOCHS epochs of the student's pipeline on the generated archive: their datasets, ResNet((1, 1, 1),
    (8, 16, 32)), SGD (lr 0.05, Nesterov momentum 0.9, weight decay 5e-4) with their warm-up + cosine schedule
    (5 warm-up steps), their train_one_epoch: the mean losses per epoch and their evaluate on the test set (both
    shown, never graded), and the trained weights (_pull), which the judge measures."""
    train, test = impl.cifar10_datasets(root, dataset_class=GeneratedCIFAR10)
    torch.manual_seed(seed)
    model = impl.ResNet(num_blocks=(1, 1, 1), widths=(8, 16, 32), num_classes=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    loader = DataLoader(train, batch_size=CONVERGENCE_BATCH, shuffle=True, generator=torch.Generator().manual_seed(seed))
    scheduler = impl.warmup_cosine_scheduler(optimizer, total_steps=CONVERGENCE_EPOCHS * len(loader), warmup_steps=5)
    losses = []
    for epoch in range(CONVERGENCE_EPOCHS):
        torch.manual_seed(seed * 100 + epoch)
        losses.append(impl.train_one_epoch(model, loader, optimizer, scheduler))
    reported = impl.evaluate(model, DataLoader(test, batch_size=100))
    return losses, reported, _pull(model, torch.zeros(2, 3, 32, 32))
