"""Pads the training images by reflection before the random crop (padding_mode="reflect"), where the specification
pads with zeros."""
CAUGHT_BY = "test_training_set_is_augmented_with_crop_and_flip"
MESSAGE_MENTIONS = "padded by reflection"
MESSAGE_MENTIONS_KO = "반사로 패딩한"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def build_transforms(mean, std):
    normalize = [transforms.ToTensor(), transforms.Normalize(mean.tolist(), std.tolist())]
    train = transforms.Compose([transforms.RandomCrop(32, padding=PAD, padding_mode="reflect"),
                                transforms.RandomHorizontalFlip(), *normalize])
    return train, transforms.Compose(normalize)


def cifar10_datasets(root, *, download=False, dataset_class=CIFAR10):  # the reference's, calling this build_transforms
    raw = dataset_class(root, train=True, download=download)
    train_transform, test_transform = build_transforms(*channel_stats(raw.data))
    return (dataset_class(root, train=True, transform=train_transform),
            dataset_class(root, train=False, transform=test_transform))
