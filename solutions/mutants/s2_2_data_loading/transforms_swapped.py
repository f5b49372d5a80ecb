"""Applies transform to the label and target_transform to the image."""
CAUGHT_BY = "test_custom_dataset_applies_transform_and_target_transform"
MESSAGE_MENTIONS = "target_transform"
MESSAGE_MENTIONS_KO = "target_transform을 이미지에"
MESSAGE_MENTIONS_KO = "target_transform"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class CustomImageDataset(CustomImageDataset):  # noqa: F405
    def __getitem__(self, index):
        name, label = self.img_labels[index]
        image = decode_image(os.path.join(self.img_dir, name))  # noqa: F405
        if self.target_transform is not None:
            image = self.target_transform(image)
        if self.transform is not None:
            label = self.transform(label)
        return image, label
