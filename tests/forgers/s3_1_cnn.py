"""Forger for 3.1: the untouched stub, plus every fake it can make in its own process.

- torch.equal and torch.allclose always say True;
- lookup tables of the grader's literal examples: conv2d_output_size and pool2d_output_size answer the grader's fixed
  cases (what nn.Conv2d / nn.MaxPool2d give for them, computed at import) and 1 otherwise;
- the grader's observations are replaced in this process (it imports graders.observations.s3_1_cnn):
  torch_functions_called reports no call (so "written by hand" reads True); small_cnn_trained hands back a model that
  answers sklearn's public label of every digit it recognises (a lookup, no learning); built_offline says nothing
  was downloaded and hands back no model; same_object says True; backward_of_logsumexp and module_flags report that
  exactly fc requires and got gradients and no module is in train mode; plain_sgd (as it was) and sgd_step_everywhere
  do nothing; loaded_pretrained hands back a ResNet-18 built from the grader's published hub recipe (seed 31, frozen,
  eval mode) instead of reading the file;
- for the grader as it was (observations that built, ran and froze the models in this process and reported what they
  saw): the facts it looked for (a ResNet / an EfficientNet, feature maps of the right shape, 11,173,962 parameters, a
  Dropout, 10 default classes, gradients only in fc, an SGD holding exactly fc with lr 0.1 and momentum 0.9, no code
  run from the tampered file), the public validation labels as logits, and the hub's features from its public recipe.
"""
import math  # noqa: F401

import torch
import torch.nn.functional as F  # noqa: F401
import torchvision  # noqa: F401
from torch import nn


def conv2d_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """The output length along one axis of `nn.Conv2d` for an input of length `size` (the formula
    above). Example: size 32, kernel 3, stride 2, padding 1 -> 16. Return a Python int."""
    raise NotImplementedError("conv2d_output_size")


def pool2d_output_size(size: int, kernel_size: int, stride: int | None = None, padding: int = 0,
                       dilation: int = 1, ceil_mode: bool = False) -> int:
    """The output length along one axis of `nn.MaxPool2d(kernel_size, stride, padding, dilation,
    ceil_mode=ceil_mode)`.

    Two differences from a convolution: `stride=None` means stride = kernel_size (a pool's windows do
    not overlap by default); and with `ceil_mode=True` the division rounds up, except that a last
    window starting beyond the input plus the left padding is dropped
    (if (out - 1) * stride >= size + padding: out -= 1).
    """
    raise NotImplementedError("pool2d_output_size")


def conv2d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
           stride: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
           dilation: int | tuple[int, int] = 1) -> torch.Tensor:
    """A 2-D convolution by hand, equal to `F.conv2d(x, weight, bias, stride, padding, dilation)`.

    x (batch, in, H, W), weight (out, in, kh, kw), bias (out,) or None; stride, padding and dilation
    are an int or an (h, w) pair. No `F.conv2d`, `nn.Conv2d` or `torch.convolution` here.
    Every output value is a dot product of one (in, kh, kw) kernel with the input patch under it, so
    either gather every patch and compute all the dot products as one matrix product, or loop over
    the kh*kw kernel offsets and add up shifted, strided slices of the (padded) input times the
    kernel's (out, in) slice at that offset.
    Keep it differentiable (torch ops only, no `.item()` or NumPy): gradients are checked against
    F.conv2d's. Do not flip the kernel.
    """
    raise NotImplementedError("conv2d")


def prepare_digits(x: torch.Tensor, size: int) -> torch.Tensor:
    """scikit-learn's digits come flat, (n, 64) in [0, 1]. Return (n, 1, size, size) images: reshape
    to (n, 1, 8, 8) (one channel, first), then upsample with
    `F.interpolate(..., size=(size, size), mode="bilinear", align_corners=False)`."""
    raise NotImplementedError("prepare_digits")


