"""3.1 Convolutional networks — output sizes, a convolution by hand, a small CNN, torchvision models.

A convolution slides a (out, in, kh, kw) kernel over the image; padding, stride and dilation decide
how many positions it visits, so every layer's output size is arithmetic you can do in your head:

    out = floor((size + 2*padding - dilation*(kernel - 1) - 1) / stride) + 1

(PyTorch's layers, like most frameworks, compute a *cross-correlation*: the kernel is not flipped.)

`torchvision.models` builds standard architectures. `resnet18(weights=None)` gives random
initialisation and downloads nothing; `resnet18(weights=ResNet18_Weights.DEFAULT)` (from
`torchvision.models import ResNet18_Weights`) downloads ImageNet weights once into the torch hub cache,
and `ResNet18_Weights.DEFAULT.transforms()` is the preprocessing those weights expect. This kit
never downloads: build with `weights=None` here, and use the weights API in your own projects.
(`pretrained=True` is the old, removed spelling.) ImageNet models shrink a 224x224 image 32 times;
for 32x32 images (CIFAR-10) a stride-2 stem throws most of the picture away, so the usual adaptation
is a stride-1 stem and a new 10-class head.

Fine-tuning a pretrained network often starts by *freezing* the backbone: its parameters get
`requires_grad=False`, so backward computes no gradient for them, and only the new head trains.

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 3.1`.
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
    16x16 and 32x32 inputs alike (H, W >= 8). Pool to 2x2 or more: pooling all the way to 1x1 runs, but forgets
    *where* strokes are and learns digits too slowly for the bar below. It must reach 85% validation accuracy on the
    digits, upsampled to 16x16, after 200 Adam steps (lr 1e-2, batch 64).
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
