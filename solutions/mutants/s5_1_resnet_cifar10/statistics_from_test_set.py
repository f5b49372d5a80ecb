"""Computes the normalisation statistics on the test images (the test set leaks into the preprocessing)."""
CAUGHT_BY = "test_test_set_is_normalised_with_training_statistics"
MESSAGE_MENTIONS = "statistics of the TEST images"
MESSAGE_MENTIONS_KO = "테스트 이미지의 통계"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def cifar10_datasets(root, *, download=False, dataset_class=CIFAR10):
    raw = dataset_class(root, train=False, download=download)
    train_transform, test_transform = build_transforms(*channel_stats(raw.data))
    return (dataset_class(root, train=True, transform=train_transform),
            dataset_class(root, train=False, transform=test_transform))
