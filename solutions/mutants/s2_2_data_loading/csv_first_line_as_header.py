"""Reads the CSV as if its first line were a header (pandas.read_csv's default, as the tutorial calls it): the first
sample is lost."""
CAUGHT_BY = "test_custom_dataset_reads_the_csv_and_its_images"
MESSAGE_MENTIONS = "header"
MESSAGE_MENTIONS_KO = "첫 줄을 헤더로"
MESSAGE_MENTIONS_KO = "header"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class CustomImageDataset(CustomImageDataset):  # noqa: F405
    def __init__(self, annotations_file, img_dir, transform=None, target_transform=None):
        super().__init__(annotations_file, img_dir, transform, target_transform)
        self.img_labels = self.img_labels[1:]
