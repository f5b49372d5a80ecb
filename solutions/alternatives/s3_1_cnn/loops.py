"""3.1 written another way: a convolution that loops over kernel offsets with strided slices and
einsum, closed-form pool sizes via ceil division, a BatchNorm CNN, models built with num_classes, a
checkpoint loaded into a model built for the new head (the old head dropped, strict=False checked)."""
import torch
import torch.nn.functional as F
import torchvision
from torch import nn


def conv2d_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    effective = dilation * (kernel_size - 1) + 1
    return int((size + 2 * padding - effective) / stride) + 1 if size + 2 * padding >= effective else 0


def pool2d_output_size(size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    stride = stride or kernel_size
    span = size + 2 * padding - dilation * (kernel_size - 1) - 1
    out = -(-span // stride) + 1 if ceil_mode else span // stride + 1
    while ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    x = F.pad(x, (pw, pw, ph, ph))
    _, _, height, width = x.shape
    _, _, kh, kw = weight.shape
    out_h = (height - dh * (kh - 1) - 1) // sh + 1
    out_w = (width - dw * (kw - 1) - 1) // sw + 1
    out = None
    for i in range(kh):
        for j in range(kw):
            window = x[:, :, i * dh:i * dh + sh * (out_h - 1) + 1:sh, j * dw:j * dw + sw * (out_w - 1) + 1:sw]
            term = torch.einsum("bchw,oc->bohw", window, weight[:, :, i, j])
            out = term if out is None else out + term
    if bias is not None:
        out = out + bias[None, :, None, None]
    return out


def prepare_digits(x, size):
    return F.interpolate(x.view(len(x), 1, 8, 8), size=size, mode="bilinear")


class SmallCNN(nn.Sequential):
    def __init__(self, in_channels=1, num_classes=10):
        super().__init__(
            nn.Conv2d(in_channels, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(),
            nn.Conv2d(24, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveMaxPool2d(3), nn.Flatten(), nn.Linear(32 * 9, num_classes),
        )


def resnet18_for_small_images(num_classes=10):
    model = torchvision.models.resnet18(num_classes=num_classes)
    model.conv1 = nn.Conv2d(3, 64, (3, 3), (1, 1), (1, 1), bias=False)
    model.maxpool = nn.Sequential()
    return model


def efficientnet_b0_for_small_images(num_classes=10):
    model = torchvision.models.efficientnet_b0(num_classes=num_classes)
    stem = model.features[0][0]
    model.features[0][0] = nn.Conv2d(stem.in_channels, stem.out_channels, 3, 1, 1, bias=False)
    return model


def freeze_backbone(model):
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name.startswith("fc.")
    return model


def finetune_optimizer(model, lr):
    return torch.optim.SGD([{"params": list(filter(lambda p: p.requires_grad, model.parameters()))}],
                           lr=lr, momentum=0.9)


def load_pretrained(path, num_classes):
    from torch.nn.modules.utils import consume_prefix_in_state_dict_if_present

    state = torch.load(path, weights_only=True)
    consume_prefix_in_state_dict_if_present(state, "module.")
    for key in [key for key in state if key.startswith("fc.")]:  # the new head starts fresh
        del state[key]
    model = torchvision.models.resnet18(num_classes=num_classes)
    result = model.load_state_dict(state, strict=False)
    assert all(key.startswith("fc.") for key in result.missing_keys) and not result.unexpected_keys, result
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name.startswith("fc.")
    return model.train(False)
