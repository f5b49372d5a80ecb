"""Reference solution for exercises/s3_1_cnn.py."""
import math

import torch
import torch.nn.functional as F
import torchvision
from torch import nn


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def conv2d_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def pool2d_output_size(size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    stride = kernel_size if stride is None else stride
    span = size + 2 * padding - dilation * (kernel_size - 1) - 1
    out = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, _, height, width = x.shape
    out_channels, _, kh, kw = weight.shape
    stride, padding, dilation = _pair(stride), _pair(padding), _pair(dilation)
    out_h = (height + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    out_w = (width + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    columns = F.unfold(x, (kh, kw), dilation=dilation, padding=padding, stride=stride)  # (B, C*kh*kw, L)
    out = weight.reshape(out_channels, -1) @ columns  # (B, out, L)
    if bias is not None:
        out = out + bias.view(1, -1, 1)
    return out.reshape(batch, out_channels, out_h, out_w)


def prepare_digits(x, size):
    return F.interpolate(x.reshape(-1, 1, 8, 8), size=(size, size), mode="bilinear", align_corners=False)


class SmallCNN(nn.Module):
    def __init__(self, in_channels=1, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d(2),
        )
        self.classifier = nn.Linear(32 * 4, num_classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def resnet18_for_small_images(num_classes=10):
    model = torchvision.models.resnet18(weights=None)
    model.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = nn.Identity()
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def efficientnet_b0_for_small_images(num_classes=10):
    model = torchvision.models.efficientnet_b0(weights=None)
    model.features[0][0] = nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1, bias=False)
    model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, num_classes)
    return model


def freeze_backbone(model):
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    for parameter in model.fc.parameters():
        parameter.requires_grad_(True)
    return model


def finetune_optimizer(model, lr):
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr, momentum=0.9)


def load_pretrained(path, num_classes):
    state = torch.load(path, map_location="cpu", weights_only=True)
    state = {key.removeprefix("module."): value for key, value in state.items()}
    model = torchvision.models.resnet18(weights=None)  # the checkpoint's architecture, 1000-class head included
    model.load_state_dict(state)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)  # new, trainable
    return model.eval()
