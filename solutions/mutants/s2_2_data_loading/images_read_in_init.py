"""Decodes every image once in __init__ and keeps the tensors: a real folder does not fit in memory, and a file
changed afterwards is never seen."""
CAUGHT_BY = "test_custom_dataset_reads_files_in_getitem"
MESSAGE_MENTIONS = "__init__"
MESSAGE_MENTIONS_KO = "__init__에서 읽었습니다"
MESSAGE_MENTIONS_KO = "__init__"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class CustomImageDataset(CustomImageDataset):  # noqa: F405
    def __init__(self, annotations_file, img_dir, transform=None, target_transform=None):
        super().__init__(annotations_file, img_dir, transform, target_transform)
        self.images = [decode_image(os.path.join(img_dir, name)) for name, _ in self.img_labels]  # noqa: F405

    def __getitem__(self, index):
        image, label = self.images[index], self.img_labels[index][1]
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label