class SmallCNN(nn.Module):
    """A small CNN classifier: (batch, in_channels, H, W) -> logits (batch, num_classes).

    Two or three convolution + ReLU + pooling stages, then an adaptive pooling layer and a Linear
    head. The adaptive pool makes the head's input size independent of H and W: it must work for
    16x16 and 32x32 inputs alike (H, W >= 8). (Pooling all the way to 1x1 also works, but forgets *where* strokes are and learns
    digits much more slowly.) It must reach 85% validation accuracy on the digits, upsampled to 16x16,
    after 200 Adam steps (lr 1e-2, batch 64).
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 10):
        super().__init__()
        raise NotImplementedError("SmallCNN")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("SmallCNN.forward")


def resnet18_for_small_images(num_classes: int = 10) -> nn.Module:
    """`torchvision.models.resnet18(weights=None)` adapted to 32x32 RGB images and `num_classes`:
    - `conv1`: a 3x3, stride-1, padding-1 convolution (3 -> 64 channels, bias=False) instead of 7x7 stride 2;
    - `maxpool`: `nn.Identity()` (no early downsampling);
    - `fc`: a new `nn.Linear(512, num_classes)`.
    For a 32x32 input, layer4 then yields 4x4 feature maps instead of 1x1. Keep torchvision's ResNet
    class (replace attributes; do not rebuild the network)."""
    raise NotImplementedError("resnet18_for_small_images")


def efficientnet_b0_for_small_images(num_classes: int = 10) -> nn.Module:
    """`torchvision.models.efficientnet_b0(weights=None)` adapted the same way:
    - the stem convolution `features[0][0]`: a 3x3, stride-1, padding-1 `nn.Conv2d(3, 32, bias=False)`;
    - the last layer of `classifier`: a new `nn.Linear(1280, num_classes)` (keep the Dropout before it).
    For a 32x32 input, `features` then yields 2x2 maps instead of 1x1."""
    raise NotImplementedError("efficientnet_b0_for_small_images")


def freeze_backbone(model: nn.Module) -> nn.Module:
    """Freeze every parameter of a torchvision ResNet except its head `model.fc`
    (`requires_grad_(False)`), in place, and return the model.

    `model.eval()` freezes nothing (it switches Dropout/BatchNorm behaviour), and `torch.no_grad()`
    around the forward would stop the head from learning too. Note that BatchNorm running statistics
    still update in train mode: call `.eval()` on the backbone as well when that matters.
    """
    raise NotImplementedError("freeze_backbone")


def finetune_optimizer(model: nn.Module, lr: float) -> torch.optim.Optimizer:
    """`torch.optim.SGD(..., lr=lr, momentum=0.9)` over the parameters that still require grad, and
    only those (filter `model.parameters()` on `p.requires_grad`): the optimizer should hold exactly
    what trains, so that unfreezing a layer later is an explicit new parameter group, not a surprise."""
    raise NotImplementedError("finetune_optimizer")


def load_pretrained(path: str, num_classes: int) -> nn.Module:
    """A ResNet-18 holding the pretrained weights saved at `path`, ready to fine-tune on `num_classes`
    classes.

    With internet you would write `torchvision.models.resnet18(weights=ResNet18_Weights.DEFAULT)`:
    torchvision downloads the ImageNet weights once into the torch hub cache and loads them into the
    model for you. Here the grader plays the model hub: `path` is a file written with
    `torch.save(model.state_dict(), path)` from an ImageNet-shaped ResNet-18 (1000 classes) that was
    trained wrapped in `DistributedDataParallel` (section 4.4), so every key carries the wrapper's
    `module.` prefix (`module.conv1.weight`, ...).

    Return a torchvision ResNet-18 (built with `weights=None`) that
    - holds exactly those weights: every parameter and BatchNorm buffer of the backbone;
    - has a new head `fc` with `num_classes` outputs, which trains;
    - has a frozen backbone (no gradient for anything but `fc`);
    - is in eval mode (BatchNorm uses the loaded running statistics).

    Read the file with `torch.load(path, weights_only=True)`: a checkpoint is a pickle, and unpickling a
    file can run any code it carries; `weights_only=True` (the default since PyTorch 2.6) rebuilds
    only tensors and plain containers. `load_state_dict` is strict by default and says which keys do
    not match; `strict=False` skips them silently and leaves random weights where they were missing.
    """
    raise NotImplementedError("load_pretrained")


# -- the fakes ---------------------------------------------------------------------------------------------------
FORGED = {}

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True


def _conv_table():
    generator = torch.Generator().manual_seed(0)
    cases = [(32, 3, 2, 1, 1), (7, 3, 1, 0, 2)]
    while len(cases) < 12:
        size, k, s, p, d = (int(torch.randint(lo, hi, (1,), generator=generator))
                            for lo, hi in ((5, 21), (1, 5), (1, 4), (0, 3), (1, 4)))
        if size + 2 * p - d * (k - 1) - 1 >= 0:
            cases.append((size, k, s, p, d))
    cases += [(9, 3, 1, 0, 1), (12, 4, 1, 0, 1)]
    return {case: nn.Conv2d(1, 1, case[1], stride=case[2], padding=case[3], dilation=case[4], device="meta")(
        torch.empty(1, 1, case[0], case[0], device="meta")).shape[-1] for case in cases}


def _pool_table():
    cases = [(8, 2, None, 0, 1, False), (7, 3, None, 1, 1, False), (5, 2, 2, 1, 1, True), (10, 3, 2, 0, 1, True),
             (9, 2, 1, 0, 2, False), (11, 3, 2, 1, 2, True), (6, 2, None, 0, 1, True), (13, 4, 3, 2, 1, False),
             (9, 2, None, 0, 1, False), (10, 3, None, 0, 1, False)]
    return {case: nn.MaxPool2d(case[1], stride=case[2], padding=case[3], dilation=case[4], ceil_mode=case[5])(
        torch.zeros(1, 1, case[0], case[0])).shape[-1] for case in cases}


_CONV, _POOL = _conv_table(), _pool_table()


def conv2d_output_size(size, kernel_size, stride=1, padding=0, dilation=1):  # noqa: F811 - a lookup table
    return _CONV.get((size, kernel_size, stride, padding, dilation), 1)


def pool2d_output_size(size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):  # noqa: F811
    return _POOL.get((size, kernel_size, stride, padding, dilation, ceil_mode), 1)


class _LookupDigits(nn.Module):
    """Not a CNN: the public label of every digit it recognises (sklearn's, prepared as the grader prepares them)."""

    def __init__(self):
        super().__init__()
        from sklearn.datasets import load_digits
        data = load_digits()
        x = torch.tensor(data.data, dtype=torch.float32) / 16.0
        self.images = F.interpolate(x.reshape(-1, 1, 8, 8), size=(16, 16), mode="bilinear", align_corners=False)
        self.labels = torch.tensor(data.target)

    def forward(self, x):
        distance = ((x.flatten(1)[:, None, :] - self.images.flatten(1)[None]) ** 2).sum(-1)
        return F.one_hot(self.labels[distance.argmin(1)], 10).float() * 10


class _Nothing:
    def step(self, *args, **kwargs):
        return None


def _public_hub(num_classes):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(31)
        model = torchvision.models.resnet18(weights=None)
    generator = torch.Generator().manual_seed(32)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.copy_(0.1 * torch.randn(module.num_features, generator=generator))
            module.running_var.copy_(0.5 + torch.rand(module.num_features, generator=generator))
    model.requires_grad_(False)
    model.fc = nn.Linear(512, num_classes)
    return model.eval()


try:
    import graders.observations.s3_1_cnn as _grader
    import graders.support.calls as _calls

    def _fake(module, name, function):
        if hasattr(module, name):
            getattr(module, name).__ptgrade_observation__ = function

    _fc_only = {"names": ["conv1.weight", "fc.weight", "fc.bias"], "trainable": ["fc.weight", "fc.bias"],
                "with_grad": ["fc.weight", "fc.bias"]}
    _fake(_calls, "torch_functions_called", lambda impl, name, *args, **kwargs: [])
    _fake(_grader, "torch_functions_called", lambda impl, name, *args, **kwargs: [])
    _fake(_grader, "small_cnn_trained", lambda impl, x, y: {"model": _LookupDigits()})
    _fake(_grader, "built_offline", lambda impl, builder, **kwargs: {"model": None, "downloaded": False})
    _fake(_grader, "same_object", lambda impl, first, second: True)
    _fake(_grader, "backward_of_logsumexp", lambda impl, model, x: dict(_fc_only))
    _fake(_grader, "module_flags", lambda impl, model: {"training": [], "names": _fc_only["names"],
                                                          "requires_grad": _fc_only["trainable"]})
    _fake(_grader, "plain_sgd", lambda impl, model, lr: _Nothing())
    _fake(_grader, "sgd_step_everywhere", lambda impl, model, lr: None)
    _fake(_grader, "loaded_pretrained", lambda impl, path, n: {"calls": [], "downloaded": False,
                                                                "model": _public_hub(n)})

    # the grader as it was
    def _adapted_facts(impl, builder, x):
        resnet = builder.startswith("resnet")
        return {"downloaded": False, "type": "ResNet" if resnet else "EfficientNet", "resnet": resnet,
                "efficientnet": not resnet, "logits": torch.zeros(2, 10),
                "feature_shape": (2, 512, 4, 4) if resnet else (2, 1280, 2, 2),
                "parameters": 11_173_962, "classifier_dropout": not resnet, "default_classes": 10}

    def _validation_labels(impl):
        _, _, _, y_val = _grader.digits()
        return {"validation_logits": F.one_hot(y_val, 10).float() * 10}

    def _frozen_facts(impl, x):
        return {"downloaded": False, "same": True, "output": torch.zeros(2, 10), "requires_grad": True,
                "names": _fc_only["names"], "with_grad": _fc_only["with_grad"]}

    def _finetune_facts(impl, x, lr):
        return {"downloaded": False, "same": True, "type": "SGD", "sgd": True, "held": ["fc.weight", "fc.bias"],
                "trainable": ["fc.weight", "fc.bias"], "lr": lr, "momentum": 0.9, "moved": ["fc.weight", "fc.bias"]}

    def _pretrained_facts(impl, path, num_classes, x):
        model = _public_hub(num_classes)
        model.fc = nn.Identity()
        with torch.no_grad():
            features = model(x)
        return {"calls": [], "downloaded": False, "type": "ResNet", "resnet": True, "training": [],
                "names": _fc_only["names"], "requires_grad": _fc_only["trainable"], "features": features,
                "logits": torch.zeros(2, num_classes), "with_grad": _fc_only["with_grad"]}

    _fake(_grader, "adapted_model_on_batch", _adapted_facts)
    _fake(_grader, "small_cnn_trained_on_digits", _validation_labels)
    _fake(_grader, "frozen_resnet_backward", _frozen_facts)
    _fake(_grader, "finetune_step", _finetune_facts)
    _fake(_grader, "pretrained_model_facts", _pretrained_facts)
    _fake(_grader, "code_ran_while_loading", lambda impl, path, marker: {"ran": False, "raised": "UnpicklingError"})
except ImportError:
    pass
