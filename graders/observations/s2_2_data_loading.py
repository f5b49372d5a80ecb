"""2.2 Dataset and DataLoader, what the student's process observes: the datasets and transforms the judge hands to the
student's functions (Indices, whose batches show a loader's order; a RecordingTransform that remembers where it ran),
and the global RNG there, seeded and read through torch's compiled Generator (graders/support/pristine.py).

The student's functions are called directly (impl.f(...), handles for what stays in its process); observations only set
up live objects and seed the global RNG there. What the judge grades are the values that come back, compared with what
it computes itself."""
from torch.utils.data import Dataset

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
