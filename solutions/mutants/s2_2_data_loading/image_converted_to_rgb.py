"""Reads every image as RGB (decode_image(path, mode=ImageReadMode.RGB), like PIL's .convert("RGB")): a grey file
comes back with 3 channels, not the one it holds."""
CAUGHT_BY = "test_custom_dataset_reads_the_csv_and_its_images"
MESSAGE_MENTIONS = "converted to 3 channels"
MESSAGE_MENTIONS_KO = "채널 3개(RGB)로 바꿨습니다"
from torchvision.io import ImageReadMode  # noqa: E402

from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class CustomImageDataset(CustomImageDataset):  # noqa: F405
    def __getitem__(self, index):
        name, label = self.img_labels[index]
        image = decode_image(os.path.join(self.img_dir, name), mode=ImageReadMode.RGB)  # noqa: F405
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label
