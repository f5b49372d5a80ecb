"""Normalises with the published CIFAR-10 statistics copied from a tutorial instead of the loaded data's."""
CAUGHT_BY = "test_test_set_is_normalised_with_training_statistics"
MESSAGE_MENTIONS = "published statistics"
MESSAGE_MENTIONS_KO = "알려진 통계"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def cifar10_datasets(root, *, download=False, dataset_class=CIFAR10):
    mean, std = torch.tensor([0.4914, 0.4822, 0.4465]), torch.tensor([0.2470, 0.2435, 0.2616])
    train_transform, test_transform = build_transforms(mean, std)
    return (dataset_class(root, train=True, download=download, transform=train_transform),
            dataset_class(root, train=False, transform=test_transform))
