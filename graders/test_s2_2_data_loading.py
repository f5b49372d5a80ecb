"""2.2 Dataset and DataLoader: sklearn's digits read directly, transforms against F.pad + normalise,
splits and loaders by their properties (every sample once, order from the seed alone), padding
against nn.utils.rnn.pad_sequence; a file-backed dataset against the PNGs and CSV the judge writes itself."""
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader

from graders.observations.s2_2_data_loading import (
    Indices,
    global_draws_after_split,
    image_and_label_probes,
    recording_transform,
    seed_global_rng,
    unshuffled_loader,
)
from graders.support import errors
from graders.support.assertions import (
    assert_tensor,
    check,
    expect_tensor,
    expect_type,
    say,
)

SEED_HINT = say("Pass generator=torch.Generator().manual_seed(seed) to the DataLoader (or random_split): then the order "
                "comes from that seed alone, whatever else used the global RNG.",
                "DataLoader(또는 random_split)에 generator=torch.Generator().manual_seed(seed)를 넘기세요: 그러면 "
                "다른 코드가 전역 난수 생성기를 어떻게 썼든 순서는 그 시드만으로 정해집니다.")


def _parts(impl, n, val_fraction, seed):
    """The samples of both parts of split_train_val(Indices(n), val_fraction, seed), called directly."""
    parts = impl.split_train_val(Indices(n), val_fraction, seed=seed)
    check(isinstance(parts, (tuple, list)) and len(parts) == 2,
          say(f"split_train_val should return (train, val), got {parts!r:.100}.",
              f"split_train_val은 (train, val)을 반환해야 하는데 {parts!r:.100}입니다."))
    return [list(part) for part in parts]


@pytest.fixture(scope="module")
def sklearn_digits():
    from sklearn.datasets import load_digits
    data = load_digits()
    return torch.tensor(data.images, dtype=torch.float32).unsqueeze(1) / 16.0, torch.tensor(data.target)


def _epoch(loader):
    order = []
    for batch in loader:
        batch = expect_tensor(batch, say("a batch of the loader over Indices", "Indices에 대한 로더의 배치"),
                              say("Use the default collate_fn when none is given.",
                                  "collate_fn이 주어지지 않으면 기본 collate_fn을 쓰세요."))
        order += batch.tolist()
    return order


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("DigitsDataset returns sklearn's digits: (1, 8, 8) images, int labels",
                   ko="DigitsDataset은 sklearn의 digits를 shape가 (1, 8, 8)인 이미지와 int 레이블로 반환합니다")
