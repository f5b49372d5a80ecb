"""Applies target_transform inside the transform's `if`: with a target_transform alone, the label comes back untouched."""
CAUGHT_BY = "test_custom_dataset_applies_transform_and_target_transform"
MESSAGE_MENTIONS = "only when a transform was given"
MESSAGE_MENTIONS_KO = "transform도 주어졌을 때만"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class CustomImageDataset(CustomImageDataset):  # noqa: F405
    def __getitem__(self, index):
        name, label = self.img_labels[index]
        image = decode_image(os.path.join(self.img_dir, name))  # noqa: F405
        if self.transform is not None:
            image = self.transform(image)
            if self.target_transform is not None:
                label = self.target_transform(label)
        return image, label
