"""Returns the image as float in [0, 1] (divided by 255) instead of the file's uint8 pixels."""
CAUGHT_BY = "test_custom_dataset_reads_the_csv_and_its_images"
MESSAGE_MENTIONS = "255"
MESSAGE_MENTIONS_KO = "255로 나눈"
MESSAGE_MENTIONS_KO = "255"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class CustomImageDataset(CustomImageDataset):  # noqa: F405
    def __getitem__(self, index):
        name, label = self.img_labels[index]
        image = decode_image(os.path.join(self.img_dir, name)).float() / 255  # noqa: F405
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label
