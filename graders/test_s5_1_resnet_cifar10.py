"""5.1 Project: ResNet on CIFAR-10. The promises of the data pipeline (real torchvision CIFAR10 loader on a
CIFAR-format archive the kit writes), the ResNet, the warm-up + cosine schedule, training, evaluation, the
search, tuning as a method (sampling a space, random search, successive halving, over stand-in runs whose results the
judge knows), and convergence on the generated data in a bounded number of steps.

What the judge believes: only what it computes. The archive, the inputs and the weights of every check are drawn
from the judge's run seed (`run_seed`), so no answer can be looked up from this file's recipes. The ResNet is
measured with the judge's own copy of the specified architecture: for the structure checks the judge puts its
weights into the student's layers (matched by the order they run) and compares the outputs with its own forward;
after the bounded training run it pulls the trained weights out and measures the accuracy itself, on images drawn
after training that never reach the student's process. Losses and accuracies the student's code reports are shown,
never graded.
"""
import itertools
import math
import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader

from graders.observations.s5_1_resnet_cifar10 import (
    _BN_KEYS,
    CONVERGENCE_EPOCHS,
    EPOCH_BATCH,
    _decay,
    _eval_model,
    _images,
    _params,
    _sgd_with_decay,
    _tiny_net,
    block_with_weights,
    block_with_zeroed_3x3_convs,
    convergence_run,
    dataset_items,
    evaluate_in_train_mode,
    fake_scores,
    fake_val_acc,
    learning_rates,
    one_epoch_with_schedule,
    random_search_with_fake_runs,
    resnet_facts,
    resnet_with_weights,
    sampled_configs,
    search_with_fake_runs,
    stale_gradients,
    successive_halving_with_fake_runs,
)
from graders.support import errors
from graders.support.assertions import (
    assert_scalar,
    assert_tensor,
    check,
    expect_type,
    say,
)
from ptgrade.items.s5_1_resnet_cifar10 import GeneratedCIFAR10, _split, write_cifar_archive

PAD = 4
PUBLISHED_MEAN, PUBLISHED_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)  # the real CIFAR-10's
# Accuracy measured by the judge, with its own forward of the pulled weights, on 200 images drawn after training.
# The reference over run seeds 1-20 (archive, weights, order and the fresh images all drawn from it): worst 0.895
# (run seed 9), median 0.995; the alternative (solutions/alternatives) over run seeds 1-5: worst 0.965.
CONVERGENCE_THRESHOLD = 0.80
AUGMENT_SEEDS = 16


def _derived(run_seed, salt):
    """A seed for one purpose, drawn from the judge's run seed (public recipes, draws the student cannot know)."""
    return (run_seed * 7919 + salt * 104729) % (2 ** 31 - 1)


@pytest.fixture(scope="module")
def archive(tmp_path_factory, run_seed):
    """The root folder of a CIFAR-format archive (500 training, 200 test images) drawn from the judge's run seed,
    written by the judge in its own folder (read-only to the student's process)."""
    root = tmp_path_factory.mktemp("cifar")
    write_cifar_archive(root, seed=_derived(run_seed, 1))
    return root


def _raw(root, train):
    """The split's uint8 images (N, 32, 32, 3) and labels, read by torchvision's CIFAR10 code."""
    dataset = GeneratedCIFAR10(root, train=train)
    return dataset.data, list(dataset.targets)


def _stats(images):
    pixels = torch.from_numpy(images).double() / 255
    return pixels.mean(dim=(0, 1, 2)).float(), pixels.std(dim=(0, 1, 2), correction=0).float()


def _to_tensor(image):
    return torch.from_numpy(image).permute(2, 0, 1).float() / 255  # (3, 32, 32), as ToTensor


def _normalise(x, mean, std):
    return (x - torch.as_tensor(mean).view(3, 1, 1)) / torch.as_tensor(std).view(3, 1, 1)


def _candidates(image, modes=("constant", "reflect")):
    """Every crop (dy, dx) of the image padded by PAD (zeros or reflection), flipped or not: (K, 3, 32, 32) and
    their (dy, dx, flipped)."""
    x = _to_tensor(image)
    crops, keys = [], []
    for mode in modes:
        padded = F.pad(x[None], (PAD,) * 4, mode=mode)[0]
        for dy in range(2 * PAD + 1):
            for dx in range(2 * PAD + 1):
                crop = padded[:, dy:dy + 32, dx:dx + 32]
                crops += [crop, crop.flip(-1)]
                keys += [(dy, dx, False), (dy, dx, True)]
    return torch.stack(crops), keys


def _zscore(x):
    """Per-channel standardisation: equal for two images that differ by any per-channel affine normalisation."""
    flat = x.flatten(-2)
    return ((flat - flat.mean(-1, keepdim=True)) / (flat.std(-1, keepdim=True) + 1e-8)).view(x.shape)


def _match(output, image, modes=("constant", "reflect")):
    """The augmentation (dy, dx, flipped) that best explains `output` (any per-channel normalisation), and its
    distance (the image padded as each of `modes`)."""
    crops, keys = _candidates(image, modes)
    distance = (_zscore(crops) - _zscore(output)[None]).abs().flatten(1).amax(1)
    best = int(distance.argmin())
    return keys[best], float(distance[best]), crops[best]


# -- the judge's own copy of the specified architecture ----------------------------------------------------------
# A model's layers are matched with the specification by the order they run (forward hooks, in the student's
# process): its 3x3 convolutions in order (the stem, then conv1 and conv2 of each block), its 1x1 convolutions in
# order (the projecting blocks' shortcuts), each with the BatchNorm2d that read its output, and its Linear. The judge
# either sends weights to put into those layers (and compares the student's output with its own forward of the same
# weights) or pulls the trained ones out (and measures them with its own forward). Whatever the student's process
# says about its layers only decides which tensors travel; the numbers the judge grades are computed here.


def _block_layout(cin, cout, stride):
    project = stride != 1 or cin != cout
    return {"conv3": [(cout, cin), (cout, cout)], "conv1": [(cout, cin)] if project else [], "fc": []}


def _resnet_layout(num_blocks, widths, num_classes):
    layout, channels = {"conv3": [(widths[0], 3)], "conv1": [], "fc": []}, widths[0]
    for stage, (blocks, width) in enumerate(zip(num_blocks, widths)):
        for index in range(blocks):
            block = _block_layout(channels, width, 2 if stage and not index else 1)
            layout["conv3"] += block["conv3"]
            layout["conv1"] += block["conv1"]
            channels = width
    layout["fc"] = [(num_classes, channels)]
    return layout


def _random_weights(layout, seed):
    """Weights for a layout, drawn by the judge: every BatchNorm with its own scale, shift and running statistics."""
    generator = torch.Generator().manual_seed(seed)

    def conv(out_channels, in_channels, kernel):
        fan_in = in_channels * kernel * kernel
        weight = torch.randn(out_channels, in_channels, kernel, kernel, generator=generator) * (2 / fan_in) ** 0.5
        return {"weight": weight,
                "bias": None,
                "bn": {"weight": 0.5 + torch.rand(out_channels, generator=generator),
                       "bias": 0.2 * torch.randn(out_channels, generator=generator),
                       "running_mean": 0.2 * torch.randn(out_channels, generator=generator),
                       "running_var": 0.5 + torch.rand(out_channels, generator=generator)}}
    return {"conv3": [conv(o, i, 3) for o, i in layout["conv3"]], "conv1": [conv(o, i, 1) for o, i in layout["conv1"]],
            "fc": [{"weight": torch.randn(o, i, generator=generator) / i ** 0.5,
                    "bias": 0.1 * torch.randn(o, generator=generator)} for o, i in layout["fc"]]}


def _layers_message(what, counts, layout):
    want = {"conv3": len(layout["conv3"]), "conv1": len(layout["conv1"]), "fc": len(layout["fc"])}
    counts = counts if isinstance(counts, dict) else {}
    return say(f"{what}: the layers that ran are {counts.get('conv3')} 3x3 convolution(s), {counts.get('conv1')} 1x1 "
               f"convolution(s), {counts.get('other')} other convolution(s) and {counts.get('fc')} Linear; the specified "
               f"architecture runs {want['conv3']}, {want['conv1']}, 0 and {want['fc']}, each convolution followed by its "
               "BatchNorm2d (with the shapes of the specification).",
               f"{what}: 실행된 계층은 3x3 합성곱 {counts.get('conv3')}개, 1x1 합성곱 {counts.get('conv1')}개, 다른 합성곱 "
               f"{counts.get('other')}개, Linear {counts.get('fc')}개입니다. 명세한 구조는 각각 {want['conv3']}, "
               f"{want['conv1']}, 0, {want['fc']}개이고, 합성곱마다 (명세한 shape의) BatchNorm2d가 뒤따릅니다.")


def _validated(pulled, layout, what):
    """The pulled weights as the judge's own float32 tensors, checked against the layout (shapes, no conv bias, a
    BatchNorm after every convolution); an AssertionError that names what does not fit."""
    problem = _layers_message(what, pulled.get("counts") if isinstance(pulled, dict) else None, layout)
    check(isinstance(pulled, dict) and all(isinstance(pulled.get(k), list) and len(pulled[k]) == len(layout[k])
                                           for k in ("conv3", "conv1", "fc")), problem)

    def tensor(value, shape):
        check(type(value) in (torch.Tensor, nn.Parameter) and tuple(value.shape) == tuple(shape)
              and value.is_floating_point(), problem)
        return value.detach().to(torch.float32).contiguous()

    weights = {"conv3": [], "conv1": [], "fc": []}
    for key, kernel in (("conv3", 3), ("conv1", 1)):
        for layer, (out_channels, in_channels) in zip(pulled[key], layout[key]):
            check(isinstance(layer, dict) and isinstance(layer.get("bn"), dict), problem)
            check(layer.get("bias") is None, say(f"{what}: a convolution has a bias; the specification's convolutions "
                                                 "have bias=False (the BatchNorm after it has the shift).",
                                                 f"{what}: 합성곱에 bias가 있습니다. 명세한 합성곱은 bias=False입니다(뒤의 "
                                                 "BatchNorm이 이동을 맡습니다)."))
            weights[key].append({"weight": tensor(layer.get("weight"), (out_channels, in_channels, kernel, kernel)),
                                 "bn": {k: tensor(layer["bn"].get(k), (out_channels,)) for k in _BN_KEYS}})
    for layer, (out_features, in_features) in zip(pulled["fc"], layout["fc"]):
        check(isinstance(layer, dict), problem)
        weights["fc"].append({"weight": tensor(layer.get("weight"), (out_features, in_features)),
                              "bias": tensor(layer.get("bias"), (out_features,))})
    return weights


