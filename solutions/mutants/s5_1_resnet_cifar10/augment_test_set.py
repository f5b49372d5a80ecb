"""Uses the training transform (random crop and flip) for the test set too."""
CAUGHT_BY = "test_test_set_is_not_augmented"
MESSAGE_MENTIONS = "augmentation is applied to the test set"
MESSAGE_MENTIONS_KO = "테스트 데이터셋에 증강이 적용되어"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def build_transforms(mean, std):
    normalize = [transforms.ToTensor(), transforms.Normalize(mean.tolist(), std.tolist())]
    train = transforms.Compose([transforms.RandomCrop(32, padding=PAD), transforms.RandomHorizontalFlip(), *normalize])
    return train, train


def cifar10_datasets(root, *, download=False, dataset_class=CIFAR10):
    raw = dataset_class(root, train=True, download=download)
    train_transform, test_transform = build_transforms(*channel_stats(raw.data))
    return (dataset_class(root, train=True, transform=train_transform),
            dataset_class(root, train=False, transform=test_transform))
