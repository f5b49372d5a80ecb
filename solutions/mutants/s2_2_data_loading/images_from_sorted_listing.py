"""Opens the folder's files in sorted order (os.listdir) instead of the file each CSV line names."""
CAUGHT_BY = "test_custom_dataset_reads_the_csv_and_its_images"
MESSAGE_MENTIONS = "sorted"
MESSAGE_MENTIONS_KO = "정렬한 폴더 파일 순서"
MESSAGE_MENTIONS_KO = "정렬한 폴더 파일 순서"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class CustomImageDataset(CustomImageDataset):  # noqa: F405
    def __getitem__(self, index):
        name = sorted(os.listdir(self.img_dir))[index]  # noqa: F405
        label = self.img_labels[index][1]
        image = decode_image(os.path.join(self.img_dir, name))  # noqa: F405
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label