def _bn(x, state, training=False):
    """BatchNorm2d with the state's affine parameters: the running statistics in eval mode, the batch's in training
    mode."""
    if training:
        return F.batch_norm(x, None, None, state["weight"], state["bias"], True, 0.0, 1e-5)
    return F.batch_norm(x, state["running_mean"], state["running_var"], state["weight"], state["bias"], False, 0.0, 1e-5)


def _conv_bn(x, layer, stride, padding, training=False):
    return _bn(F.conv2d(x, layer["weight"], None, stride, padding), layer["bn"], training)


def _judge_block(x, first, second, projection, stride, training=False):
    """The specified BasicBlock, eval mode (or training mode: BatchNorm with the batch's statistics):
    relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))."""
    out = _conv_bn(F.relu(_conv_bn(x, first, stride, 1, training)), second, 1, 1, training)
    return F.relu(out + (x if projection is None else _conv_bn(x, projection, stride, 0, training)))


def _judge_resnet(x, weights, num_blocks, widths, training=False):
    """The specified ResNet, eval mode (or training mode), with the given weights (in the order of _resnet_layout)."""
    conv3, conv1 = iter(weights["conv3"]), iter(weights["conv1"])
    with torch.no_grad():
        x = F.relu(_conv_bn(x, next(conv3), 1, 1, training))
        channels = widths[0]
        for stage, (blocks, width) in enumerate(zip(num_blocks, widths)):
            for index in range(blocks):
                stride = 2 if stage and not index else 1
                projection = next(conv1) if stride != 1 or channels != width else None
                x = _judge_block(x, next(conv3), next(conv3), projection, stride, training)
                channels = width
        return F.linear(x.mean(dim=(2, 3)), weights["fc"][0]["weight"], weights["fc"][0]["bias"])


def _fresh_images(seed, mean, std, per_class=20):
    """Test images drawn by the judge after training (the archive's recipe, another seed): normalised with the
    training statistics, and their labels. They never reach the student's process."""
    rows, labels = _split(np.random.default_rng(seed), per_class, brightness=12.0)
    images = torch.from_numpy(rows.reshape(len(labels), 3, 32, 32)).float() / 255
    return _normalise(images, mean, std), torch.tensor(labels)




def _shown(value):
    """What the student's process reported, for a message only: short, whatever it is."""
    return repr(value)[:120]


# -- the checks -------------------------------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("channel_stats gives each channel's mean and std on the 0-1 scale",
                   ko="channel_stats는 채널별 평균과 표준편차를 0~1 범위에서 계산합니다")
def test_channel_stats_match_the_pixels(impl, archive, run_seed):
    generator = np.random.default_rng(_derived(run_seed, 6))
    skewed = np.stack([generator.integers(0, 256, (7, 32, 32)), generator.integers(100, 140, (7, 32, 32)),
                       generator.integers(0, 60, (7, 32, 32))], axis=-1).astype(np.uint8)  # channels differ a lot
    for images, what in ((skewed, say("7 random images with different channel ranges",
                                      "채널마다 범위가 다른 무작위 이미지 7장")),
                         (_raw(archive, True)[0], say("the 500 training images of the generated archive",
                                                      "생성된 아카이브의 학습 이미지 500장"))):
        result = expect_type(impl.channel_stats(images), tuple, "channel_stats(images)",
                             say("Return (mean, std), two tensors of shape (3,).",
                                 "(mean, std) 두 텐서(shape (3,))를 반환하세요."))
        check(len(result) == 2, say(f"channel_stats should return (mean, std), got {len(result)} values.",
                                    f"channel_stats는 (mean, std)를 반환해야 하는데 값이 {len(result)}개입니다."))
        mean, std = result
        want_mean, want_std = _stats(images)
        if isinstance(mean, torch.Tensor) and mean.shape == (3,) and torch.allclose(mean.double(), want_mean.double() * 255, rtol=1e-3):
            raise AssertionError(say("channel_stats gives statistics on the 0-255 scale, but ToTensor feeds Normalize "
                                     "values in [0, 1]. Hint: divide the pixels by 255.",
                                     "channel_stats가 0~255 범위의 통계를 냅니다. ToTensor는 Normalize에 [0, 1] 범위의 "
                                     "값을 넘깁니다. 힌트: 픽셀을 255로 나누세요."))
        hint = say("images are (N, H, W, C): reduce over dims (0, 1, 2), keep the channel axis (the last); "
                   "std over all pixels of a channel, correction=0, not an average of per-image stds.",
                   "images는 (N, H, W, C)입니다: (0, 1, 2) 차원으로 줄이고 채널 축(마지막 축)은 남기세요. std는 한 "
                   "채널의 모든 픽셀에 대해 correction=0으로 계산하며, 이미지별 std의 평균이 아닙니다.")
        assert_tensor(mean, want_mean, say(f"the channel means of {what}", f"{what}의 채널별 평균"), rtol=1e-4,
                      atol=1e-5, hint=hint)
        assert_tensor(std, want_std, say(f"the channel stds of {what}", f"{what}의 채널별 표준편차"), rtol=1e-4,
                      atol=1e-5, hint=hint)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("cifar10_datasets builds both splits with the given CIFAR10 class",
                   ko="cifar10_datasets는 주어진 CIFAR10 클래스로 두 데이터셋을 만듭니다")
