"""Computes the channel statistics on raw 0-255 pixel values, but ToTensor feeds Normalize values in [0, 1]."""
CAUGHT_BY = "test_channel_stats_match_the_pixels"
MESSAGE_MENTIONS = "0-255 scale"
MESSAGE_MENTIONS_KO = "0~255 범위의 통계"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def channel_stats(images):
    pixels = torch.from_numpy(images).to(torch.float64)
    return pixels.mean(dim=(0, 1, 2)).float(), pixels.std(dim=(0, 1, 2), correction=0).float()


def cifar10_datasets(root, *, download=False, dataset_class=CIFAR10):
    raw = dataset_class(root, train=True, download=download)
    train_transform, test_transform = build_transforms(*channel_stats(raw.data))
    return (dataset_class(root, train=True, transform=train_transform),
            dataset_class(root, train=False, transform=test_transform))
