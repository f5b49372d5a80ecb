"""2.2 Dataset and DataLoader: sklearn's digits read directly, transforms against F.pad + normalise,
splits and loaders by their properties (every sample once, order from the seed alone), padding
against nn.utils.rnn.pad_sequence."""
import pytest
import torch
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import Dataset

from graders.support.assertions import assert_tensor, check, expect_tensor, expect_type
from ptgrade.remote import observation

SEED_HINT = ("Pass generator=torch.Generator().manual_seed(seed) to the DataLoader (or random_split): then the order "
             "comes from that seed alone, whatever else used the global RNG.")


class Indices(Dataset):
    """Sample i is the int i: a loader's batches show its order."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        return index


class RecordingTransform:
    """The affine map 2x + 1, remembering the shape of every image it was called on."""

    def __init__(self):
        self.seen = []

    def __call__(self, image):
        self.seen.append(tuple(image.shape))
        return image * 2 + 1


@observation
def item_through_recording_transform(impl, index):
    """DigitsDataset(transform=t)[index][0] for t(x) = 2x + 1, and the shapes t was called on (construction
    included)."""
    transform = RecordingTransform()
    dataset = impl.DigitsDataset(transform=transform)
    image = dataset[index][0]
    return image, transform.seen


@observation
def augmentations_after_global_seeds(impl, image, mean, std, seeds):
    """make_transform(mean, std, augment=True)(image) after torch.manual_seed(seed), for each seed, in the student's
    process (torchvision's random transforms draw from that process's global RNG)."""
    transform = impl.make_transform(mean, std, augment=True)
    outputs = []
    for seed in seeds:
        torch.manual_seed(seed)
        outputs.append(transform(image))
    return outputs


@observation
def split_samples(impl, n, val_fraction, seed, global_seed=None):
    """The samples of both parts of split_train_val(Indices(n), ...) and whether the call changed the global random
    state; with `global_seed`, torch.manual_seed(global_seed) runs first (whatever else used the global RNG)."""
    if global_seed is not None:
        torch.manual_seed(global_seed)
    before = torch.random.get_rng_state()
    train, val = impl.split_train_val(Indices(n), val_fraction, seed=seed)
    changed = not torch.equal(before, torch.random.get_rng_state())
    return [train[i] for i in range(len(train))], [val[i] for i in range(len(val))], changed


@observation
def two_epochs_after_global_seed(impl, n, batch_size, seed, global_seed):
    """The batches of two epochs of make_loader(Indices(n), shuffle=True, seed=seed) when torch.manual_seed(global_seed)
    runs between building the loader and iterating it."""
    loader = impl.make_loader(Indices(n), batch_size=batch_size, shuffle=True, seed=seed)
    torch.manual_seed(global_seed)  # whatever the rest of the program did with the global RNG
    return [list(loader), list(loader)]


@pytest.fixture(scope="module")
def sklearn_digits():
    from sklearn.datasets import load_digits
    data = load_digits()
    return torch.tensor(data.images, dtype=torch.float32).unsqueeze(1) / 16.0, torch.tensor(data.target)


def _epoch(loader):
    order = []
    for batch in loader:
        batch = expect_tensor(batch, "a batch of the loader over Indices", "Use the default collate_fn when none is given.")
        order += batch.tolist()
    return order


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("DigitsDataset returns sklearn's digits: (1, 8, 8) images, int labels",
                   ko="DigitsDataset은 sklearn의 digits를 (1, 8, 8) 이미지와 int 레이블로 반환합니다")
def test_dataset_items_match_sklearn_digits(impl, sklearn_digits):
    images, labels = sklearn_digits
    dataset = impl.DigitsDataset()
    check(len(dataset) == 1797, f"len(DigitsDataset()) should be 1797, got {len(dataset)}.", "__len__ returns the number of images.")
    for i in (0, 5, 1000, 1796):
        item = expect_type(dataset[i], tuple, f"DigitsDataset()[{i}]", "Return (image, label).")
        check(len(item) == 2, f"DigitsDataset()[{i}] should be (image, label), got {len(item)} values.")
        image, label = item
        assert_tensor(image, images[i], f"the image of DigitsDataset()[{i}]",
                      hint="load_digits().images as float32, divided by 16 (values 0..16 -> 0..1), with a channel axis "
                           "first: (1, 8, 8).")
        check(type(label) is int and label == int(labels[i]), f"the label of DigitsDataset()[{i}]: expected the int "
              f"{int(labels[i])}, got {label!r} ({type(label).__name__}).", "Return int(target[i]).")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("DigitsDataset applies its transform once to each item",
                   ko="DigitsDataset은 각 항목에 transform을 한 번씩 적용합니다")
def test_dataset_applies_the_transform(impl, sklearn_digits):
    images, _ = sklearn_digits
    image, seen = item_through_recording_transform(impl, 7)
    assert_tensor(image, images[7] * 2 + 1, "DigitsDataset(transform=t)[7][0] for t(x) = 2x + 1",
                  hint="Apply self.transform to the image in __getitem__ (once, after scaling).")
    check(seen == [(1, 8, 8)], f"the transform should be called once per item on a (1, 8, 8) image; calls saw {seen}.",
          "Call the transform in __getitem__, not in __init__ over all images.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("make_transform pads first, then normalizes",
                   ko="make_transform은 먼저 패딩한 뒤 정규화합니다")
def test_transform_pads_then_normalizes(impl):
    x = torch.rand(3, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    want = (F.pad(x, (2, 2, 2, 2)) - 0.3) / 0.2
    transform = impl.make_transform(0.3, 0.2)
    assert_tensor(transform(x[0]), want[0], "make_transform(0.3, 0.2)(image) for a (1, 8, 8) image",
                  hint="v2.Compose([v2.Pad(2), v2.Normalize([mean], [std])]): Pad first, so the order leaves a border "
                       "of (0 - mean) / std, not of raw zeros.")
    assert_tensor(transform(x), want, "make_transform(0.3, 0.2) on a batch of shape (3, 1, 8, 8)")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("make_transform's augmentation is random but repeats under one seed",
                   ko="make_transform의 데이터 증강은 무작위이지만 같은 시드에서는 똑같이 재현됩니다")
def test_augmenting_transform_is_random_but_seeded(impl):
    x = torch.rand(1, 8, 8, generator=torch.Generator().manual_seed(1))
    outputs = augmentations_after_global_seeds(impl, x, 0.3, 0.2, (0, 0, 1, 2, 3))
    outputs = [expect_tensor(o, "make_transform(..., augment=True)(image)") for o in outputs]
    check(all(tuple(o.shape) == (1, 12, 12) and o.dtype == torch.float32 for o in outputs),
          f"make_transform(0.3, 0.2, augment=True) should give (1, 12, 12) float32, got {tuple(outputs[0].shape)} "
          f"{outputs[0].dtype}.", "Pad(2) makes 8 -> 12.")
    assert_tensor(outputs[1], outputs[0], "two augmentations after the same torch.manual_seed",
                  hint="torchvision's random transforms draw from torch's global RNG.")
    check(sum(not torch.equal(o, outputs[0]) for o in outputs[2:]) >= 2,
          "make_transform(..., augment=True) gave the same image for different seeds: no random augmentation.",
          "Add v2.RandomAffine(degrees=10, translate=(0.1, 0.1)) between Pad and Normalize when augment is True.")
    from torchvision.transforms import v2
    pipeline = v2.Compose([v2.Pad(2), v2.RandomAffine(degrees=10, translate=(0.1, 0.1)), v2.Normalize([0.3], [0.2])])
    for seed, out in zip((0, 0, 1, 2, 3), outputs):
        torch.manual_seed(seed)
        assert_tensor(out, pipeline(x), f"make_transform(0.3, 0.2, augment=True)(image) after torch.manual_seed({seed}), "
                      "against the same v2 pipeline", hint="Exactly v2.Pad(2), v2.RandomAffine(degrees=10, translate=(0.1, 0.1)), "
                      "v2.Normalize([mean], [std]), in that order.")
    corners = [o[0, 0, 0].item() for o in outputs]
    check(all(abs(c - (0 - 0.3) / 0.2) < 1e-5 for c in corners),
          f"after augmentation a corner pixel should be blank, (0 - 0.3) / 0.2 = -1.5; got {corners}.",
          "Normalize last, after Pad and RandomAffine (the affine fills with 0, which must be normalised too).")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("split_train_val puts each sample in one part, shuffled by its seed",
                   ko="split_train_val은 모든 샘플을 두 부분 중 한 곳에만 넣고, 시드에 따라 섞습니다")
def test_split_is_disjoint_complete_and_seeded(impl):
    train_ids, val_ids, changed_global_rng = split_samples(impl, 103, 0.2, 7)
    check(not changed_global_rng, "split_train_val changed the global random state.", SEED_HINT)
    check(len(val_ids) == 20 and len(train_ids) == 83, f"split_train_val(103 samples, 0.2): expected 83 train and 20 "
          f"validation samples, got {len(train_ids)} and {len(val_ids)}.", "n_val = int(len(dataset) * val_fraction).")
    check(sorted(train_ids + val_ids) == list(range(103)), "the train and validation parts should hold every sample "
          "exactly once.", "Split a permutation of the indices; do not sample with replacement.")
    check(val_ids != list(range(83, 103)) and val_ids != list(range(20)), "the validation part is a contiguous block of "
          "the dataset, not a random split.", "Shuffle the indices (random_split or torch.randperm) before cutting.")
    again = split_samples(impl, 103, 0.2, 7, global_seed=999)[1]
    other = split_samples(impl, 103, 0.2, 8)[1]
    check(again == val_ids, "split_train_val with the same seed gave another split after the global seed changed.",
          SEED_HINT)
    check(other != val_ids, "split_train_val gave the same split for seeds 7 and 8.", SEED_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("make_loader visits every sample once per epoch, reshuffling each time",
                   ko="make_loader는 에폭마다 새로 섞어 모든 샘플을 한 번씩 방문합니다")
def test_loader_visits_every_sample_once_per_epoch(impl):
    loader = impl.make_loader(Indices(23), batch_size=5, shuffle=True, seed=0)
    sizes = [len(batch) for batch in loader]
    check(sizes == [5, 5, 5, 5, 3], f"batch sizes over 23 samples in batches of 5: expected [5, 5, 5, 5, 3], got {sizes}.",
          "Keep the last, smaller batch (drop_last=False, the default).")
    first, second = _epoch(loader), _epoch(loader)
    for n, order in ((1, first), (2, second)):
        check(sorted(order) == list(range(23)), f"epoch {n} of make_loader(23 samples, shuffle=True) should visit every "
              f"sample once, got {sorted(order)}.", "Let the DataLoader's sampler draw the order; do not drop_last.")
    check(first != list(range(23)), "make_loader(..., shuffle=True) returned the samples in order.",
          "Pass shuffle=shuffle to the DataLoader.")
    check(first != second, "two epochs of the same shuffled loader gave the same order.",
          "Create the generator once in make_loader; the DataLoader advances it every epoch (do not re-seed per epoch).")
    ordered = _epoch(impl.make_loader(Indices(23), batch_size=5, shuffle=False, seed=0))
    check(ordered == list(range(23)), f"make_loader(..., shuffle=False) should keep the dataset's order, got {ordered}.",
          "shuffle=False means indices 0, 1, 2, ...")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("make_loader's order depends only on its seed",
                   ko="make_loader가 섞는 순서는 오직 시드로만 정해집니다")
def test_loader_order_depends_only_on_seed(impl):
    orders = []
    for seed, global_seed in ((3, 100), (3, 200), (4, 100)):
        first, second = two_epochs_after_global_seed(impl, 40, 8, seed, global_seed)
        orders.append(_epoch(first) + _epoch(second))
    check(orders[0] == orders[1], "two loaders made with seed=3 gave different orders once the global RNG had been "
          "used differently.", SEED_HINT)
    check(orders[0] != orders[2], "loaders made with seeds 3 and 4 gave the same order.", SEED_HINT)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("Digit batches are (64, 1, 12, 12) float32 images and int64 labels",
                   ko="digits 배치는 (64, 1, 12, 12) float32 이미지와 int64 레이블로 이루어집니다")
def test_digit_batches_have_shapes_and_dtypes(impl):
    dataset = impl.DigitsDataset(transform=impl.make_transform(0.3, 0.2))
    train, val = impl.split_train_val(dataset, 0.25, seed=0)
    batches = list(impl.make_loader(val, batch_size=64, shuffle=False, seed=0))
    check(len(batches) == 8, f"449 validation digits in batches of 64 should make 8 batches, got {len(batches)}.",
          "The last batch keeps the remaining 1 sample.")
    images, labels = batches[0]
    images = expect_tensor(images, "a batch of images")
    labels = expect_tensor(labels, "a batch of labels")
    check(tuple(images.shape) == (64, 1, 12, 12) and images.dtype == torch.float32,
          f"a batch of transformed digits should be (64, 1, 12, 12) float32, got {tuple(images.shape)} {images.dtype}.",
          "Each item is a (1, 12, 12) float32 image after make_transform.")
    check(tuple(labels.shape) == (64,) and labels.dtype == torch.int64,
          f"a batch of labels should be (64,) int64, got {tuple(labels.shape)} {labels.dtype}.",
          "Return labels as Python ints; the default collate makes an int64 tensor of them.")


def _sequences(seed, lengths, dtype=torch.int64, device="cpu"):
    generator = torch.Generator().manual_seed(seed)
    return [(torch.randint(1, 50, (n,), generator=generator, dtype=dtype).to(device), k % 3) for k, n in enumerate(lengths)]


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("pad_collate pads like pad_sequence and returns lengths and labels",
                   ko="pad_collate는 pad_sequence처럼 패딩하고 길이와 레이블을 함께 반환합니다")
def test_pad_collate_matches_pad_sequence(impl):
    batch = _sequences(0, (3, 6, 1, 4))
    out = expect_type(impl.pad_collate(batch), tuple, "pad_collate(batch)", "Return (padded, lengths, labels).")
    check(len(out) == 3, f"pad_collate should return (padded, lengths, labels), got {len(out)} values.")
    padded, lengths, labels = out
    want = pad_sequence([s for s, _ in batch], batch_first=True)
    assert_tensor(padded, want, "pad_collate(4 sequences of lengths 3, 6, 1, 4)[0]",
                  hint="pad_sequence(..., batch_first=True): its default puts time first, (longest, batch).")
    assert_tensor(lengths, torch.tensor([3, 6, 1, 4]), "the lengths from pad_collate",
                  hint="torch.tensor([len(s) for s in sequences]) (int64, on the CPU).")
    assert_tensor(labels, torch.tensor([0, 1, 2, 0]), "the labels from pad_collate", hint="int64 tensor of the labels.")
    padded = impl.pad_collate(batch, padding_value=-1)[0]
    assert_tensor(padded, pad_sequence([s for s, _ in batch], batch_first=True, padding_value=-1),
                  "pad_collate(batch, padding_value=-1)[0]", hint="Pass padding_value on to pad_sequence.")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("pad_collate pads each DataLoader batch to its longest sequence",
                   ko="pad_collate는 DataLoader의 각 배치를 그 안의 가장 긴 시퀀스에 맞춰 패딩합니다")
def test_pad_collate_works_in_a_dataloader(impl):
    data = _sequences(1, (5, 2, 7, 3, 3, 1, 6))
    batches = list(impl.make_loader(data, batch_size=3, shuffle=False, seed=0, collate_fn=impl.pad_collate))
    shapes = [tuple(expect_tensor(b[0], "a padded batch").shape) for b in batches]
    check(shapes == [(3, 7), (3, 3), (1, 6)], f"a DataLoader with collate_fn=pad_collate over lengths 5, 2, 7, 3, 3, 1, "
          f"6 in batches of 3 should give padded shapes [(3, 7), (3, 3), (1, 6)], got {shapes}.",
          "Pad each batch to its own longest sequence; pass collate_fn on to the DataLoader.")


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("pad_collate keeps the sequences' dtype and device, lengths on the CPU",
                   ko="pad_collate는 시퀀스의 dtype과 장치를 유지하고, 길이는 CPU에 둡니다")
def test_pad_collate_follows_sequence_device_and_dtype(impl):
    hint = ("pad_sequence keeps the sequences' dtype and device; do not build the padded tensor with torch.zeros(...) "
            "on the default device.")
    failure = None
    try:
        padded, lengths, _ = impl.pad_collate(_sequences(2, (2, 5), dtype=torch.int32, device="meta"))
    except NotImplementedError as error:
        if str(error).isidentifier():  # the untouched stub: reported as not started
            raise
        failure = str(error).splitlines()[0]  # raised below, outside this block, so it reads as a failure
    check(failure is None, f"pad_collate of int32 sequences on the meta device raised: {failure}", hint)
    padded, lengths = expect_tensor(padded, "padded"), expect_tensor(lengths, "lengths")
    check(padded.device.type == "meta" and padded.dtype == torch.int32 and tuple(padded.shape) == (2, 5),
          f"pad_collate of int32 sequences on the meta device: expected a (2, 5) int32 tensor on meta, got "
          f"{tuple(padded.shape)} {padded.dtype} on {padded.device}.", hint)
    check(lengths.device.type == "cpu" and lengths.dtype == torch.int64,
          f"lengths should be int64 on the CPU (pack_padded_sequence needs that), got {lengths.dtype} on {lengths.device}.",
          "torch.tensor([len(s) for s in sequences]).")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("pad_collate keeps CUDA sequences on CUDA and lengths on the CPU",
                   ko="pad_collate는 CUDA 시퀀스를 CUDA에 두고, 길이는 CPU에 둡니다")
def test_pad_collate_keeps_cuda_sequences_on_cuda(impl):
    batch = _sequences(3, (4, 2, 6), device="cuda")
    padded, lengths, _ = impl.pad_collate(batch)
    assert_tensor(padded, pad_sequence([s for s, _ in batch], batch_first=True), "pad_collate of CUDA sequences")
    check(lengths.device.type == "cpu", f"lengths should stay on the CPU, got {lengths.device}.",
          "pack_padded_sequence wants CPU lengths.")