def test_datasets_use_the_cifar10_loader(impl, archive):
    hint = say("Build both splits with dataset_class(root, train=True/False, transform=...): torchvision's CIFAR10 "
               "reader, not your own.",
               "두 데이터셋 모두 dataset_class(root, train=True/False, transform=...)로 만드세요: 직접 만든 읽기 "
               "코드가 아니라 torchvision의 CIFAR10 클래스를 써야 합니다.")
    for train, size in ((True, 500), (False, 200)):
        split = say("training", "학습") if train else say("test", "테스트")
        count, is_cifar, length, images, labels = dataset_items(impl, archive, train, [0, 7, 42], [0])
        check(count == 2, say(f"cifar10_datasets should return (train_set, test_set), got {count} values.",
                              f"cifar10_datasets는 (train_set, test_set)을 반환해야 하는데 값이 {count}개입니다."))
        check(is_cifar, say(f"the {split} set is not built with dataset_class.",
                            f"{split} 데이터셋이 dataset_class로 만들어지지 않았습니다."), hint)
        check(length == size, say(f"the {split} set has {length} images; the archive holds {size}.",
                                  f"{split} 데이터셋에 이미지가 {length}개 있는데 아카이브에는 {size}개가 있습니다."),
              say("train=True reads data_batch_1..5, train=False reads test_batch.",
                  "train=True는 data_batch_1..5를, train=False는 test_batch를 읽습니다."))
        want_labels = [_raw(archive, train)[1][i] for i in (0, 7, 42)]
        check(labels == want_labels, say(f"{split} labels at 0, 7, 42: expected {want_labels}, got {labels}.",
                                         f"{split} 레이블(0, 7, 42번): {labels}입니다. 기댓값은 {want_labels}입니다."))
        for image in images[0]:
            expect_tensor_shape = getattr(image, "shape", None)
            check(isinstance(image, torch.Tensor) and tuple(image.shape) == (3, 32, 32) and image.dtype == torch.float32,
                  say(f"a {split} item should be a float32 tensor of shape (3, 32, 32), got "
                      f"{type(image).__name__} {tuple(expect_tensor_shape) if expect_tensor_shape is not None else ''}.",
                      f"{split} 항목은 shape (3, 32, 32)인 float32 텐서여야 하는데 {type(image).__name__} "
                      f"{tuple(expect_tensor_shape) if expect_tensor_shape is not None else ''}입니다."),
                  say("End both transforms with ToTensor() and Normalize(mean, std).",
                      "두 transform 모두 ToTensor()와 Normalize(mean, std)로 끝내세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("The test set is normalised with the training set's statistics",
                   ko="테스트 데이터셋은 학습 데이터셋의 통계로 정규화됩니다")
def test_test_set_is_normalised_with_training_statistics(impl, archive):
    indices = [0, 1, 2, 3, 50, 199]
    _, _, _, images, _ = dataset_items(impl, archive, False, indices, [0])
    raw_test = _raw(archive, False)[0]
    got = torch.stack(images[0])
    plain = torch.stack([_to_tensor(raw_test[i]) for i in indices])
    want = _normalise(plain, *_stats(_raw(archive, True)[0]))
    if not torch.allclose(got, want, rtol=1e-4, atol=1e-4):
        for mean, std, mistake in (
                (*_stats(raw_test), say("the statistics of the TEST images; compute them on the training images only "
                                        "(the test set must not shape the preprocessing).",
                                        "테스트 이미지의 통계입니다. 통계는 학습 이미지로만 계산하세요(테스트 데이터가 "
                                        "전처리에 영향을 주면 안 됩니다).")),
                (PUBLISHED_MEAN, PUBLISHED_STD, say("the published statistics of the real CIFAR-10; compute them from the "
                                                    "data you load with channel_stats(train.data).",
                                                    "실제 CIFAR-10에 대해 알려진 통계입니다. 불러온 데이터에서 "
                                                    "channel_stats(train.data)로 계산하세요.")),
                ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0), say("no normalisation at all; add Normalize(mean, std) after ToTensor.",
                                                       "정규화가 전혀 없습니다. ToTensor 뒤에 Normalize(mean, std)를 "
                                                       "추가하세요."))):
            if torch.allclose(got, _normalise(plain, mean, std), rtol=1e-4, atol=1e-4):
                raise AssertionError(say(f"The test images are normalised with {mistake}",
                                         f"테스트 이미지가 다음으로 정규화되었습니다: {mistake}"))
    assert_tensor(got, want, say("test images 0, 1, 2, 3, 50, 199 against (ToTensor(x) - train mean) / train std",
                                 "테스트 이미지 0, 1, 2, 3, 50, 199와 (ToTensor(x) - 학습 평균) / 학습 표준편차의 비교"),
                  rtol=1e-4, atol=1e-4,
                  hint=say("Test transform: ToTensor() then Normalize(mean, std), with (mean, std) = "
                           "channel_stats(train.data) of the TRAINING set.",
                           "테스트 transform: ToTensor() 다음 Normalize(mean, std)이고, (mean, std)는 학습 데이터셋의 "
                           "channel_stats(train.data)입니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("The test set is not augmented: the same image every time",
                   ko="테스트 데이터셋에는 증강을 적용하지 않아 항상 같은 이미지가 나옵니다")
def test_test_set_is_not_augmented(impl, archive):
    indices = [0, 5, 9]
    _, _, _, images, _ = dataset_items(impl, archive, False, indices, list(range(8)))
    raw_test = _raw(archive, False)[0]
    hint = say("Augmentation (RandomCrop, RandomHorizontalFlip) belongs to the training transform only; the test "
               "transform is ToTensor() and Normalize(mean, std).",
               "데이터 증강(RandomCrop, RandomHorizontalFlip)은 학습 transform에만 넣습니다. 테스트 transform은 "
               "ToTensor()와 Normalize(mean, std)뿐입니다.")
    for column, index in enumerate(indices):
        outputs = [row[column] for row in images]
        check(all(torch.equal(outputs[0], other) for other in outputs[1:]),
              say(f"test image {index} differs from one read to the next (8 seeds): augmentation is applied to the "
                  "test set.", f"테스트 이미지 {index}번이 읽을 때마다(시드 8개) 달라집니다: 테스트 데이터셋에 증강이 "
                  "적용되어 있습니다."), hint)
        (dy, dx, flipped), distance, _ = _match(outputs[0], raw_test[index])
        check((dy, dx, flipped) == (PAD, PAD, False) and distance < 1e-3,
              say(f"test image {index} comes out shifted by ({dy - PAD}, {dx - PAD}) pixels"
                  f"{' and flipped' if flipped else ''}: augmentation is applied to the test set.",
                  f"테스트 이미지 {index}번이 ({dy - PAD}, {dx - PAD}) 픽셀 이동{'하고 뒤집힌' if flipped else '된'} "
                  "채로 나옵니다: 테스트 데이터셋에 증강이 적용되어 있습니다."), hint)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("Training images are randomly cropped (padding 4) and flipped",
                   ko="학습 이미지는 무작위로 잘리고(패딩 4) 좌우로 뒤집힙니다")
def test_training_set_is_augmented_with_crop_and_flip(impl, archive):
    indices = [3, 11]
    _, _, _, images, _ = dataset_items(impl, archive, True, indices, list(range(AUGMENT_SEEDS)))
    raw_train = _raw(archive, True)[0]
    mean, std = _stats(raw_train)
    hint = say("Training transform: RandomCrop(32, padding=4), RandomHorizontalFlip(), ToTensor(), Normalize(mean, std).",
               "학습 transform: RandomCrop(32, padding=4), RandomHorizontalFlip(), ToTensor(), Normalize(mean, std).")
    offsets, flips = set(), set()
    for row in images:
        for column, index in enumerate(indices):
            (dy, dx, flipped), distance, crop = _match(row[column], raw_train[index])
            check(distance < 1e-3, say(f"training image {index} is not a crop of the image padded by {PAD} pixels, "
                                       "flipped or not.",
                                       f"학습 이미지 {index}번이 {PAD} 픽셀 패딩한 이미지를 자른 것(뒤집었든 아니든)이 "
                                       "아닙니다."), hint)
            zero_padded = _match(row[column], raw_train[index], ("constant",))[1] < 1e-3
            check(zero_padded, say(f"training image {index} is a crop of the image padded by reflection "
                                   "(padding_mode='reflect'); the specification pads with zeros.",
                                   f"학습 이미지 {index}번은 반사로 패딩한(padding_mode='reflect') 이미지를 자른 것입니다. "
                                   "명세는 0으로 패딩합니다."),
                  say("RandomCrop(32, padding=4) with its default padding_mode='constant' (fill 0).",
                      "RandomCrop(32, padding=4)을 기본값 padding_mode='constant'(fill 0) 그대로 쓰세요."))
            assert_tensor(row[column], _normalise(crop, mean, std),
                          say(f"augmented training image {index}, normalised with the training statistics",
                              f"학습 통계로 정규화한 증강 학습 이미지 {index}"), rtol=1e-4, atol=1e-4, hint=hint)
            offsets.add((dy, dx))
            flips.add(flipped)
    check(flips == {False, True}, say(f"over {AUGMENT_SEEDS} seeds the training images were "
                                      f"{'always' if True in flips else 'never'} flipped.",
                                      f"시드 {AUGMENT_SEEDS}개에서 학습 이미지가 "
                                      f"{'항상 뒤집혔습니다' if True in flips else '한 번도 뒤집히지 않았습니다'}."),
          say("RandomHorizontalFlip() (p=0.5) in the training transform.",
              "학습 transform에 RandomHorizontalFlip()(p=0.5)을 넣으세요."))
    check(len(offsets) >= 6, say(f"over {AUGMENT_SEEDS} seeds only {len(offsets)} crop positions were seen: "
                                 f"{sorted(offsets)}; a random crop of the padded image moves by up to {PAD} pixels.",
                                 f"시드 {AUGMENT_SEEDS}개에서 자르는 위치가 {len(offsets)}가지뿐입니다: "
                                 f"{sorted(offsets)}. 패딩한 이미지를 무작위로 자르면 최대 {PAD} 픽셀까지 움직입니다."),
          say("RandomCrop(32, padding=4) in the training transform, before ToTensor.",
              "학습 transform에서 ToTensor 앞에 RandomCrop(32, padding=4)을 넣으세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("BasicBlock adds its input through the identity shortcut",
                   ko="BasicBlock은 항등 지름길로 입력을 더합니다")
def test_basic_block_adds_identity_shortcut(impl, run_seed):
    x = torch.randn(2, 16, 8, 8, generator=torch.Generator().manual_seed(_derived(run_seed, 7)))
    out, projections = block_with_zeroed_3x3_convs(impl, 16, 16, 1, x)
    check(not projections, say(f"BasicBlock(16, 16, stride=1) has {len(projections)} 1x1 convolution(s); when the "
                               "shape does not change the shortcut is the identity.",
                               f"BasicBlock(16, 16, stride=1)에 1x1 합성곱이 {len(projections)}개 있습니다. shape가 "
                               "바뀌지 않으면 지름길은 항등 함수입니다."))
    hint = say("forward: out = bn2(conv2(relu(bn1(conv1(x))))); return relu(out + shortcut(x)).",
               "forward: out = bn2(conv2(relu(bn1(conv1(x))))); return relu(out + shortcut(x)).")
    out = expect_type(out, torch.Tensor, "BasicBlock(16, 16)(x)")
    check(out.abs().max() > 0, say("with its 3x3 convolutions zeroed, BasicBlock(16, 16) returns all zeros: there is "
                                   "no residual connection (x is never added back).",
                                   "3x3 합성곱 가중치를 0으로 만들면 BasicBlock(16, 16)이 0만 반환합니다: 잔차 연결이 "
                                   "없습니다(x를 다시 더하지 않습니다)."), hint)
    check(not torch.allclose(out, x), say("with its 3x3 convolutions zeroed, BasicBlock(16, 16) returns x itself: the "
                                          "final ReLU must come after the addition.",
                                          "3x3 합성곱 가중치를 0으로 만들면 BasicBlock(16, 16)이 x를 그대로 반환합니다: "
                                          "마지막 ReLU는 덧셈 뒤에 와야 합니다."), hint)
    assert_tensor(out, F.relu(x), say("BasicBlock(16, 16) with zeroed 3x3 convolutions (eval mode): relu(0 + x)",
                                      "3x3 합성곱을 0으로 만든 BasicBlock(16, 16)(평가 모드): relu(0 + x)"), hint=hint)
    _block_matches_the_judges(impl, 16, 16, 1, x, _derived(run_seed, 8), hint)


def _block_matches_the_judges(impl, cin, cout, stride, x, seed, hint):
    """The student's block with the judge's weights (drawn from seed) against the judge's own block."""
    block = f"BasicBlock({cin}, {cout}, stride={stride})"
    layout = _block_layout(cin, cout, stride)
    weights = _random_weights(layout, seed)
    out, trained, found = errors.calling(block, hint, block_with_weights, impl, cin, cout, stride, x, weights)
    check(found is None, _layers_message(block, found, layout), hint)
    first, second = weights["conv3"]
    projection = weights["conv1"][0] if weights["conv1"] else None
    want = _judge_block(x, first, second, projection, stride)
    assert_tensor(out, want, say(f"{block} with random weights in its layers (eval mode) against the specified block",
                                 f"계층에 무작위 가중치를 넣은 {block}(평가 모드)와 명세한 블록의 비교"), hint=hint)
    _same_in_training_mode(trained, _judge_block(x, first, second, projection, stride, training=True), block, hint)


def _same_in_training_mode(trained, want, name, hint):
    """The output in training mode (BatchNorm with the batch's statistics) against the judge's: it differs from the
    judge's, while the eval-mode output matched, only when something acts in training mode alone (a Dropout)."""
    assert_tensor(trained, want, say(f"{name} with the same weights in training mode (BatchNorm normalises with the "
                                     "batch's statistics) against the specified forward: it matched in eval mode, so "
                                     "something acts only in training mode (a Dropout?); use only the layers listed",
                                     f"{name}(같은 가중치, 학습 모드: BatchNorm이 배치 통계로 정규화합니다)와 "
                                     "명세한 순전파의 비교: 평가 모드에서는 일치했으므로 학습 모드에서만 작동하는 것"
                                     "(드롭아웃?)이 있습니다. 명세에 나열한 계층만 쓰세요"),
                  rtol=1e-3, atol=1e-4, hint=hint)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("A block that changes the shape projects its shortcut (1x1 conv + BN)",
                   ko="shape가 바뀌는 블록은 지름길을 투영합니다(1x1 합성곱 + BN)")
def test_downsampling_block_projects_shortcut(impl, run_seed):
    hint = say("When stride != 1 or in_channels != out_channels: shortcut = nn.Sequential(nn.Conv2d(in, out, 1, "
               "stride=stride, bias=False), nn.BatchNorm2d(out)).",
               "stride != 1이거나 in_channels != out_channels이면: shortcut = nn.Sequential(nn.Conv2d(in, out, 1, "
               "stride=stride, bias=False), nn.BatchNorm2d(out)).")
    # Either change alone (more channels, or a stride) changes the shape, as both together do.
    for cin, cout, stride in ((16, 32, 2), (16, 32, 1), (16, 16, 2)):
        block = f"BasicBlock({cin}, {cout}, stride={stride})"
        x = torch.randn(2, cin, 8, 8, generator=torch.Generator().manual_seed(_derived(run_seed, 9 + stride + cout)))
        out, projections = errors.calling(block, hint, block_with_zeroed_3x3_convs, impl, cin, cout, stride, x)
        check(len(projections) == 1, say(f"{block} has {len(projections)} 1x1 convolutions; the shortcut needs one "
                                         "projection (a 1x1 convolution) when the shape changes.",
                                         f"{block}에 1x1 합성곱이 {len(projections)}개 있습니다. shape가 바뀌면 지름길에 "
                                         "투영(1x1 합성곱) 하나가 필요합니다."), hint)
        got = projections[0][:4]
        check(got == (cin, cout, stride, False),
              say(f"{block}: the shortcut's 1x1 convolution is {got[0]} -> {got[1]}, stride {got[2]}, bias {got[3]}; "
                  f"expected {cin} -> {cout}, stride {stride}, bias False.",
                  f"{block}: 지름길의 1x1 합성곱이 {got[0]} -> {got[1]}, stride {got[2]}, bias {got[3]}입니다. "
                  f"{cin} -> {cout}, stride {stride}, bias False여야 합니다."), hint)
        bn_scale = 1 / math.sqrt(1 + 1e-5)  # a fresh BatchNorm2d in eval mode
        want = F.relu(F.conv2d(x, projections[0][4], stride=stride) * bn_scale)
        assert_tensor(out, want, say(f"{block} with zeroed 3x3 convolutions (eval mode): relu(bn(conv1x1(x)))",
                                     f"3x3 합성곱을 0으로 만든 {block}(평가 모드): relu(bn(conv1x1(x)))"), hint=hint)
        _block_matches_the_judges(impl, cin, cout, stride, x, _derived(run_seed, 20 + stride + cout), hint)


def _block_params(cin, cout, stride):
    shortcut = cin * cout + 2 * cout if stride != 1 or cin != cout else 0
    return 9 * cin * cout + 2 * cout + 9 * cout * cout + 2 * cout + shortcut


def _resnet_params(num_blocks, widths, num_classes):
    total, channels = 27 * widths[0] + 2 * widths[0], widths[0]
    for stage, (blocks, width) in enumerate(zip(num_blocks, widths)):
        for index in range(blocks):
            total += _block_params(channels, width, 2 if stage and not index else 1)
            channels = width
    return total + channels * num_classes + num_classes


def _block_shapes(num_blocks, widths, batch):
    shapes, size = [], 32
    for stage, (blocks, width) in enumerate(zip(num_blocks, widths)):
        size = size // 2 if stage else size
        shapes += [(batch, width, size, size)] * blocks
    return shapes


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("ResNet has the specified stages, shapes and parameter count",
                   ko="ResNet은 명세대로 단계, shape, 매개변수 개수를 가집니다")
def test_resnet_shapes_and_parameter_count(impl, run_seed):
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(_derived(run_seed, 30)))
    architecture_hint = say("3x3 convolutions with bias=False, each followed by BatchNorm2d; a 1x1 conv + BatchNorm2d "
                            "shortcut only where the shape changes; one Linear at the end.",
                            "3x3 합성곱은 bias=False이고 각각 뒤에 BatchNorm2d가 옵니다. shape가 바뀌는 곳에만 1x1 합성곱 "
                            "+ BatchNorm2d 지름길이 있고, 마지막에 Linear 하나가 있습니다.")
    for num_blocks, widths, classes in (((3, 3, 3), (16, 32, 64), 10), ((1, 2, 1, 1), (8, 12, 16, 24), 7)):
        name = f"ResNet(num_blocks={num_blocks}, widths={widths}, num_classes={classes})"
        count, out, shapes = resnet_facts(impl, num_blocks, widths, classes, x)
        check(isinstance(out, torch.Tensor) and tuple(out.shape) == (2, classes),
              say(f"{name} for (2, 3, 32, 32) images should give (2, {classes}) logits, got "
                  f"{tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__}.",
                  f"(2, 3, 32, 32) 이미지에 대한 {name}의 출력은 (2, {classes}) 로짓이어야 하는데 "
                  f"{tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__}입니다."),
              say("Global average pooling, flatten, then nn.Linear(widths[-1], num_classes).",
                  "전역 평균 풀링, 평탄화(flatten), 그다음 nn.Linear(widths[-1], num_classes) 순서입니다."))
        want_shapes = _block_shapes(num_blocks, widths, 2)
        check(shapes == want_shapes,
              say(f"{name}: the BasicBlocks' output shapes are {shapes}; expected {want_shapes}.",
                  f"{name}: BasicBlock들의 출력 shape가 {shapes}입니다(기댓값 {want_shapes})."),
              say("Stage i is num_blocks[i] BasicBlocks of widths[i] channels; the first block of every stage but the "
                  "first has stride 2.",
                  "i번째 단계는 widths[i] 채널의 BasicBlock num_blocks[i]개입니다. 첫 단계를 뺀 모든 단계의 첫 블록은 "
                  "stride 2입니다."))
        want = _resnet_params(num_blocks, widths, classes)
        check(count == want, say(f"{name} has {count:,} parameters; the specified architecture has {want:,}"
                                 f" ({count - want:+,}).", f"{name}의 매개변수는 {count:,}개인데, 명세한 구조는 "
                                 f"{want:,}개입니다({count - want:+,})."),
              architecture_hint)
        _resnet_matches_the_judges(impl, name, num_blocks, widths, classes, x, _derived(run_seed, 31 + classes),
                                   architecture_hint)
    count, _, _ = resnet_facts(impl, None, None, None, x)
    want = _resnet_params((3, 3, 3), (16, 32, 64), 10)
    check(count == want, say(f"ResNet() has {count:,} parameters; with its defaults it is ResNet-20 (num_blocks=(3, 3, 3), "
                             f"widths=(16, 32, 64), num_classes=10), {want:,} parameters.",
                             f"ResNet()의 매개변수는 {count:,}개인데, 기본값 그대로면 ResNet-20(num_blocks=(3, 3, 3), "
                             f"widths=(16, 32, 64), num_classes=10)으로 {want:,}개입니다."),
          say("Keep the signature's defaults.", "시그니처의 기본값을 유지하세요."))
    _resnet_matches_the_judges(impl, "ResNet()", None, (16, 32, 64), 10, x, _derived(run_seed, 40), architecture_hint)


def _resnet_matches_the_judges(impl, name, num_blocks, widths, classes, x, seed, hint):
    """The student's ResNet with the judge's weights (drawn from seed) against the judge's own forward."""
    blocks = num_blocks or (3, 3, 3)
    layout = _resnet_layout(blocks, widths, classes)
    weights = _random_weights(layout, seed)
    out, trained, found = errors.calling(name, hint, resnet_with_weights, impl, num_blocks, widths, classes, x, weights)
    check(found is None, _layers_message(name, found, layout), hint)
    forward_hint = say("stem: conv3x3 + BatchNorm2d + ReLU; the blocks; global average pooling; Linear. Each "
                       "block: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).",
                       "stem: conv3x3 + BatchNorm2d + ReLU, 블록들, 전역 평균 풀링, Linear입니다. 각 블록은 "
                       "relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))입니다.")
    assert_tensor(out, _judge_resnet(x, weights, blocks, widths),
                  say(f"{name} with random weights in its layers (eval mode) against the specified ResNet",
                      f"계층에 무작위 가중치를 넣은 {name}(평가 모드)와 명세한 ResNet의 비교"), rtol=1e-3, atol=1e-4,
                  hint=forward_hint)
    _same_in_training_mode(trained, _judge_resnet(x, weights, blocks, widths, training=True), name, forward_hint)


def _schedule(base_lr, total_steps, warmup_steps, t):
    if t < warmup_steps:
        return base_lr * (t + 1) / warmup_steps
    return base_lr * 0.5 * (1 + math.cos(math.pi * (t - warmup_steps) / (total_steps - warmup_steps)))


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("The schedule warms up linearly, then follows the cosine, per step",
                   ko="학습률 스케줄은 단계마다 선형 워밍업 후 코사인 곡선을 따릅니다")
def test_schedule_warms_up_then_follows_cosine(impl, run_seed):
    draw = random.Random(_derived(run_seed, 50))
    total = draw.randint(10, 30)
    cases = [([0.1, 0.02], 20, 5), ([0.1, 0.02], 9, 1), ([0.1, 0.02], 13, 4),  # then one drawn for this run
             ([round(draw.uniform(0.01, 0.5), 4), round(draw.uniform(0.001, 0.05), 5)], total, draw.randint(1, total - 2))]
    for base_lrs, total, warmup in cases:
        seen, is_scheduler = learning_rates(impl, base_lrs, total, warmup)
        check(is_scheduler, say("warmup_cosine_scheduler should return a torch.optim.lr_scheduler scheduler.",
                                "warmup_cosine_scheduler는 torch.optim.lr_scheduler의 스케줄러를 반환해야 합니다."),
              say("torch.optim.lr_scheduler.LambdaLR(optimizer, factor) with factor(step) from the formula.",
                  "factor(step) 함수를 공식대로 정의하고 torch.optim.lr_scheduler.LambdaLR(optimizer, factor)를 쓰세요."))
        for t in range(total):
            want = [_schedule(lr, total, warmup, t) for lr in base_lrs]
            if all(math.isclose(g, w, rel_tol=1e-6, abs_tol=1e-12) for g, w in zip(seen[t], want)):
                continue
            late = t < warmup and math.isclose(seen[t][0], base_lrs[0] * t / warmup, rel_tol=1e-6, abs_tol=1e-12)
            raise AssertionError(say(
                f"warmup_cosine_scheduler(total_steps={total}, warmup_steps={warmup}), base lrs {base_lrs}: at step "
                f"{t} the lrs are {seen[t]}, expected {want}"
                + (" (the warm-up starts one step late: step t uses (t + 1) / warmup_steps)." if late else ".")
                + "\nHint: factor(t) = (t + 1) / warmup_steps for t < warmup_steps, then "
                  "0.5 * (1 + cos(pi * (t - warmup_steps) / (total_steps - warmup_steps))), times each group's base lr.",
                f"warmup_cosine_scheduler(total_steps={total}, warmup_steps={warmup}), 기본 학습률 {base_lrs}: 단계 "
                f"{t}의 학습률이 {seen[t]}입니다(기댓값 {want})"
                + (" (워밍업이 한 단계 늦게 시작합니다: 단계 t는 (t + 1) / warmup_steps를 씁니다)." if late else ".")
                + "\n힌트: t < warmup_steps이면 factor(t) = (t + 1) / warmup_steps, 그 뒤에는 "
                  "0.5 * (1 + cos(pi * (t - warmup_steps) / (total_steps - warmup_steps)))이고, 각 그룹의 기본 "
                  "학습률을 곱합니다."))


def _reference_epoch(model, optimizer, scheduler, data_seed, zero_grad_first=True):
    """One epoch as specified: (the mean loss per sample, the mean of the batch means). zero_grad_first=False clears
    the gradients after optimizer.step() instead (the learner's mistake: the stale ones reach the first step)."""
    model.train()
    total, batch_means = 0.0, []
    loader = DataLoader(_images(data_seed), batch_size=EPOCH_BATCH, shuffle=False)
    for x, y in loader:
        if zero_grad_first:
            optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        if not zero_grad_first:
            optimizer.zero_grad()
        scheduler.step()
        total += loss.item() * len(y)
        batch_means.append(loss.item())
    return total / len(loader.dataset), sum(batch_means) / len(batch_means)


@pytest.mark.points(3)
@pytest.mark.gradients
@pytest.mark.title("train_one_epoch trains correctly and steps the schedule every batch",
                   ko="train_one_epoch은 올바르게 학습하고 배치마다 스케줄러를 한 단계 진행합니다")
def test_train_one_epoch_steps_scheduler_per_batch(impl, run_seed):
    net_seed, data_seed = _derived(run_seed, 60), _derived(run_seed, 61)
    returned, got, lr, modes = one_epoch_with_schedule(impl, net_seed, data_seed)
    check(modes and all(modes),
          say("train_one_epoch ran the model in evaluation mode: it was handed over in eval mode (as evaluate leaves "
              "it after the previous epoch) and model.train() was not called, so BatchNorm used its running "
              "statistics instead of the batch's and did not update them.",
              "train_one_epoch이 모델을 평가 모드로 실행했습니다: 모델은 이전 에폭의 evaluate가 남긴 대로 평가 모드로 "
              "주어졌는데 model.train()을 호출하지 않아서, BatchNorm이 배치 통계 대신 누적 통계를 쓰고 그 통계를 "
              "갱신하지도 않았습니다."),
          say("Call model.train() at the start of train_one_epoch: evaluate switches the model to eval mode.",
              "train_one_epoch을 시작할 때 model.train()을 호출하세요: evaluate가 모델을 평가 모드로 바꿉니다."))
    model = _tiny_net(net_seed)
    want_loss, mean_of_batch_means = _reference_epoch(model, *_sgd_with_decay(model), data_seed)
    late = _tiny_net(net_seed)
    stale_gradients(late, net_seed)
    _reference_epoch(late, *_sgd_with_decay(late), data_seed, zero_grad_first=False)
    want_lr = 0.2 * _decay(4)
    check(not math.isclose(lr, 0.2 * _decay(1), rel_tol=1e-9),
          say(f"after one epoch of 4 batches the lr is {lr:.4g}: the scheduler was stepped once per epoch, but its "
              f"steps are optimizer steps (expected {want_lr:.4g}).",
              f"배치 4개짜리 에폭 한 번 뒤에 학습률이 {lr:.4g}입니다: 스케줄러를 에폭마다 한 번 진행했지만, "
              f"스케줄러의 단계는 옵티마이저 단계입니다(기댓값은 {want_lr:.4g}입니다)."),
          say("Call scheduler.step() right after optimizer.step(), inside the batch loop.",
              "배치 루프 안에서 optimizer.step() 바로 뒤에 scheduler.step()을 호출하세요."))
    assert_scalar(lr, want_lr, say("the lr after one epoch of 4 batches", "배치 4개짜리 에폭 한 번 뒤의 학습률"),
                  rtol=1e-9, hint=say("One scheduler.step() per batch, after optimizer.step().",
                                      "배치마다 optimizer.step() 뒤에 scheduler.step()을 한 번 호출하세요."))
    stale = (say("the model came with gradients in its .grad from before (as the previous epoch's last backward "
                 "leaves them), and they were added to the first batch's: zero_grad ran after optimizer.step(), not "
                 "before the backward",
                 "모델의 .grad에 이전 변화도가 남아 있었는데(이전 에폭의 마지막 backward가 남기듯이) 첫 배치의 변화도에 "
                 "더해졌습니다: zero_grad를 backward 전이 아니라 optimizer.step() 뒤에 호출했습니다"),
             say("Per batch: optimizer.zero_grad() first, then the forward, backward and optimizer.step().",
                 "배치마다 optimizer.zero_grad()를 먼저 호출한 뒤 순전파, backward, optimizer.step()을 하세요."))
    assert_tensor(got, _params(model), say("all parameters after one epoch, against a reference loop",
                                           "에폭 한 번 뒤의 모든 매개변수를 기준 루프와 비교"),
                  mistakes={stale: _params(late)},
                  hint=say("model.train(); per batch: zero_grad, F.cross_entropy(model(x), y), backward, "
                           "optimizer.step(), scheduler.step().",
                           "model.train()을 호출한 뒤 배치마다 zero_grad, F.cross_entropy(model(x), y), backward, "
                           "optimizer.step(), scheduler.step() 순서로 진행하세요."))
    check(type(returned) is float, say(f"train_one_epoch should return a Python float, got {type(returned).__name__}.",
                                       f"train_one_epoch은 Python float를 반환해야 하는데 {type(returned).__name__}입니다."),
          say("Accumulate loss.item() * batch size.", "loss.item() * 배치 크기를 누적하세요."))
    batch_means = (say("the mean of the batch means: the last batch holds 4 images, the others 12, so each batch's "
                       "loss must count as many times as it has samples",
                       "배치 평균들의 평균입니다: 마지막 배치는 이미지가 4장이고 나머지는 12장이므로, 각 배치의 손실은 "
                       "샘플 수만큼 세어야 합니다"),
                   say("Add loss.item() * len(y) per batch and divide by the number of samples.",
                       "배치마다 loss.item() * len(y)를 더하고 샘플 수로 나누세요."))
    assert_scalar(returned, want_loss, say("the mean loss per sample returned by train_one_epoch",
                                           "train_one_epoch이 반환한 샘플당 평균 손실"), rtol=1e-5,
                  mistakes={batch_means: mean_of_batch_means})


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("evaluate measures loss and accuracy in eval mode without autograd",
                   ko="evaluate는 Autograd 없이 평가 모드에서 손실과 정확도를 계산합니다")
def test_evaluate_uses_eval_mode_without_grad(impl, run_seed):
    model_seed, data_seed = _derived(run_seed, 70), _derived(run_seed, 72)
    (result, running_mean, seen, grad_is_none) = evaluate_in_train_mode(impl, model_seed, data_seed)
    reference = _eval_model(model_seed).eval()
    x, y = _images(data_seed, n=45).tensors
    with torch.no_grad():
        logits = reference(x)
    result = expect_type(result, tuple, "evaluate(model, loader)",
                         say("Return (mean_loss, accuracy) as a tuple of floats.",
                             "(mean_loss, accuracy)를 float 두 개의 튜플로 반환하세요."))
    check(len(result) == 2, say(f"evaluate should return (mean_loss, accuracy), got {len(result)} values.",
                                f"evaluate는 (mean_loss, accuracy)를 반환해야 하는데 값이 {len(result)}개입니다."))
    eval_hint = say("Call model.eval() first: in training mode Dropout drops units and BatchNorm uses and updates batch "
                    "statistics.", "먼저 model.eval()을 호출하세요: 학습 모드에서는 드롭아웃이 유닛을 버리고 BatchNorm이 "
                    "배치 통계를 쓰고 갱신합니다.")
    check(seen and not any(training for _, training in seen),
          say("evaluate ran the model in training mode; call model.eval().",
              "evaluate가 모델을 학습 모드로 실행했습니다. model.eval()을 호출하세요."), eval_hint)
    check(not any(grad for grad, _ in seen) and all(grad_is_none),
          say("evaluate ran the model with autograd on (use torch.no_grad()).",
              "evaluate가 Autograd를 켠 채로 모델을 실행했습니다(torch.no_grad()를 쓰세요)."),
          say("Wrap the loop in `with torch.no_grad():` (or torch.inference_mode()).",
              "루프를 `with torch.no_grad():`(또는 torch.inference_mode())로 감싸세요."))
    kinds = [(english, korean, type(value).__name__) for english, korean, value
             in zip(("mean loss", "accuracy"), ("평균 손실", "정확도"), result) if not isinstance(value, float)]
    check(not kinds,
          say("evaluate should return two Python floats, but "
              + " and ".join(f"its {english} is a {kind}" for english, _, kind in kinds)
              + ": the totals were kept as tensors instead of adding each batch's number.",
              "evaluate는 Python float 두 개를 반환해야 하는데, "
              + ", ".join(f"{korean}의 타입이 {kind}" for _, korean, kind in kinds)
              + "입니다: 배치마다 숫자를 더하지 않고 텐서로 합계를 냈습니다."),
          say("Add loss.item() and (logits.argmax(dim=1) == y).sum().item() per batch, so the totals are numbers.",
              "배치마다 loss.item()과 (logits.argmax(dim=1) == y).sum().item()을 더해서 합계가 숫자가 되게 하세요."))
    assert_tensor(running_mean, reference[1].running_mean, say("BatchNorm's running_mean after evaluate",
                                                               "evaluate 뒤의 BatchNorm running_mean"), hint=eval_hint)
    assert_scalar(result[0], F.cross_entropy(logits, y).item(),
                  say("evaluate's mean loss (batches of 20, 20, 5)", "evaluate의 평균 손실(배치 20, 20, 5)"), rtol=1e-5,
                  hint=say("Sum F.cross_entropy(logits, y, reduction='sum') and divide by the number of samples.",
                           "F.cross_entropy(logits, y, reduction='sum')을 더한 뒤 샘플 수로 나누세요."))
    assert_scalar(result[1], (logits.argmax(1) == y).float().mean().item(),
                  say("evaluate's accuracy", "evaluate의 정확도"), rtol=1e-6,
                  hint=say("Count logits.argmax(dim=1) == y over all samples.",
                           "모든 샘플에서 logits.argmax(dim=1) == y인 개수를 세세요."))


def _drawn_search(draw, best):
    """(val_acc, test_acc, val_loss) for configs a-e drawn from `draw`: the best by val_acc at index `best`, which is
    the worst by test accuracy and by validation loss (so no other rule picks it)."""
    vals = [v / 100 for v in draw.sample(range(10, 90), 5)]
    vals[best] = 0.95
    tests = [round(draw.uniform(0.2, 0.99), 3) for _ in range(5)]
    tests[best] = 0.1
    losses = [round(draw.uniform(0.1, 3.0), 3) for _ in range(5)]
    losses[best] = 3.5
    return {name: (v, t, loss) for name, v, t, loss in zip("abcde", vals, tests, losses)}


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("search picks the configuration with the best validation accuracy",
                   ko="search는 검증 정확도가 가장 높은 설정을 고릅니다")
def test_search_picks_best_validation_config(impl, run_seed):
    configs = [{"name": name, "lr": lr} for name, lr in (("a", 0.01), ("b", 0.05), ("c", 0.1), ("d", 0.2), ("e", 0.4))]
    draw = random.Random(_derived(run_seed, 80))
    cases = (  # (val_acc, test_acc, val_loss) per config; the best by val_acc is neither best by test nor by loss
        {"a": (0.61, 0.70, 1.1), "b": (0.74, 0.69, 0.9), "c": (0.71, 0.78, 0.7), "d": (0.52, 0.50, 1.5),
         "e": (0.60, 0.80, 1.2)},
        {"a": (0.80, 0.60, 0.5), "b": (0.80, 0.90, 0.4), "c": (0.30, 0.95, 2.0), "d": (0.10, 0.10, 3.0),
         "e": (0.79, 0.92, 0.3)},
        *(_drawn_search(draw, best) for best in draw.sample(range(5), 3)),  # drawn for this run, best in 3 places
    )
    for case in cases:
        metrics = {name: {"val_acc": v, "test_acc": t, "val_loss": loss} for name, (v, t, loss) in case.items()}
        best, results, calls = search_with_fake_runs(impl, configs, metrics)
        names = [c["name"] for c in configs]
        check(calls == names, say(f"search ran the configs {calls}; expected each of {names} once, in order.",
                                  f"search가 실행한 설정은 {calls}입니다. {names} 설정을 순서대로 한 번씩 실행해야 합니다."),
              say("Call train_and_evaluate(config) once per config.",
                  "설정마다 train_and_evaluate(config)를 한 번 호출하세요."))
        want = next(c for c in configs if case[c["name"]][0] == max(v for v, _, _ in case.values()))
        chosen = best.get("name") if isinstance(best, dict) else best
        by_test = max(configs, key=lambda c: case[c["name"]][1])["name"]
        check(chosen == want["name"],
              say(f"search chose {chosen!r}; the best validation accuracy is {want['name']!r}"
                  + (" (you chose by test accuracy: the test set is for the final report only)." if chosen == by_test
                     else " (on a tie, the first one)."),
                  f"search가 고른 설정은 {chosen!r}인데, 검증 정확도가 가장 높은 것은 {want['name']!r}입니다"
                  + (" (테스트 정확도로 골랐습니다: 테스트 데이터셋은 마지막 보고에만 씁니다)." if chosen == by_test
                     else " (정확도가 같으면 앞의 것을 고릅니다).")),
              say('Choose by results[i]["val_acc"]: max over configs, the first on a tie.',
                  'results[i]["val_acc"]로 고르세요: 가장 큰 것, 같으면 앞의 것입니다.'))
        check(best == want, say(f"search should return the config dict itself, got {best!r}.",
                                f"search는 설정 dict 자체를 반환해야 하는데 {best!r}입니다."))
        check(results == [metrics[n] for n in names],
              say("search's results should be the metric dicts, one per config, in order.",
                  "search의 results는 설정 순서대로 하나씩 있는 지표 dict의 목록이어야 합니다."))


# -- tuning as a method: sampling a space, random search, successive halving ----------------------------------------
# The runs are stand-ins the grader supplies (graders/observations: fake_scores, fake_val_acc), fixed functions of the
# config and the budget, so the judge knows every result and computes what each method should have done.
SPACE = {"lr": ("log_uniform", 1e-5, 1.0), "dropout": ("uniform", 0.0, 0.5), "batch_size": ("choice", [32, 64, 128, 256])}
SAMPLES = 500  # draws for the distribution check: each band below holds its expected share +- 5 standard deviations
DECADE_SHARE, HALF_SHARE, OPTION_SHARE = (0.1, 0.3), (0.38, 0.62), (0.15, 0.35)
MAX_CORRELATION = 0.3  # independent keys: |r| has a standard deviation of about 1 / sqrt(SAMPLES) = 0.045
# Successive halving's fixed cases (ceiling, tau) per config: in each, keeping the worst, and ranking later rounds by
# the first round's results, keep other configs than the right one, and the right one is not the best at min_budget.
HALVING_CURVES = {
    (2, 2): [(0.67, 7.7), (0.77, 5.6), (0.63, 7.6), (0.83, 7.7), (0.91, 2.7), (0.69, 1.7), (0.61, 1.0), (0.67, 5.0)],
    (1, 3): [(0.63, 0.8), (0.74, 3.4), (0.79, 4.9), (0.65, 7.3), (0.55, 3.5), (0.66, 3.6), (0.6, 6.7), (0.7, 0.8),
             (0.8, 1.2)],
}


def _outside_space(config, space):
    """None when `config` is inside `space`, else what is off (both languages)."""
    if not isinstance(config, dict) or set(config) != set(space):
        return say(f"sample_config gave {config!r}; expected a dict with exactly the keys {sorted(space)}.",
                   f"sample_config가 준 값은 {config!r}입니다. 키가 정확히 {sorted(space)}인 dict여야 합니다.")
    for name, (kind, *args) in space.items():
        value = config[name]
        if kind == "choice":
            if value not in args[0]:
                return say(f"{name}={value!r} is not one of the options {args[0]}.",
                           f"{name}의 값 {value!r}: 선택지 {args[0]} 중 하나가 아닙니다.")
            continue
        low, high = args
        if type(value) is not float:
            return say(f"{name} should be a Python float, got {type(value).__name__} (use .item()).",
                       f"{name}: Python float여야 하는데 {type(value).__name__} 타입입니다(.item()을 쓰세요).")
        if not low - 1e-9 * abs(low) - 1e-12 <= value <= high + 1e-9 * abs(high) + 1e-12:
            return say(f"{name}={value!r} lies outside [{low}, {high}].",
                       f"{name}의 값 {value!r}: [{low}, {high}] 범위를 벗어납니다.")
    return None


def _inside_space(configs, space, hint):
    for config in configs:
        outside = _outside_space(config, space)
        check(outside is None, outside or "", hint)


_SPACE_HINT = say('Draw every key of the space: ("log_uniform", low, high) -> exp(log(low) + u * (log(high) - '
                  'log(low))), ("uniform", low, high) -> low + u * (high - low), ("choice", options) -> one of options, '
                  "with u = torch.rand((), generator=generator).item().",
                  '탐색 공간의 모든 키를 뽑으세요: ("log_uniform", low, high) -> exp(log(low) + u * (log(high) - '
                  'log(low))), ("uniform", low, high) -> low + u * (high - low), ("choice", options) -> options 중 '
                  "하나이며, u = torch.rand((), generator=generator).item()입니다.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("sample_config draws inside the space, from the generator it is given",
                   ko="sample_config는 주어진 생성기로 탐색 공간 안에서 뽑습니다")
def test_sample_config_stays_in_the_space_and_follows_its_generator(impl, run_seed):
    seed, other = _derived(run_seed, 100), _derived(run_seed, 101)
    first = sampled_configs(impl, SPACE, seed, 6, seed + 1)
    _inside_space(first, SPACE, _SPACE_HINT)
    again = sampled_configs(impl, SPACE, seed, 6, seed + 2)
    use_it = say("Take every random number from `generator`: torch.rand((), generator=generator), never torch.rand() "
                 "or random.random(), and never a generator of your own.",
                 "모든 난수를 `generator`에서 가져오세요: torch.rand((), generator=generator)를 쓰고, torch.rand()나 "
                 "random.random(), 직접 만든 생성기는 쓰지 마세요.")
    check(again == first,
          say(f"Six draws with a generator seeded {seed} gave {first}, and after the global random state was seeded "
              f"again, the same seed gave {again}: the draws come from the global random state, not from `generator`.",
              f"시드 {seed}인 생성기로 여섯 번 뽑은 결과가 {first}였는데, 전역 난수 상태의 시드를 다시 정한 뒤 같은 "
              f"시드로 뽑은 결과는 {again}입니다: `generator`가 아니라 전역 난수 상태에서 뽑고 있습니다."), use_it)
    check(len({repr(c) for c in first}) == len(first),
          say(f"Six draws from one generator gave {first}: the same configuration more than once (do not re-seed or "
              "rebuild the generator inside sample_config).",
              f"한 생성기에서 여섯 번 뽑은 결과가 {first}입니다: 같은 설정이 두 번 이상 나왔습니다(sample_config "
              "안에서 생성기의 시드를 다시 정하거나 생성기를 새로 만들지 마세요)."), use_it)
    different = sampled_configs(impl, SPACE, other, 6, seed + 1)
    check(different != first,
          say(f"Generators seeded {seed} and {other} gave the same configurations {first}: the draws ignore the "
              "generator they are given.",
              f"시드가 {seed}인 생성기와 {other}인 생성기가 같은 설정을 주었습니다({first}): 주어진 생성기를 쓰지 "
              "않고 있습니다."), use_it)


def _shares(values, edges):
    """The fraction of `values` in each band [edges[i], edges[i + 1]) (the last band closed)."""
    counts = [0] * (len(edges) - 1)
    for value in values:
        counts[min(max(sum(value >= e for e in edges[1:-1]), 0), len(counts) - 1)] += 1
    return [round(count / len(values), 3) for count in counts]


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("sample_config draws learning rates log-uniformly, uniform floats and every choice evenly",
                   ko="sample_config는 학습률을 로그 균등 분포로, uniform은 균등하게, choice는 골고루 뽑습니다")
def test_sample_config_draws_each_kind_with_its_distribution(impl, run_seed):
    configs = sampled_configs(impl, SPACE, _derived(run_seed, 102), SAMPLES, 7)
    _inside_space(configs, SPACE, _SPACE_HINT)
    decades = _shares([math.log10(c["lr"]) for c in configs], [-5, -4, -3, -2, -1, 0])
    low, high = DECADE_SHARE
    linear = decades[-1] > 0.6
    check(all(low <= share <= high for share in decades),
          say(f"Of {SAMPLES} learning rates from ('log_uniform', 1e-5, 1.0), the shares in the decades 1e-5..1e-4, "
              f"..., 0.1..1 are {decades}; a log-uniform draw puts about 0.2 in each (between {low} and {high} here)"
              + (": you drew lr uniformly between low and high, so nine in ten land above 0.1." if linear else "."),
              f"('log_uniform', 1e-5, 1.0)에서 뽑은 학습률 {SAMPLES}개가 1e-5..1e-4, ..., 0.1..1 자릿수 구간에 "
              f"들어간 비율은 {decades}입니다. 로그 균등 분포로 뽑으면 구간마다 약 0.2입니다(여기서는 {low}에서 "
              f"{high} 사이)" + (": lr을 low와 high 사이에서 균등하게 뽑아서 열에 아홉은 0.1보다 큽니다." if linear
                                 else ".")),
          say("Draw the logarithm uniformly: math.exp(math.log(low) + u * (math.log(high) - math.log(low))).",
              "로그 값을 균등하게 뽑으세요: math.exp(math.log(low) + u * (math.log(high) - math.log(low)))."))
    halves = _shares([c["dropout"] for c in configs], [0.0, 0.25, 0.5])
    check(HALF_SHARE[0] <= halves[0] <= HALF_SHARE[1],
          say(f"Of {SAMPLES} values from ('uniform', 0.0, 0.5), {halves[0]} lie below 0.25; a uniform draw puts about "
              f"half there (between {HALF_SHARE[0]} and {HALF_SHARE[1]} here).",
              f"('uniform', 0.0, 0.5)에서 뽑은 값 {SAMPLES}개 중 0.25보다 작은 비율이 {halves[0]}입니다. 균등하게 "
              f"뽑으면 약 절반입니다(여기서는 {HALF_SHARE[0]}에서 {HALF_SHARE[1]} 사이)."),
          say("A 'uniform' value is low + u * (high - low), with u uniform in [0, 1).",
              "'uniform' 값은 low + u * (high - low)이고, u는 [0, 1)에서 균등합니다."))
    options = SPACE["batch_size"][1]
    shares = [round(sum(c["batch_size"] == option for c in configs) / SAMPLES, 3) for option in options]
    never = [option for option, share in zip(options, shares) if share == 0]
    check(all(OPTION_SHARE[0] <= share <= OPTION_SHARE[1] for share in shares),
          say(f"Of {SAMPLES} choices among {options}, the shares are {shares}; each should be about "
              f"{1 / len(options):.2f} (between {OPTION_SHARE[0]} and {OPTION_SHARE[1]} here)"
              + (f": {never} was never drawn, every option must be possible." if never else "."),
              f"{options} 중에서 {SAMPLES}번 고른 비율은 {shares}입니다. 균등하게 고르면 각각 약 "
              f"{1 / len(options):.2f}입니다(여기서는 {OPTION_SHARE[0]}에서 {OPTION_SHARE[1]} 사이)"
              + (f": 한 번도 뽑히지 않은 선택지가 있습니다({never}). 모든 선택지가 나올 수 있어야 합니다." if never else ".")),
          say("Pick index int(u * len(options)) (u in [0, 1)) or torch.randint(len(options), (), generator=generator).",
              "인덱스를 int(u * len(options))(u는 [0, 1)) 또는 torch.randint(len(options), (), generator=generator)로 "
              "고르세요."))
    drawn = {"log10(lr)": [math.log10(c["lr"]) for c in configs], "dropout": [c["dropout"] for c in configs],
             "batch_size": [options.index(c["batch_size"]) for c in configs]}
    tied = [(a, b, _correlation(drawn[a], drawn[b])) for a, b in itertools.combinations(drawn, 2)]
    a, b, r = max(tied, key=lambda pair: abs(pair[2]))
    check(abs(r) <= MAX_CORRELATION,
          say(f"Of {SAMPLES} configurations, {a} and {b} move together (correlation {r:.2f}; keys drawn independently "
              f"give about 0, at most {MAX_CORRELATION} here): one random number is shared by several keys.",
              f"설정 {SAMPLES}개에서 두 키의 값이 함께 움직입니다: {a}, {b}(상관계수 {r:.2f}. 키를 독립적으로 "
              f"뽑으면 0 근처이고, 여기서는 {MAX_CORRELATION} 이하여야 합니다). 난수 하나를 여러 키가 함께 씁니다."),
          say("Draw u = torch.rand((), generator=generator).item() inside the loop over the keys, once per key.",
              "u = torch.rand((), generator=generator).item()를 키에 대한 루프 안에서 키마다 한 번씩 뽑으세요."))


def _correlation(xs, ys):
    """Pearson's correlation of two equally long lists (0 when either is constant)."""
    r = torch.corrcoef(torch.tensor([xs, ys], dtype=torch.float64))[0, 1].item()
    return 0.0 if math.isnan(r) else r


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("random_search tries n sampled configurations and keeps the best by validation accuracy",
                   ko="random_search는 뽑은 설정 n개를 시도하고 검증 정확도가 가장 높은 것을 남깁니다")
def test_random_search_tries_sampled_configs_and_keeps_the_best(impl, run_seed):
    trials = 12
    for attempt in range(12):  # a run where two of the rules below pick the same trial cannot tell them apart
        seed = _derived(run_seed, 103 + attempt)
        (best, history, calls), (_, _, calls_again) = random_search_with_fake_runs(impl, SPACE, trials, seed)
        scores = [fake_scores(c) for c in calls if isinstance(c, dict)]
        if len(scores) != trials:
            break
        picks = {max(range(trials), key=lambda i: (scores[i]["val_acc"], -i)),  # the best: what is asked
                 max(range(trials), key=lambda i: scores[i]["test_acc"]),  # chosen by test accuracy
                 min(range(trials), key=lambda i: scores[i]["val_acc"]),  # the worst kept
                 trials - 1}  # the last trial returned
        if len(picks) == 4:
            break
    check(len(calls) == trials,
          say(f"random_search(space, {trials}, ...) ran train_and_evaluate {len(calls)} times; expected {trials}.",
              f"random_search(space, {trials}, ...)가 train_and_evaluate를 {len(calls)}번 실행했습니다. {trials}번이어야 "
              "합니다."), say("One trial per configuration drawn, n_trials in all.",
                              "뽑은 설정마다 시도 한 번, 모두 n_trials번입니다."))
    _inside_space(calls, SPACE, _SPACE_HINT)
    check(len({repr(c) for c in calls}) == trials,
          say(f"random_search tried {len({repr(c) for c in calls})} different configurations in {trials} trials: you "
              "drew one configuration for all trials (draw a new one in every trial).",
              f"random_search가 시도 {trials}번에서 서로 다른 설정을 {len({repr(c) for c in calls})}개만 시도했습니다: "
              "모든 시도에 설정 하나를 뽑아 썼습니다(시도마다 새로 뽑으세요)."),
          say("Call sample_config(space, generator) inside the loop, once per trial.",
              "반복문 안에서 시도마다 sample_config(space, generator)를 한 번 호출하세요."))
    check(calls_again == calls,
          say("random_search with a generator of the same seed tried other configurations once the global random "
              "state changed: draw only from the generator it is given.",
              "같은 시드의 생성기를 주었는데 전역 난수 상태가 바뀌자 random_search가 다른 설정을 시도했습니다: "
              "주어진 생성기에서만 뽑으세요."))
    pairs = [tuple(entry) if isinstance(entry, (list, tuple)) else entry for entry in history]
    check(pairs == [(c, fake_scores(c)) for c in calls],
          say("random_search's history should be the (config, metrics) pairs of the trials, in the order they ran.",
              "random_search의 history는 실행한 순서대로 시도마다 하나씩인 (config, metrics) 쌍의 목록이어야 합니다."))
    vals = [fake_scores(c)["val_acc"] for c in calls]
    want = calls[max(range(trials), key=lambda i: (vals[i], -i))]
    by_test = calls[max(range(trials), key=lambda i: fake_scores(calls[i])["test_acc"])]
    worst = calls[min(range(trials), key=lambda i: vals[i])]
    why = say(" (you chose by test accuracy)", " (테스트 정확도로 골랐습니다)") if best == by_test else (
        say(" (you kept the lowest validation accuracy)", " (검증 정확도가 가장 낮은 것을 남겼습니다)") if best == worst
        else say(" (you returned the last trial)", " (마지막 시도를 반환했습니다)") if best == calls[-1] else "")
    check(best == want,
          say(f"random_search returned {best!r}; the best validation accuracy of its trials is {want!r}{why}.",
              f"random_search가 반환한 설정은 {best!r}인데, 시도 중 검증 정확도가 가장 높은 것은 {want!r}입니다{why}."),
          say("Let search(configs, train_and_evaluate) choose among the configurations you drew.",
              "뽑은 설정들 가운데 고르는 일은 search(configs, train_and_evaluate)에 맡기세요."))


def _halving_cases(run_seed):
    """(curves, min_budget, eta) per case: the two fixed ones, then one drawn for this run (10 configs, eta 3)."""
    draw = random.Random(_derived(run_seed, 110))
    drawn = [(round(draw.uniform(0.5, 0.95), 4), round(draw.uniform(0.5, 10.0), 3)) for _ in range(10)]
    return [(curves, min_budget, eta) for (min_budget, eta), curves in HALVING_CURVES.items()] + [(drawn, 1, 3)]


def _judge_halving(curves, min_budget, eta, mode="right"):
    """The judge's successive halving over the fake curves: ([(budget, names trained)] per round, the name kept).
    mode "worst" keeps the lowest, "stale" ranks every round by the first round's results, "flat" never grows the
    budget (the learner's mistakes, computed here to name them)."""
    alive, budget, rounds, first = [f"c{i}" for i in range(len(curves))], min_budget, [], {}
    while len(alive) > 1:
        scores = {name: fake_val_acc(curves[int(name[1:])], budget) for name in alive}
        first = first or dict(scores)
        if mode == "stale":
            scores = {name: first[name] for name in alive}
        rounds.append((budget, list(alive)))
        ranked = sorted(alive, key=lambda name: scores[name] if mode == "worst" else -scores[name])
        alive = ranked[:max(1, len(alive) // eta)]
        budget = budget if mode == "flat" else budget * eta
    return rounds, alive[0]


def _halving_run(impl, curves, min_budget, eta):
    configs = [{"name": f"c{i}", "lr": round(0.01 * 1.5 ** i, 6)} for i in range(len(curves))]
    named = {f"c{i}": curve for i, curve in enumerate(curves)}
    best, history, calls = successive_halving_with_fake_runs(impl, configs, named, min_budget, eta)
    return configs, best, history, calls


def _budgets(rounds):
    return [float(budget) for budget, names in rounds for _ in names]


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("successive_halving spends the schedule's budget: all configs at min_budget, then 1/eta of them "
                   "at eta times more", ko="successive_halving은 일정대로 예산을 씁니다: 모든 설정을 min_budget으로, "
                   "그다음 1/eta를 eta배 예산으로")
def test_successive_halving_spends_the_schedules_budget(impl, run_seed):
    for curves, min_budget, eta in _halving_cases(run_seed):
        configs, _best, history, calls = _halving_run(impl, curves, min_budget, eta)
        rounds, _ = _judge_halving(curves, min_budget, eta)
        expected = _budgets(rounds)
        try:
            called = [float(budget) for _, budget in calls]
        except (TypeError, ValueError):
            called = None
        check(called is not None, say(f"successive_halving called train_for with budgets {[b for _, b in calls]}; "
                                      "a budget is a number of epochs.",
                                      f"successive_halving이 train_for에 준 예산은 {[b for _, b in calls]}입니다. "
                                      "예산은 에폭 수입니다."))
        last = rounds[-1][0]
        schedule = " + ".join(f"{len(names)} x {budget}" for budget, names in rounds)
        assert_tensor(torch.tensor(called, dtype=torch.float64), torch.tensor(expected, dtype=torch.float64),
                      say(f"the budgets of train_for's calls for {len(configs)} configs, min_budget={min_budget}, "
                          f"eta={eta} ({sum(called):g} epochs in all; the schedule spends {schedule} = "
                          f"{sum(expected):g})",
                          f"설정 {len(configs)}개, min_budget={min_budget}, eta={eta}일 때 train_for 호출마다의 예산"
                          f"(모두 {sum(called):g}에폭. 일정대로라면 {schedule} = {sum(expected):g})"),
                      mistakes={
                          say("the budget never grew (multiply it by eta after every round)",
                              "예산이 한 번도 늘지 않았습니다(라운드마다 예산에 eta를 곱하세요)"):
                              torch.tensor([float(min_budget)] * len(expected), dtype=torch.float64),
                          say(f"one round too many: the last config left was trained again at budget {last * eta} "
                              "(stop when one config remains)",
                              f"라운드가 하나 더 있습니다: 마지막으로 남은 설정을 다시 학습했습니다(예산 {last * eta})"
                              "(설정이 하나 남으면 멈추세요)"):
                              torch.tensor(expected + [float(last * eta)], dtype=torch.float64),
                          say(f"one round too few: the last round ({len(rounds[-1][1])} configs at budget {last}) "
                              "never ran (go on while more than one config is alive)",
                              f"라운드가 하나 모자랍니다: 마지막 라운드(예산 {last}에서 설정 {len(rounds[-1][1])}개)가 "
                              "실행되지 않았습니다(살아 있는 설정이 둘 이상인 동안 계속하세요)"):
                              torch.tensor(_budgets(rounds[:-1]), dtype=torch.float64),
                          say("only the first round trained: results from a smaller budget were reused instead of "
                              "training the survivors again at the larger budget",
                              "첫 라운드만 학습했습니다: 남은 설정을 더 큰 예산으로 다시 학습하지 않고 더 작은 예산의 "
                              "결과를 다시 썼습니다"):
                              torch.tensor(_budgets(rounds[:1]), dtype=torch.float64),
                      },
                      hint=say("Each round calls train_for(config, budget) once per alive config; then keep "
                               "max(1, len(alive) // eta) and multiply the budget by eta.",
                               "라운드마다 살아 있는 설정마다 train_for(config, budget)를 한 번 호출하고, "
                               "max(1, len(alive) // eta)개를 남긴 뒤 예산에 eta를 곱하세요."))
        first_round = sorted(name for name, _ in calls[:len(configs)])
        check(first_round == sorted(c["name"] for c in configs),
              say(f"The first round should train every config once; it trained {first_round}.",
                  f"첫 라운드는 모든 설정을 한 번씩 학습해야 하는데 학습한 설정은 {first_round}입니다."))
        by_name = {c["name"]: c for c in configs}
        want = [(by_name[name], budget, {"val_acc": fake_val_acc(curves[int(name[1:])], budget)})
                for name, budget in calls]
        entries = [tuple(entry) if isinstance(entry, (list, tuple)) else entry for entry in history]
        check(entries == want,
              say("successive_halving's history should be the (config, budget, metrics) of every call of train_for, "
                  "in the order of the calls.",
                  "successive_halving의 history는 train_for를 호출한 순서대로 호출마다 하나씩인 (config, budget, "
                  "metrics)의 목록이어야 합니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("successive_halving keeps the best 1/eta of every round and returns the last one left",
                   ko="successive_halving은 라운드마다 가장 좋은 1/eta를 남기고 마지막에 남은 설정을 반환합니다")
def test_successive_halving_keeps_the_best_of_each_round(impl, run_seed):
    rank = say("Rank each round by the val_acc of its own budget, highest first (sorted(..., reverse=True) or "
               "key=lambda i: -score), and keep the first max(1, len(alive) // eta).",
               "각 라운드는 그 라운드 예산의 val_acc로 높은 것부터 정렬하고(sorted(..., reverse=True) 또는 "
               "key=lambda i: -score), 앞의 max(1, len(alive) // eta)개를 남기세요.")
    for curves, min_budget, eta in _halving_cases(run_seed):
        configs, best, _history, calls = _halving_run(impl, curves, min_budget, eta)
        rounds, kept = _judge_halving(curves, min_budget, eta)
        variants = {mode: _judge_halving(curves, min_budget, eta, mode) for mode in ("worst", "stale")}
        mistakes = {"worst": say(" (you kept the worst: sort by val_acc from the highest)",
                                 " (가장 나쁜 것을 남겼습니다: val_acc가 높은 것부터 정렬하세요)"),
                    "stale": say(" (you ranked later rounds by the first round's results: rank each round by the "
                                 "results at its own budget)",
                                 " (나중 라운드를 첫 라운드의 결과로 순위를 매겼습니다: 각 라운드는 그 라운드 예산의 "
                                 "결과로 순위를 매기세요)")}
        if _budgets(rounds) == [float(b) for _, b in calls]:  # the schedule was kept: compare each round's survivors
            start = 0
            for index, (budget, names) in enumerate(rounds):
                trained = sorted(name for name, _ in calls[start:start + len(names)])
                start += len(names)
                why = next((text for mode, text in mistakes.items()
                            if sorted(variants[mode][0][index][1]) == trained != sorted(names)), "")
                check(trained == sorted(names),
                      say(f"Round {index + 1} (budget {budget}) trained {trained}; the configs kept after the earlier "
                          f"rounds are {sorted(names)}{why}.",
                          f"{index + 1}번째 라운드(예산 {budget})에서 학습한 설정은 {trained}인데, 앞 라운드들 뒤에 "
                          f"남아야 하는 설정은 {sorted(names)}입니다{why}."), rank)
        chosen = best.get("name") if isinstance(best, dict) else best
        why = next((text for mode, text in mistakes.items() if variants[mode][1] == chosen != kept), "")
        check(chosen == kept,
              say(f"successive_halving returned {chosen!r} for {len(configs)} configs, min_budget={min_budget}, "
                  f"eta={eta}; the one left after the schedule's rounds is {kept!r}{why}.",
                  f"설정 {len(configs)}개, min_budget={min_budget}, eta={eta}에서 successive_halving이 반환한 설정은 "
                  f"{chosen!r}인데, 일정대로 라운드를 마치고 남는 설정은 {kept!r}입니다{why}."), rank)
        check(best == next(c for c in configs if c["name"] == kept),
              say(f"successive_halving should return the config dict itself, got {best!r}.",
                  f"successive_halving은 설정 dict 자체를 반환해야 하는데 {best!r}입니다."))


@pytest.mark.points(3)
@pytest.mark.convergence
@pytest.mark.title("The ResNet pipeline reaches 80% test accuracy on the generated data",
                   ko="ResNet 파이프라인이 생성된 데이터에서 테스트 정확도 80% 이상에 도달합니다")
def test_resnet_learns_the_generated_cifar(impl, archive, run_seed):
    """Assumes the pipeline the docstrings describe trains ResNet((1, 1, 1), (8, 16, 32)) to 0.80 on new generated
    images in 75 SGD steps. Measured at run seeds 1-3: reference 0.990/0.980/1.000, v2_sequential 1.000/0.965/0.990;
    bar 0.80."""
    losses, reported, pulled = convergence_run(impl, archive, _derived(run_seed, 90) % 100_000)
    num_blocks, widths = (1, 1, 1), (8, 16, 32)
    weights = _validated(pulled, _resnet_layout(num_blocks, widths, 10),
                         say("the trained ResNet((1, 1, 1), (8, 16, 32))", "학습한 ResNet((1, 1, 1), (8, 16, 32))"))
    images, labels = _fresh_images(_derived(run_seed, 91), *_stats(_raw(archive, True)[0]))
    logits = _judge_resnet(images, weights, num_blocks, widths)
    accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
    said = say(f" (your code reported mean training losses {_shown(losses)} and evaluate() gave {_shown(reported)} on the "
               "archive's test set)", f" (코드가 보고한 에폭별 평균 학습 손실은 {_shown(losses)}, 아카이브의 테스트 "
               f"데이터셋에서 evaluate()의 결과는 {_shown(reported)}입니다)")
    check(accuracy >= CONVERGENCE_THRESHOLD,
          say(f"after {CONVERGENCE_EPOCHS} epochs ({CONVERGENCE_EPOCHS * 25} SGD steps) on the generated archive, the "
              f"trained weights, run by the grader's own ResNet on {len(labels)} new images, classify {accuracy:.3f} of "
              f"them right; a correct pipeline reaches at least {CONVERGENCE_THRESHOLD}{said}.",
              f"생성된 아카이브로 {CONVERGENCE_EPOCHS}에폭(SGD {CONVERGENCE_EPOCHS * 25}단계) 학습한 가중치를 "
              f"채점기의 ResNet으로 새 이미지 {len(labels)}장에 실행하니 정확도가 {accuracy:.3f}입니다. 올바른 파이프라인은 "
              f"{CONVERGENCE_THRESHOLD} 이상에 도달합니다{said}."),
          say("Things to check, each with a check of its own above: normalisation with the training statistics, the "
              "shortcut, the schedule, eval mode in evaluate.",
              "확인할 것(각각 위에 따로 검사가 있습니다): 학습 통계를 쓴 정규화, 지름길, 스케줄, evaluate의 평가 모드."))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("train_one_epoch trains a model on CUDA from CPU batches",
                   ko="train_one_epoch은 CPU 배치로 CUDA에 있는 모델을 학습합니다")
def test_train_one_epoch_on_cuda(impl, run_seed):
    net_seed, data_seed = _derived(run_seed, 62), _derived(run_seed, 63)
    returned, got, _, _ = one_epoch_with_schedule(impl, net_seed, data_seed, "cuda")
    model = _tiny_net(net_seed)
    _reference_epoch(model, *_sgd_with_decay(model), data_seed)
    assert_tensor(got, _params(model), say("parameters after one epoch on CUDA", "CUDA에서 에폭 한 번 뒤의 매개변수"),
                  rtol=1e-4, atol=1e-5, hint=say("Move each batch to the model's device: "
                                                 "x.to(next(model.parameters()).device).",
                                                 "각 배치를 모델의 장치로 옮기세요: x.to(next(model.parameters()).device)."))
    check(isinstance(returned, float), say("train_one_epoch on CUDA should return a Python float.",
                                           "CUDA에서도 train_one_epoch은 Python float를 반환해야 합니다."), "loss.item()")
