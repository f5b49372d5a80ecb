"""2.2 Dataset and DataLoader, what the student's process observes: the datasets and transforms the judge hands to the
student's functions (Indices, whose batches show a loader's order; a RecordingTransform that remembers where it ran;
an ImageProbe and a LabelProbe, the transform and target_transform of the image-folder dataset; a DataLoader over the
student's dataset), and the global RNG there, seeded and read through torch's compiled Generator (graders/support/pristine.py).

The student's functions are called directly (impl.f(...), handles for what stays in its process); observations only set
up live objects and seed the global RNG there. What the judge grades are the values that come back, compared with what
it computes itself."""
import torch
from torch.utils.data import DataLoader, Dataset

from graders.support import pristine
from ptgrade.protocol.observation import observation


class Indices(Dataset):
    """Sample i is the int i: a loader's batches show its order."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        return index


class RecordingTransform:
    """t(x) = 2x - x.dim(), remembering the shape of every image it was called on. On one (1, 8, 8) image it is
    2x - 3; on the whole (1797, 1, 8, 8) stack it subtracts 4, and twice it gives 4x - 9: the numbers the judge
    compares show where and how often the transform ran (the shapes it remembers are only shown in messages). Its
    values are negative, so that nothing can clip the transform's output (an extra relu) unseen."""

    def __init__(self):
        self.seen = []

    def __call__(self, image):
        self.seen.append(tuple(image.shape))
        return image * 2 - image.dim()


@observation
def recording_transform(impl):
    """A fresh RecordingTransform in the student's process (it stays there; the judge holds a handle)."""
    return RecordingTransform()


@observation
def seed_global_rng(impl, seed):
    """The student's process's default generator seeded with `seed` (whatever the rest of a program did with the global
    RNG), through torch's compiled Generator (graders/support/pristine.py), not torch.manual_seed, which the student's
    process may have patched."""
    pristine.seed_global(seed)


@observation
def global_draws_after_split(impl, n, val_fraction, seed, global_seed):
    """The student's process's default generator seeded with global_seed, split_train_val(Indices(n), ...) called, then
    8 numbers drawn from that generator, all through torch's compiled Generator and randn (graders/support/
    pristine.py), not torch.manual_seed, torch.randn or get_rng_state: numbers the judge checks against an untouched
    generator's."""
    pristine.seed_global(global_seed)
    impl.split_train_val(Indices(n), val_fraction, seed=seed)
    return pristine.global_randn(8)


class ImageProbe:
    """A transform for images: t(x) = 2 * float(x) - 3, remembering what it was called on (a shape, or a type name)."""

    def __init__(self):
        self.seen = []

    def __call__(self, image):
        if isinstance(image, torch.Tensor):
            self.seen.append(tuple(image.shape))
            return image.to(torch.float32) * 2 - 3
        self.seen.append(type(image).__name__)
        return -1


class LabelProbe:
    """A transform for labels: t(y) = 10 * y + 7 on a Python int, remembering the type of what it was called on
    (anything else comes back as it came)."""

    def __init__(self):
        self.seen = []

    def __call__(self, label):
        self.seen.append(type(label).__name__)
        return label * 10 + 7 if type(label) is int else label


@observation
def image_and_label_probes(impl):
    """A fresh ImageProbe and LabelProbe in the student's process (they stay there; the judge holds handles)."""
    return ImageProbe(), LabelProbe()


@observation
def unshuffled_loader(impl, dataset, batch_size):
    """DataLoader(dataset, batch_size=batch_size) over the student's dataset, built in its process (default collate)."""
    return DataLoader(dataset, batch_size=batch_size, shuffle=False)