def test_dataset_items_match_sklearn_digits(impl, sklearn_digits):
    images, labels = sklearn_digits
    dataset = impl.DigitsDataset()
    check(len(dataset) == 1797, say(f"len(DigitsDataset()) should be 1797, got {len(dataset)}.",
                                    f"len(DigitsDataset())의 값은 1797이어야 하는데 {len(dataset)}입니다."),
          say("__len__ returns the number of images.", "__len__은 이미지 개수를 반환합니다."))
    for i in (0, 5, 1000, 1796):
        item = expect_type(dataset[i], tuple, f"DigitsDataset()[{i}]",
                           say("Return (image, label).", "(image, label)을 반환하세요."))
        check(len(item) == 2, say(f"DigitsDataset()[{i}] should be (image, label), got {len(item)} values.",
                                  f"DigitsDataset()[{i}]: (image, label)이어야 하는데 값이 {len(item)}개입니다."))
        image, label = item
        assert_tensor(image, images[i], say(f"the image of DigitsDataset()[{i}]", f"DigitsDataset()[{i}]의 이미지"),
                      hint=say("load_digits().images as float32, divided by 16 (values 0..16 -> 0..1), with a channel axis "
                               "first: (1, 8, 8).",
                               "load_digits().images를 float32로 바꿔 16으로 나누고(값 0..16 -> 0..1), "
                               "채널 축을 맨 앞에 두세요: (1, 8, 8)."),
                      mistakes={(say("the pixels divided by 255, the range of 8-bit images (the digits' pixels run from 0 "
                                     "to 16)",
                                     "8비트 이미지처럼 픽셀을 255로 나눈 값입니다(digits의 픽셀 값은 0부터 16까지입니다)"),
                                 say("load_digits().images hold 0..16: divide by 16 to scale them to [0, 1].",
                                     "load_digits().images의 값은 0..16입니다: 16으로 나눠 [0, 1]로 맞추세요.")):
                                images[i] * 16 / 255,
                                (say("each image divided by its own largest pixel, not by the digits' fixed range 16",
                                     "digits의 고정된 범위 16이 아니라 이미지마다 그 이미지의 가장 큰 픽셀 값으로 나눈 값"),
                                 say("Divide every image by the same 16 (the range of load_digits().images), so that one "
                                     "pixel value means the same ink in every image.",
                                     "모든 이미지를 같은 값 16(load_digits().images의 범위)으로 나누세요. 그래야 같은 픽셀 "
                                     "값이 어느 이미지에서나 같은 농도를 뜻합니다.")):
                                images[i] / images[i].max()})
        check(type(label) is int and label == int(labels[i]),
              say(f"the label of DigitsDataset()[{i}]: expected the int "
                  f"{int(labels[i])}, got {label!r} ({type(label).__name__}).",
                  f"DigitsDataset()[{i}]의 레이블: {label!r}({type(label).__name__})입니다. "
                  f"기댓값은 int {int(labels[i])}입니다."),
              say("Return int(target[i]).", "int(target[i])를 반환하세요."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("DigitsDataset applies its transform once to each item",
                   ko="DigitsDataset은 각 항목에 transform을 한 번씩 적용합니다")
def test_dataset_applies_the_transform(impl, sklearn_digits):
    images, _ = sklearn_digits
    indices = (7, 1000, 3)
    transform = recording_transform(impl)
    dataset = impl.DigitsDataset(transform=transform)
    got = [dataset[index][0] for index in indices]
    seen = transform.seen
    hint = say(f"Apply self.transform to the one (1, 8, 8) image in __getitem__ (once, after scaling), not in __init__ "
               f"over all images; the transform was called on shapes {seen!r:.200}.",
               f"__getitem__에서 shape가 (1, 8, 8)인 이미지 하나에 self.transform을 적용하세요(스케일링 뒤에 한 번). __init__에서 "
               f"모든 이미지에 적용하지 마세요. transform이 호출될 때 받은 shape는 {seen!r:.200}입니다.")
    for index, image in zip(indices, got):
        assert_tensor(image, images[index] * 2 - 3,
                      say(f"DigitsDataset(transform=t)[{index}][0] for t(x) = 2x - x.dim() (2x - 3 on one (1, 8, 8) "
                          f"image)",
                          f"DigitsDataset(transform=t)[{index}][0](t(x) = 2x - x.dim(), shape가 (1, 8, 8)인 "
                          f"이미지 하나에는 2x - 3)"), hint=hint,
                      mistakes={(say("the transform was not applied: __getitem__ returned the image unchanged",
                                     "transform이 적용되지 않았습니다: __getitem__이 이미지를 그대로 반환했습니다"),
                                 say("Keeping self.transform is not enough: in __getitem__, pass the image through it when "
                                     "one was given.",
                                     "self.transform을 저장하는 것만으로는 부족합니다: transform이 주어졌으면 __getitem__에서 "
                                     "이미지를 그것에 통과시키세요.")): images[index],
                                (say("the transform was applied twice to each item", "각 항목에 transform을 두 번 적용했습니다"),
                                 hint): (images[index] * 2 - 3) * 2 - 3,
                                (say("the transform was applied before dividing by 16, to the raw 0..16 pixels",
                                     "16으로 나누기 전에, 0..16 범위의 원래 픽셀에 transform을 적용했습니다"),
                                 hint): (images[index] * 16 * 2 - 3) / 16,
                                (say("the transform was applied once to the whole (1797, 1, 8, 8) stack in __init__",
                                     "__init__에서 shape가 (1797, 1, 8, 8)인 전체 묶음에 transform을 한 번 적용했습니다"),
                                 hint): images[index] * 2 - 4})
    check(seen == [(1, 8, 8)] * len(indices),
          say(f"the transform should be called once per item on a (1, 8, 8) image; calls saw {seen!r:.200}.",
              f"transform은 항목마다 shape가 (1, 8, 8)인 이미지에 한 번씩 호출되어야 하는데, 호출될 때 받은 shape는 {seen!r:.200}입니다."),
          say("Call the transform in __getitem__, not in __init__ over all images.",
              "transform은 __init__에서 모든 이미지에 대해 부르지 말고 __getitem__에서 호출하세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("make_transform pads first, then normalizes",
                   ko="make_transform은 먼저 패딩한 뒤 정규화합니다")
def test_transform_pads_then_normalizes(impl):
    x = torch.rand(3, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    want = (F.pad(x, (2, 2, 2, 2)) - 0.3) / 0.2
    transform = impl.make_transform(0.3, 0.2)
    mistakes = {(say("normalised before padding: the border is raw 0, not (0 - mean) / std",
                     "패딩하기 전에 정규화했습니다: 테두리가 (0 - mean) / std가 아니라 그냥 0입니다"),
                 say("Mind the order of the steps: Pad first, then Normalize, so that the border is normalised like any "
                     "blank pixel.",
                     "단계의 순서에 주의하세요: Pad를 먼저 적용하세요. 그다음 Normalize를 해야 테두리도 다른 빈 픽셀처럼 "
                     "정규화됩니다.")): F.pad((x - 0.3) / 0.2, (2, 2, 2, 2)),
                (say("padded but not normalised: the Normalize step is missing",
                     "패딩만 하고 정규화하지 않았습니다: Normalize 단계가 빠졌습니다"),
                 say("After Pad, normalise with v2.Normalize([mean], [std]): (x - mean) / std per channel.",
                     "Pad 다음에 v2.Normalize([mean], [std])로 정규화하세요: 채널마다 (x - mean) / std입니다.")):
                F.pad(x, (2, 2, 2, 2))}
    assert_tensor(transform(x[0]), want[0], say("make_transform(0.3, 0.2)(image) for a (1, 8, 8) image",
                                                "shape가 (1, 8, 8)인 이미지에 대한 make_transform(0.3, 0.2)(image)"),
                  mistakes={mistake: value[0] for mistake, value in mistakes.items()},
                  hint=say("v2.Compose([v2.Pad(2), v2.Normalize([mean], [std])]): Pad first, so the order leaves a border "
                           "of (0 - mean) / std, not of raw zeros.",
                           "v2.Compose([v2.Pad(2), v2.Normalize([mean], [std])]): Pad를 먼저 적용하세요. 그래야 "
                           "테두리가 그냥 0이 아니라 (0 - mean) / std 값이 됩니다."))
    assert_tensor(transform(x), want, say("make_transform(0.3, 0.2) on a batch of shape (3, 1, 8, 8)",
                                          "shape가 (3, 1, 8, 8)인 배치에 대한 make_transform(0.3, 0.2)"), mistakes=mistakes)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("make_transform's augmentation is random but repeats under one seed",
                   ko="make_transform의 데이터 증강은 무작위이지만 같은 시드에서는 똑같이 재현됩니다")
def test_augmenting_transform_is_random_but_seeded(impl):
    x = torch.rand(1, 8, 8, generator=torch.Generator().manual_seed(1))
    transform = impl.make_transform(0.3, 0.2, augment=True)
    outputs = []
    for seed in (0, 0, 1, 2, 3):  # torchvision's random transforms draw from the student's process's global RNG
        seed_global_rng(impl, seed)
        outputs.append(transform(x))
    outputs = [expect_tensor(o, "make_transform(..., augment=True)(image)") for o in outputs]
    check(all(tuple(o.shape) == (1, 12, 12) and o.dtype == torch.float32 for o in outputs),
          say(f"make_transform(0.3, 0.2, augment=True) should give (1, 12, 12) float32, got {tuple(outputs[0].shape)} "
              f"{outputs[0].dtype}.",
              f"make_transform(0.3, 0.2, augment=True)는 shape가 (1, 12, 12)인 float32 텐서를 내야 하는데 "
              f"shape는 {tuple(outputs[0].shape)}, dtype은 {outputs[0].dtype}입니다."),
          say("Pad(2) makes 8 -> 12.", "Pad(2)는 8을 12로 만듭니다."))
    assert_tensor(outputs[1], outputs[0], say("two augmentations after the same torch.manual_seed",
                                              "같은 torch.manual_seed 뒤의 두 증강 결과"),
                  hint=say("torchvision's random transforms draw from torch's global RNG.",
                           "torchvision의 무작위 변환은 torch의 전역 난수 생성기에서 값을 뽑습니다."))
    check(sum(not torch.equal(o, outputs[0]) for o in outputs[2:]) >= 2,
          say("make_transform(..., augment=True) gave the same image for different seeds: no random augmentation.",
              "make_transform(..., augment=True)가 서로 다른 시드에서 같은 이미지를 냈습니다: 무작위 증강이 없습니다."),
          say("Add v2.RandomAffine(degrees=10, translate=(0.1, 0.1)) between Pad and Normalize when augment is True.",
              "augment가 True이면 Pad와 Normalize 사이에 v2.RandomAffine(degrees=10, translate=(0.1, 0.1))을 "
              "넣으세요."))
    from torchvision.transforms import v2
    affine = v2.RandomAffine(degrees=10, translate=(0.1, 0.1))
    pipeline = v2.Compose([v2.Pad(2), affine, v2.Normalize([0.3], [0.2])])
    misordered = {  # the same draws in another order: Pad and Normalize draw nothing from the RNG
        (say("the random affine applied after Normalize: the pixels it moves in are raw 0, not a normalised blank",
             "무작위 affine 변환을 Normalize 다음에 적용했습니다: 변환이 새로 채운 픽셀이 정규화된 빈 배경이 아니라 "
             "그냥 0입니다"),
         say("The order is Pad, then RandomAffine (only when augment is True), then Normalize last.",
             "순서는 Pad, 그다음 RandomAffine(augment가 True일 때만), 마지막으로 Normalize입니다.")):
        v2.Compose([v2.Pad(2), v2.Normalize([0.3], [0.2]), affine]),
        (say("the random affine applied before Pad: the digit is moved inside its 8x8 frame and cut at its edges",
             "무작위 affine 변환을 Pad보다 먼저 적용했습니다: 숫자가 8x8 틀 안에서 움직여 가장자리가 잘립니다"),
         say("Pad first (it makes room for the shift), then RandomAffine, then Normalize.",
             "먼저 Pad로 움직일 공간을 만들고, 그다음 RandomAffine, 마지막으로 Normalize를 적용하세요.")):
        v2.Compose([affine, v2.Pad(2), v2.Normalize([0.3], [0.2])])}
    for seed, out in zip((0, 0, 1, 2, 3), outputs):
        mistakes = {}
        for mistake, other in misordered.items():
            torch.manual_seed(seed)
            mistakes[mistake] = other(x)
        torch.manual_seed(seed)
        assert_tensor(out, pipeline(x), say(f"make_transform(0.3, 0.2, augment=True)(image) after "
                                            f"torch.manual_seed({seed}), against the same v2 pipeline",
                                            f"torch.manual_seed({seed}) 뒤의 make_transform(0.3, 0.2, augment=True)(image)"
                                            f"를 같은 v2 파이프라인과 비교한 결과"),
                      hint=say("Exactly v2.Pad(2), v2.RandomAffine(degrees=10, translate=(0.1, 0.1)), "
                               "v2.Normalize([mean], [std]), in that order.",
                               "정확히 v2.Pad(2), v2.RandomAffine(degrees=10, translate=(0.1, 0.1)), "
                               "v2.Normalize([mean], [std])를 이 순서대로 써야 합니다."), mistakes=mistakes)
    corners = [o[0, 0, 0].item() for o in outputs]
    check(all(abs(c - (0 - 0.3) / 0.2) < 1e-5 for c in corners),
          say(f"after augmentation a corner pixel should be blank, (0 - 0.3) / 0.2 = -1.5; got {corners}.",
              f"증강 뒤 모서리 픽셀은 빈 배경이므로 (0 - 0.3) / 0.2 = -1.5여야 하는데 {corners}입니다."),
          say("Normalize last, after Pad and RandomAffine (the affine fills with 0, which must be normalised too).",
              "Normalize는 Pad와 RandomAffine 다음, 마지막에 하세요(affine 변환은 0으로 채우며, 그 0도 정규화되어야 "
              "합니다)."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("split_train_val puts each sample in one part, shuffled by its seed",
                   ko="split_train_val은 모든 샘플을 두 부분 중 한 곳에만 넣고, 시드에 따라 섞습니다")
def test_split_is_disjoint_complete_and_seeded(impl, run_seed):
    train_ids, val_ids = _parts(impl, 103, 0.2, 7)
    # the global generator, seeded with a number drawn for this run, must give after the call what it gives untouched
    global_seed = int(torch.randint(2 ** 31 - 1, (1,), generator=torch.Generator().manual_seed(run_seed)))
    after = global_draws_after_split(impl, 103, 0.2, 7, global_seed)
    untouched = torch.randn(8, generator=torch.Generator().manual_seed(global_seed))
    changed_global_rng = not (type(after) is torch.Tensor and after.shape == untouched.shape
                              and after.dtype == untouched.dtype and bool((after == untouched).all()))
    check(not changed_global_rng, say("split_train_val changed the global random state.",
                                      "split_train_val이 전역 난수 상태를 바꿨습니다."), SEED_HINT)
    sizes = (len(train_ids), len(val_ids))
    swapped, rounded = sizes == (20, 83), sizes == (82, 21)  # 103 * 0.2 = 20.6: int() keeps 20, round() and ceil 21
    check(sizes == (83, 20),
          say(f"split_train_val(103 samples, 0.2): expected 83 train and 20 validation samples, got {sizes[0]} and "
              f"{sizes[1]}"
              + (": the two sizes are swapped, the training part got the validation size." if swapped else
                 ": the validation size 103 * 0.2 = 20.6 was rounded up, not cut to int." if rounded else "."),
              f"split_train_val(샘플 103개, 0.2): 학습 샘플 83개와 검증 샘플 20개여야 하는데 학습 {sizes[0]}개, 검증 "
              f"{sizes[1]}개입니다"
              + (": 두 크기가 뒤바뀌었습니다. 학습 부분이 검증 크기를 받았습니다." if swapped else
                 ": 검증 크기 103 * 0.2 = 20.6을 int로 버리지 않고 올림했습니다." if rounded else ".")),
          say("random_split returns its parts in the order of its lengths: [len(dataset) - n_val, n_val] for (train, val), "
              "with n_val = int(len(dataset) * val_fraction) (int cuts 20.6 to 20)." if swapped or rounded else
              "n_val = int(len(dataset) * val_fraction).",
              "random_split은 lengths의 순서대로 부분을 반환합니다: (train, val)이면 [len(dataset) - n_val, n_val]이고, "
              "n_val = int(len(dataset) * val_fraction)입니다(int는 20.6을 20으로 버립니다)." if swapped or rounded else
              "n_val = int(len(dataset) * val_fraction)입니다."))
    check(sorted(train_ids + val_ids) == list(range(103)), say("the train and validation parts should hold every sample "
                                                               "exactly once.",
                                                               "학습 부분과 검증 부분에 모든 샘플이 정확히 한 번씩 "
                                                               "들어 있어야 합니다."),
          say("Split a permutation of the indices; do not sample with replacement.",
              "인덱스의 순열을 나누세요. 복원 추출하지 마세요."))
    check(val_ids != list(range(83, 103)) and val_ids != list(range(20)), say("the validation part is a contiguous block of "
                                                                              "the dataset, not a random split.",
                                                                              "검증 부분이 무작위 분할이 아니라 데이터셋의 "
                                                                              "연속된 구간입니다."),
          say("Shuffle the indices (random_split or torch.randperm) before cutting.",
              "나누기 전에 인덱스를 섞으세요(random_split 또는 torch.randperm)."))
    seed_global_rng(impl, 999)
    again = _parts(impl, 103, 0.2, 7)[1]
    other = _parts(impl, 103, 0.2, 8)[1]
    check(again == val_ids, say("split_train_val with the same seed gave another split after the global seed changed.",
                                "전역 시드가 바뀐 뒤 같은 시드로 호출한 split_train_val이 다른 분할을 냈습니다."),
          SEED_HINT)
    check(other != val_ids, say("split_train_val gave the same split for seeds 7 and 8.",
                                "split_train_val이 시드 7과 8에서 같은 분할을 냈습니다."), SEED_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("make_loader visits every sample once per epoch, reshuffling each time",
                   ko="make_loader는 에폭마다 새로 섞어 모든 샘플을 한 번씩 방문합니다")
def test_loader_visits_every_sample_once_per_epoch(impl):
    loader = impl.make_loader(Indices(23), batch_size=5, shuffle=True, seed=0)
    sizes = [len(batch) for batch in loader]
    check(sizes == [5, 5, 5, 5, 3], say(f"batch sizes over 23 samples in batches of 5: expected [5, 5, 5, 5, 3], got {sizes}.",
                                        f"샘플 23개를 5개씩 나눈 배치 크기: [5, 5, 5, 5, 3]이어야 하는데 {sizes}입니다."),
          say("Keep the last, smaller batch (drop_last=False, the default).",
              "마지막의 더 작은 배치도 남기세요(drop_last=False, 기본값)."))
    first, second = _epoch(loader), _epoch(loader)
    for n, order in ((1, first), (2, second)):
        check(sorted(order) == list(range(23)), say(f"epoch {n} of make_loader(23 samples, shuffle=True) should visit every "
                                                    f"sample once, got {sorted(order)}.",
                                                    f"make_loader(샘플 23개, shuffle=True)의 에폭 {n}: 모든 샘플을 한 번씩 "
                                                    f"방문해야 하는데 {sorted(order)}입니다."),
              say("Let the DataLoader's sampler draw the order; do not drop_last.",
                  "순서는 DataLoader의 sampler가 정하게 두세요. drop_last를 쓰지 마세요."))
    check(first != list(range(23)), say("make_loader(..., shuffle=True) returned the samples in order.",
                                        "make_loader(..., shuffle=True)가 샘플을 순서대로 반환했습니다."),
          say("Pass shuffle=shuffle to the DataLoader.", "DataLoader에 shuffle=shuffle을 넘기세요."))
    check(first != second, say("two epochs of the same shuffled loader gave the same order.",
                               "섞도록 만든 같은 로더에서 두 에폭의 순서가 똑같습니다."),
          say("Create the generator once in make_loader; the DataLoader advances it every epoch (do not re-seed per epoch).",
              "generator는 make_loader에서 한 번만 만드세요. DataLoader가 에폭마다 그 상태를 진행시킵니다"
              "(에폭마다 시드를 다시 주지 마세요)."))
    ordered = _epoch(impl.make_loader(Indices(23), batch_size=5, shuffle=False, seed=0))
    check(ordered == list(range(23)), say(f"make_loader(..., shuffle=False) should keep the dataset's order, got {ordered}.",
                                          f"make_loader(..., shuffle=False)는 데이터셋의 순서를 유지해야 하는데 "
                                          f"{ordered}입니다."),
          say("shuffle=False means indices 0, 1, 2, ...", "shuffle=False는 인덱스 0, 1, 2, ... 순서를 뜻합니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("make_loader's order depends only on its seed",
                   ko="make_loader가 섞는 순서는 시드만으로 정해집니다")
def test_loader_order_depends_only_on_seed(impl):
    orders = []
    for seed, global_seed in ((3, 100), (3, 200), (4, 100)):
        loader = impl.make_loader(Indices(40), batch_size=8, shuffle=True, seed=seed)
        seed_global_rng(impl, global_seed)  # whatever the rest of the program did with the global RNG
        orders.append(_epoch(loader) + _epoch(loader))
    check(orders[0] == orders[1], say("two loaders made with seed=3 gave different orders once the global RNG had been "
                                      "used differently.",
                                      "seed=3으로 만든 두 로더가 전역 난수 생성기를 다르게 사용한 뒤 서로 다른 순서를 "
                                      "냈습니다."), SEED_HINT)
    check(orders[0] != orders[2], say("loaders made with seeds 3 and 4 gave the same order.",
                                      "시드 3과 4로 만든 로더가 같은 순서를 냈습니다."), SEED_HINT)
    # The reseeding of the global RNG above runs in the student's process; the order a loader that reseeds the global
    # RNG itself (torch.manual_seed(seed), then no generator) gives when nothing else touches it, the judge computes.
    for seed, order in ((3, orders[0]), (4, orders[2])):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            reseeding = DataLoader(Indices(40), batch_size=8, shuffle=True)
            global_order = _epoch(reseeding) + _epoch(reseeding)
        check(order != global_order, say(f"make_loader(..., seed={seed}) gave exactly the order of torch.manual_seed({seed}) "
                                         "followed by a DataLoader without a generator: it draws from the global RNG.",
                                         f"make_loader(..., seed={seed})가 torch.manual_seed({seed}) 다음 generator 없는 "
                                         "DataLoader의 순서와 정확히 같은 순서를 냈습니다: 전역 난수 생성기에서 값을 "
                                         "뽑고 있습니다."), SEED_HINT)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("Digit batches are (64, 1, 12, 12) float32 images and int64 labels",
                   ko="digits 배치는 shape가 (64, 1, 12, 12)인 float32 이미지와 int64 레이블로 이루어집니다")
def test_digit_batches_have_shapes_and_dtypes(impl):
    dataset = impl.DigitsDataset(transform=impl.make_transform(0.3, 0.2))
    train, val = impl.split_train_val(dataset, 0.25, seed=0)
    batches = list(impl.make_loader(val, batch_size=64, shuffle=False, seed=0))
    check(len(batches) == 8, say(f"449 validation digits in batches of 64 should make 8 batches, got {len(batches)}.",
                                 f"검증용 digits 449개를 64개씩 나누면 배치가 8개여야 하는데 {len(batches)}개입니다."),
          say("The last batch keeps the remaining 1 sample.", "마지막 배치에는 남은 샘플 1개가 들어갑니다."))
    images, labels = batches[0]
    images = expect_tensor(images, say("a batch of images", "이미지 배치"))
    labels = expect_tensor(labels, say("a batch of labels", "레이블 배치"))
    check(tuple(images.shape) == (64, 1, 12, 12) and images.dtype == torch.float32,
          say(f"a batch of transformed digits should be (64, 1, 12, 12) float32, got {tuple(images.shape)} {images.dtype}.",
              f"변환된 digits 배치는 shape가 (64, 1, 12, 12)인 float32 텐서여야 하는데 shape는 {tuple(images.shape)}, dtype은 {images.dtype}입니다."),
          say("Each item is a (1, 12, 12) float32 image after make_transform.",
              "make_transform을 거친 각 항목은 shape가 (1, 12, 12)인 float32 이미지입니다."))
    check(tuple(labels.shape) == (64,) and labels.dtype == torch.int64,
          say(f"a batch of labels should be (64,) int64, got {tuple(labels.shape)} {labels.dtype}.",
              f"레이블 배치는 shape가 (64,)인 int64 텐서여야 하는데 shape는 {tuple(labels.shape)}, dtype은 {labels.dtype}입니다."),
          say("Return labels as Python ints; the default collate makes an int64 tensor of them.",
              "레이블은 Python int로 반환하세요. 기본 collate가 이를 int64 텐서로 만들어 줍니다."))


def _sequences(seed, lengths, dtype=torch.int64, device="cpu"):
    generator = torch.Generator().manual_seed(seed)
    return [(torch.randint(1, 50, (n,), generator=generator, dtype=dtype).to(device), k % 3) for k, n in enumerate(lengths)]


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("pad_collate pads like pad_sequence and returns lengths and labels",
                   ko="pad_collate는 pad_sequence처럼 패딩하고 길이와 레이블을 함께 반환합니다")
def test_pad_collate_matches_pad_sequence(impl):
    batch = _sequences(0, (3, 6, 1, 4))
    batch[1][0][2] = 0  # a token equal to the padding value inside a sequence: its length still counts it
    out = expect_type(impl.pad_collate(batch), tuple, "pad_collate(batch)",
                      say("Return (padded, lengths, labels).", "(padded, lengths, labels)를 반환하세요."))
    check(len(out) == 3, say(f"pad_collate should return (padded, lengths, labels), got {len(out)} values.",
                             f"pad_collate는 (padded, lengths, labels)를 반환해야 하는데 값이 {len(out)}개입니다."))
    padded, lengths, labels = out
    sequences = [s for s, _ in batch]
    want = pad_sequence(sequences, batch_first=True)
    time_first = say("pad_sequence(..., batch_first=True): its default puts time first, (longest, batch).",
                     "pad_sequence(..., batch_first=True)를 쓰세요: 기본값은 시간 축을 앞에 둔 (longest, batch)입니다.")
    longest_first = sorted(range(len(batch)), key=lambda k: -len(sequences[k]))
    sorted_rows = (say("the batch sorted longest first, not kept in its order",
                       "배치를 원래 순서대로 두지 않고 긴 것부터 정렬했습니다"),
                   say("Keep the batch's order: row i, lengths[i] and labels[i] belong to batch[i], which the caller pairs "
                       "with other data by position (pack_padded_sequence(..., enforce_sorted=False) takes any order).",
                       "배치 순서를 유지하세요: i번째 행, lengths[i], labels[i]는 batch[i]의 것이고, 호출하는 쪽은 위치로 "
                       "다른 데이터와 짝을 맞춥니다(pack_padded_sequence(..., enforce_sorted=False)는 어떤 순서든 "
                       "받습니다)."))
    assert_tensor(padded, want, say("pad_collate(4 sequences of lengths 3, 6, 1, 4)[0]",
                                    "pad_collate(길이 3, 6, 1, 4인 시퀀스 4개)[0]"), hint=time_first,
                  mistakes={(say("time first, (longest, batch): pad_sequence's default layout",
                                 "시간 축이 앞에 있는 (longest, batch)입니다: pad_sequence의 기본 배치입니다"),
                             time_first): want.T,
                            sorted_rows: want[longest_first]})
    assert_tensor(lengths, torch.tensor([3, 6, 1, 4]), say("the lengths from pad_collate", "pad_collate가 반환한 길이"),
                  hint=say("torch.tensor([len(s) for s in sequences]) (int64, on the CPU).",
                           "torch.tensor([len(s) for s in sequences])(int64, CPU)를 쓰세요."),
                  mistakes={(say("every length is the longest one: the lengths were measured after padding",
                                 "모든 길이가 가장 긴 길이입니다: 길이를 패딩한 뒤에 쟀습니다"),
                             say("Measure each sequence before padding (len(s) for each s in the batch): the padded rows "
                                 "all have the longest length, and pack_padded_sequence would read the padding as data.",
                                 "패딩하기 전에 시퀀스마다 길이를 재세요(배치의 각 s에 대해 len(s)). 패딩된 행은 모두 "
                                 "가장 긴 길이이고, 그러면 pack_padded_sequence가 패딩을 데이터로 읽습니다.")):
                            torch.full((len(batch),), want.shape[1]),
                            (say("the lengths counted as the values that differ from padding_value: a token equal to it "
                                 "inside a sequence (here a 0 in the second) was not counted",
                                 "lengths를 padding_value와 다른 값의 개수로 셌습니다: 시퀀스 안에 있는 같은 값의 토큰"
                                 "(여기서는 두 번째 시퀀스의 0)이 세어지지 않았습니다"),
                             say("Take each sequence's len(s) before padding: a sequence may hold the padding value as data.",
                                 "패딩하기 전에 시퀀스마다 len(s)를 재세요: 시퀀스가 패딩 값과 같은 값을 데이터로 가질 수 "
                                 "있습니다.")): (want != 0).sum(dim=1),
                            sorted_rows: torch.tensor([3, 6, 1, 4])[longest_first]})
    assert_tensor(labels, torch.tensor([0, 1, 2, 0]), say("the labels from pad_collate", "pad_collate가 반환한 레이블"),
                  hint=say("int64 tensor of the labels.", "레이블을 담은 int64 텐서입니다."),
                  mistakes={sorted_rows: torch.tensor([0, 1, 2, 0])[longest_first]})
    padded = impl.pad_collate(batch, padding_value=-1)[0]
    assert_tensor(padded, pad_sequence(sequences, batch_first=True, padding_value=-1),
                  "pad_collate(batch, padding_value=-1)[0]",
                  hint=say("Pass padding_value on to pad_sequence.", "padding_value를 pad_sequence에 넘기세요."),
                  mistakes={(say("padded with 0 whatever the caller asked: padding_value was not used",
                                 "호출한 쪽이 무엇을 요청하든 0으로 패딩했습니다: padding_value를 쓰지 않았습니다"),
                             say("Pass padding_value on to pad_sequence (or fill with it), instead of its default 0.",
                                 "pad_sequence의 기본값 0 대신 padding_value를 넘기세요(또는 그 값으로 채우세요).")):
                            want})


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("pad_collate pads each DataLoader batch to its longest sequence",
                   ko="pad_collate는 DataLoader의 각 배치를 그 안의 가장 긴 시퀀스에 맞춰 패딩합니다")
def test_pad_collate_works_in_a_dataloader(impl):
    data = _sequences(1, (5, 2, 7, 3, 3, 1, 6))
    batches = list(impl.make_loader(data, batch_size=3, shuffle=False, seed=0, collate_fn=impl.pad_collate))
    shapes = [tuple(expect_tensor(b[0], say("a padded batch", "패딩된 배치")).shape) for b in batches]
    check(shapes == [(3, 7), (3, 3), (1, 6)], say(f"a DataLoader with collate_fn=pad_collate over lengths 5, 2, 7, 3, 3, 1, "
                                                  f"6 in batches of 3 should give padded shapes [(3, 7), (3, 3), (1, 6)], "
                                                  f"got {shapes}.",
                                                  f"길이가 5, 2, 7, 3, 3, 1, 6인 시퀀스를 3개씩 묶는 "
                                                  f"DataLoader(collate_fn=pad_collate)의 패딩된 shape는 {shapes}입니다. "
                                                  f"기댓값은 [(3, 7), (3, 3), (1, 6)]입니다."),
          say("Pad each batch to its own longest sequence; pass collate_fn on to the DataLoader.",
              "각 배치는 그 안의 가장 긴 시퀀스에 맞춰 패딩하세요. collate_fn을 DataLoader에 넘기세요."))


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("pad_collate keeps the sequences' dtype and device, lengths on the CPU",
                   ko="pad_collate는 시퀀스의 dtype과 장치를 유지하고, 길이는 CPU에 둡니다")
def test_pad_collate_follows_sequence_device_and_dtype(impl):
    hint = say("pad_sequence keeps the sequences' dtype and device; do not build the padded tensor with torch.zeros(...) "
               "on the default device.",
               "pad_sequence는 시퀀스의 dtype과 장치를 유지합니다. 패딩된 텐서를 기본 장치에 "
               "torch.zeros(...)로 만들지 마세요.")
    padded, lengths, _ = errors.calling(say("pad_collate of int32 sequences on the meta device",
                                            "meta 장치에 있는 int32 시퀀스에 대한 pad_collate"), hint,
                                        impl.pad_collate, _sequences(2, (2, 5), dtype=torch.int32, device="meta"))
    assert_tensor(padded, torch.empty(2, 5, dtype=torch.int32, device="meta"),
                  say("padded, from pad_collate of int32 sequences on the meta device",
                      "meta 장치에 있는 int32 시퀀스에 대한 pad_collate의 padded"), hint=hint)
    lengths = expect_tensor(lengths, "lengths")
    check(lengths.device.type == "cpu" and lengths.dtype == torch.int64,
          say(f"lengths should be int64 on the CPU (pack_padded_sequence needs that), got {lengths.dtype} on {lengths.device}.",
              f"lengths는 CPU에 있는 int64여야 하는데(pack_padded_sequence가 그렇게 요구합니다) {lengths.device}에 "
              f"있는 {lengths.dtype}입니다."),
          say("torch.tensor([len(s) for s in sequences]).", "torch.tensor([len(s) for s in sequences])를 쓰세요."))
    batch = _sequences(4, (3, 1, 4), dtype=torch.int32)  # the same promise with values the judge can compare
    padded, lengths, _ = errors.calling(say("pad_collate of int32 sequences on the CPU",
                                            "CPU에 있는 int32 시퀀스에 대한 pad_collate"), hint, impl.pad_collate, batch)
    assert_tensor(padded, pad_sequence([s for s, _ in batch], batch_first=True),
                  say("padded, from pad_collate of int32 sequences", "int32 시퀀스에 대한 pad_collate의 padded"), hint=hint)
    assert_tensor(lengths, torch.tensor([3, 1, 4]), say("lengths, from pad_collate of int32 sequences",
                                                        "int32 시퀀스에 대한 pad_collate의 lengths"))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("pad_collate keeps CUDA sequences on CUDA and lengths on the CPU",
                   ko="pad_collate는 CUDA 시퀀스를 CUDA에 두고, 길이는 CPU에 둡니다")
def test_pad_collate_keeps_cuda_sequences_on_cuda(impl):
    batch = _sequences(3, (4, 2, 6), device="cuda")
    padded, lengths, _ = impl.pad_collate(batch)
    assert_tensor(padded, pad_sequence([s for s, _ in batch], batch_first=True),
                  say("pad_collate of CUDA sequences", "CUDA 시퀀스에 대한 pad_collate"))
    check(lengths.device.type == "cpu", say(f"lengths should stay on the CPU, got {lengths.device}.",
                                            f"lengths는 CPU에 있어야 하는데 {lengths.device}에 있습니다."),
          say("pack_padded_sequence wants CPU lengths.", "pack_padded_sequence는 CPU에 있는 길이를 요구합니다."))


# -- a file-backed Dataset: the judge writes the folder (PNGs and a CSV of labels) and knows every pixel ---------------
FOLDER_SIZE, IMAGE_SHAPE = 7, (3, 6, 5)  # height 6, width 5: a (height, width) swap shows in the shape
LAZY_HINT = say("Read the image file in __getitem__ (decode_image(os.path.join(img_dir, name))); __init__ reads the CSV "
                "only.",
                "이미지 파일은 __getitem__에서 읽으세요(decode_image(os.path.join(img_dir, name))). __init__에서는 CSV만 "
                "읽습니다.")


def _write_png(image, path):
    import warnings

    from torchvision.io import write_png
    with warnings.catch_warnings():  # torchvision 0.29 marks its image codecs deprecated (TorchCodec); they still work
        warnings.simplefilter("ignore", DeprecationWarning)
        write_png(image, str(path))


def _image_folder(root, seed):
    """The judge's own folder: FOLDER_SIZE PNGs of IMAGE_SHAPE drawn from `seed`, listed in labels.csv (no header) in an
    order that is not the names' order, with labels drawn too, and one more PNG that the CSV does not list."""
    generator = torch.Generator().manual_seed(seed)
    numbers = torch.randperm(40, generator=generator)[:FOLDER_SIZE + 1].tolist()
    if numbers[:FOLDER_SIZE] == sorted(numbers[:FOLDER_SIZE]):
        numbers[:FOLDER_SIZE] = numbers[:FOLDER_SIZE][::-1]
    names = [f"img_{k:02d}.png" for k in numbers]
    images = [torch.randint(0, 256, IMAGE_SHAPE, generator=generator, dtype=torch.uint8) for _ in names]
    labels = torch.randint(0, 5, (FOLDER_SIZE,), generator=generator).tolist()
    img_dir = root / "images"
    img_dir.mkdir()
    for name, image in zip(names, images):
        _write_png(image, img_dir / name)
    csv_path = root / "labels.csv"
    csv_path.write_text("".join(f"{name},{label}\n" for name, label in zip(names, labels)))
    by_name = dict(zip(names, images))
    listed = sorted(by_name)  # what a dataset that lists the folder instead of reading the CSV sees
    return {"csv": str(csv_path), "dir": str(img_dir), "names": names[:FOLDER_SIZE], "images": images[:FOLDER_SIZE],
            "labels": labels, "listed": [by_name[name] for name in listed]}


def _item(dataset, index, what):
    item = expect_type(dataset[index], tuple, f"{what}[{index}]", say("Return (image, label).", "(image, label)을 반환하세요."))
    check(len(item) == 2, say(f"{what}[{index}] should be (image, label), got {len(item)} values.",
                              f"{what}[{index}]: (image, label)이어야 하는데 값이 {len(item)}개입니다."))
    return item


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("CustomImageDataset returns the CSV's lines: each image file's uint8 pixels and its int label",
                   ko="CustomImageDataset은 CSV의 각 줄을 반환합니다: 이미지 파일의 uint8 픽셀과 int 레이블")
def test_custom_dataset_reads_the_csv_and_its_images(impl, tmp_path, run_seed):
    folder = _image_folder(tmp_path, run_seed)
    dataset = impl.CustomImageDataset(folder["csv"], folder["dir"])
    n = len(dataset)
    check(n == FOLDER_SIZE,
          say(f"len(CustomImageDataset(...)) should be {FOLDER_SIZE}, the CSV's lines, got {n}"
              + (": the first line was taken for a header." if n == FOLDER_SIZE - 1 else
                 ": the folder's files were counted, but it holds one file the CSV does not list." if n == FOLDER_SIZE + 1
                 else "."),
              f"len(CustomImageDataset(...))는 CSV의 줄 수와 같아야 합니다(기댓값 {FOLDER_SIZE}, 결과 {n})"
              + (": 첫 줄을 헤더로 읽었습니다." if n == FOLDER_SIZE - 1 else
                 ": 폴더의 파일 수를 셌지만, 폴더에는 CSV에 없는 파일이 하나 있습니다." if n == FOLDER_SIZE + 1 else ".")),
          say("The CSV has no header row: csv.reader(f), or pandas.read_csv(path, header=None); __len__ is its number of "
              "lines.",
              "CSV에는 헤더 줄이 없습니다: csv.reader(f)나 pandas.read_csv(path, header=None)를 쓰세요. __len__은 그 줄 "
              "수입니다."))
    hint = say("image = decode_image(os.path.join(img_dir, name)): uint8, (channels, height, width), not scaled.",
               "image = decode_image(os.path.join(img_dir, name)): uint8, (channels, height, width)이고, 스케일을 바꾸지 "
               "않습니다.")
    for i in range(FOLDER_SIZE):
        image, label = _item(dataset, i, "CustomImageDataset(...)")
        want = folder["images"][i]
        assert_tensor(image, want, say(f"the image of CustomImageDataset(...)[{i}] ({folder['names'][i]}, line {i + 1} "
                                       f"of the CSV)",
                                       f"CustomImageDataset(...)[{i}]의 이미지(CSV의 {i + 1}번째 줄, {folder['names'][i]})"),
                      hint=hint,
                      mistakes={say("the pixels converted to float and divided by 255",
                                    "픽셀을 float로 바꿔 255로 나눈 값"): want.float() / 255,
                                (say("the channels last, (height, width, channels), as PIL and NumPy give them",
                                     "PIL이나 NumPy처럼 채널을 마지막에 둔 (height, width, channels)"),
                                 say("decode_image gives (channels, height, width); after PIL and NumPy, permute(2, 0, 1).",
                                     "decode_image는 (channels, height, width)를 줍니다. PIL과 NumPy를 썼다면 "
                                     "permute(2, 0, 1) 하세요.")): want.permute(1, 2, 0),
                                (say("the image of the folder's files in sorted order, not of the CSV's line",
                                     "CSV의 줄이 아니라 정렬한 폴더 파일 순서의 이미지"),
                                 say("Sample i is line i of the CSV: open the file it names.",
                                     "i번째 샘플은 CSV의 i번째 줄입니다: 그 줄이 가리키는 파일을 여세요.")):
                                folder["listed"][i]})
        check(type(label) is int and label == folder["labels"][i],
              say(f"the label of CustomImageDataset(...)[{i}]: expected the int {folder['labels'][i]} (line {i + 1} of the "
                  f"CSV), got {label!r:.40} ({type(label).__name__}).",
                  f"CustomImageDataset(...)[{i}]의 레이블은 CSV {i + 1}번째 줄의 int 값이어야 합니다(기댓값 "
                  f"{folder['labels'][i]}, 결과 {label!r:.40}, 타입 {type(label).__name__})."),
              say("The CSV gives text: int(label).", "CSV에서 읽은 값은 문자열입니다: int(label)로 바꾸세요."))
    grey_dir = tmp_path / "grey"  # a grey file: decode_image gives its one channel, as the file holds it
    grey_dir.mkdir()
    grey = torch.randint(0, 256, (1, *IMAGE_SHAPE[1:]), generator=torch.Generator().manual_seed(run_seed + 5),
                         dtype=torch.uint8)
    _write_png(grey, grey_dir / "grey.png")
    (tmp_path / "grey.csv").write_text("grey.png,4\n")
    image, _ = _item(impl.CustomImageDataset(tmp_path / "grey.csv", grey_dir), 0, "CustomImageDataset(grey.csv, ...)")
    assert_tensor(image, grey, say("CustomImageDataset(...)[0] of a one-channel (grey) PNG",
                                   "채널이 하나인(흑백) PNG에 대한 CustomImageDataset(...)[0]"),
                  hint=say("decode_image(path) keeps the channels the file has (1 for grey, 3 for RGB); do not convert to "
                           "RGB.",
                           "decode_image(path)는 파일에 있는 채널 수를 그대로 둡니다(흑백은 1, RGB는 3). RGB로 바꾸지 "
                           "마세요."),
                  mistakes={say("the grey image converted to 3 channels (RGB): decode_image(path) keeps the file's one "
                                "channel",
                                "흑백 이미지를 채널 3개(RGB)로 바꿨습니다: decode_image(path)는 파일의 채널 하나를 그대로 "
                                "둡니다"): grey.expand(3, -1, -1)})


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("CustomImageDataset applies transform to the image and target_transform to the label",
                   ko="CustomImageDataset은 transform을 이미지에, target_transform을 레이블에 적용합니다")
def test_custom_dataset_applies_transform_and_target_transform(impl, tmp_path, run_seed):
    folder = _image_folder(tmp_path, run_seed + 1)
    image_probe, label_probe = image_and_label_probes(impl)
    dataset = impl.CustomImageDataset(folder["csv"], folder["dir"], transform=image_probe, target_transform=label_probe)
    indices = (3, 0, 6)
    got = [_item(dataset, i, "CustomImageDataset(..., transform=t, target_transform=u)") for i in indices]
    seen_images, seen_labels = image_probe.seen, label_probe.seen
    hint = say(f"In __getitem__: image = self.transform(image) and label = self.target_transform(label), each once; the "
               f"transform was called on {seen_images!r:.120}, the target_transform on {seen_labels!r:.120}.",
               f"__getitem__에서 image = self.transform(image), label = self.target_transform(label)을 한 번씩 하세요. "
               f"transform은 {seen_images!r:.120}에, target_transform은 {seen_labels!r:.120}에 호출되었습니다.")
    for i, (image, label) in zip(indices, got):
        want = folder["images"][i]
        check(not (type(label) is int and label == -1),  # what the image transform t gives for anything but a tensor
              say(f"CustomImageDataset(..., transform=t, target_transform=u)[{i}][1] is -1, what t gives for a label: "
                  f"transform was applied to the label and target_transform to the image.",
                  f"CustomImageDataset(..., transform=t, target_transform=u)[{i}][1]이 t가 레이블에 주는 값인 -1입니다: "
                  f"transform을 레이블에, target_transform을 이미지에 적용했습니다."),
              say("transform is for the image, target_transform for the label.",
                  "transform은 이미지에, target_transform은 레이블에 적용합니다."))
        assert_tensor(image, want.to(torch.float32) * 2 - 3,
                      say(f"CustomImageDataset(..., transform=t)[{i}][0] for t(x) = 2 * float(x) - 3",
                          f"t(x) = 2 * float(x) - 3일 때 CustomImageDataset(..., transform=t)[{i}][0]"), hint=hint,
                      mistakes={say("the transform was not applied", "transform이 적용되지 않았습니다"): want})
        check(type(label) is int and label == folder["labels"][i] * 10 + 7,
              say(f"CustomImageDataset(..., target_transform=u)[{i}][1] for u(y) = 10 * y + 7 on the int label "
                  f"{folder['labels'][i]}: expected {folder['labels'][i] * 10 + 7}, got {label!r:.40}"
                  + (" (the label without target_transform)." if label == folder["labels"][i] else "."),
                  f"int 레이블 {folder['labels'][i]}에 u(y) = 10 * y + 7을 적용한 CustomImageDataset(..., "
                  f"target_transform=u)[{i}][1]: 기댓값은 {folder['labels'][i] * 10 + 7}, 결과는 {label!r:.40}입니다"
                  + ("(target_transform을 적용하지 않은 레이블)." if label == folder["labels"][i] else ".")), hint)
    check(seen_images == [IMAGE_SHAPE] * len(indices) and seen_labels == ["int"] * len(indices),
          say(f"for {len(indices)} items, transform should be called once per item on a {IMAGE_SHAPE} image and "
              f"target_transform once on an int label; they saw {seen_images!r:.120} and {seen_labels!r:.120}.",
              f"항목 {len(indices)}개에 대해 transform은 항목마다 shape가 {IMAGE_SHAPE}인 이미지에 한 번, "
              f"target_transform은 int 레이블에 한 번 호출되어야 하는데, 받은 값은 이미지 쪽 {seen_images!r:.120}, "
              f"레이블 쪽 {seen_labels!r:.120}입니다."), hint)
    _, label_only = image_and_label_probes(impl)  # a target_transform alone: the label is transformed all the same
    alone = impl.CustomImageDataset(folder["csv"], folder["dir"], target_transform=label_only)
    for i in (2, 5):
        image, label = _item(alone, i, "CustomImageDataset(..., target_transform=u)")
        assert_tensor(image, folder["images"][i], say(f"CustomImageDataset(..., target_transform=u)[{i}][0], no transform "
                                                      f"given",
                                                      f"transform 없이 만든 CustomImageDataset(..., target_transform=u)"
                                                      f"[{i}][0]"))
        want = folder["labels"][i] * 10 + 7
        check(type(label) is int and label == want,
              say(f"CustomImageDataset(..., target_transform=u)[{i}][1] with no transform: expected u(y) = 10 * y + 7 = "
                  f"{want}, got {label!r:.40}"
                  + (": target_transform was applied only when a transform was given too." if label == folder["labels"][i]
                     else "."),
                  f"transform 없이 만든 CustomImageDataset(..., target_transform=u)[{i}][1]: 기댓값은 u(y) = 10 * y + 7 "
                  f"= {want}, 결과는 {label!r:.40}입니다"
                  + (": target_transform을 transform도 주어졌을 때만 적용했습니다." if label == folder["labels"][i]
                     else ".")),
              say("The two are independent: `if self.target_transform is not None: label = self.target_transform(label)` "
                  "on its own, not inside the transform's if.",
                  "두 변환은 서로 독립입니다: `if self.target_transform is not None: label = self.target_transform(label)`"
                  "을 transform의 if 안이 아니라 따로 두세요."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("CustomImageDataset reads each image file when the item is asked for",
                   ko="CustomImageDataset은 항목을 요청받을 때 이미지 파일을 읽습니다")
def test_custom_dataset_reads_files_in_getitem(impl, tmp_path, run_seed):
    folder = _image_folder(tmp_path, run_seed + 2)
    dataset = impl.CustomImageDataset(folder["csv"], folder["dir"])
    generator = torch.Generator().manual_seed(run_seed + 3)
    for i in (5, 1):  # the judge rewrites two files after the dataset was made
        new = torch.randint(0, 256, IMAGE_SHAPE, generator=generator, dtype=torch.uint8)
        _write_png(new, Path(folder["dir"]) / folder["names"][i])
        image, _ = _item(dataset, i, "CustomImageDataset(...)")
        assert_tensor(image, new, say(f"CustomImageDataset(...)[{i}] after {folder['names'][i]} was rewritten (the "
                                      "dataset made before)",
                                      f"{folder['names'][i]} 파일을 다시 쓴 뒤의 CustomImageDataset(...)[{i}](데이터셋은 "
                                      "그 전에 만듦)"), hint=LAZY_HINT,
                      mistakes={(say("the image as it was when the dataset was made: the files were read in __init__",
                                     "데이터셋을 만들 때의 이미지입니다: 파일을 __init__에서 읽었습니다"), LAZY_HINT):
                                folder["images"][i]})


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("A DataLoader batches CustomImageDataset into uint8 images and int64 labels",
                   ko="DataLoader는 CustomImageDataset을 uint8 이미지와 int64 레이블 배치로 묶습니다")
def test_custom_dataset_batches_in_a_dataloader(impl, tmp_path, run_seed):
    folder = _image_folder(tmp_path, run_seed + 4)
    dataset = impl.CustomImageDataset(folder["csv"], folder["dir"])
    batches = list(unshuffled_loader(impl, dataset, 3))
    check(len(batches) == 3, say(f"DataLoader(CustomImageDataset(...), batch_size=3) over {FOLDER_SIZE} lines should give "
                                 f"3 batches, got {len(batches)}.",
                                 f"줄이 {FOLDER_SIZE}개인 DataLoader(CustomImageDataset(...), batch_size=3)는 배치 3개를 "
                                 f"내야 하는데 {len(batches)}개입니다."))
    for b, batch in enumerate(batches):
        check(isinstance(batch, (list, tuple)) and len(batch) == 2,
              say(f"batch {b} should be [images, labels], got {batch!r:.80}.",
                  f"배치 {b}: [images, labels]여야 하는데 {batch!r:.80}입니다."), say("Return (image, label).",
                                                                                  "(image, label)을 반환하세요."))
        rows = slice(3 * b, 3 * b + 3)
        assert_tensor(batch[0], torch.stack(folder["images"][rows]), say(f"the images of batch {b}", f"배치 {b}의 이미지"))
        assert_tensor(batch[1], torch.tensor(folder["labels"][rows]), say(f"the labels of batch {b}", f"배치 {b}의 레이블"),
                      hint=say("Return each label as a Python int: the default collate stacks them into int64.",
                               "레이블은 Python int로 반환하세요: 기본 collate가 int64 텐서로 쌓습니다."))
