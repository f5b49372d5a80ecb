"""3.1 Convolutional networks: the promises each part of exercises/s3_1_cnn.py keeps."""
import contextlib

import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from graders.support.assertions import assert_tensor, check, expect_tensor, say
from graders.support import errors
from graders.support.calls import torch_functions_called
from graders.support.data import digits
from ptgrade.remote import WorkerProblem, observation

CONV_HINT = say("PyTorch convolves without flipping the kernel (cross-correlation). With F.unfold pass dilation=, "
                "padding= and stride= and multiply by weight.reshape(out, -1); out_h = (H + 2p - d(k-1) - 1) // s + 1 "
                "per axis (use stride[0] for rows, stride[1] for columns); add the bias per output channel.",
                "PyTorch의 합성곱은 커널을 뒤집지 않습니다(교차 상관, cross-correlation). F.unfold에 dilation=, padding=, "
                "stride=를 넘기고 weight.reshape(out, -1)을 곱하세요. 축마다 out_h = (H + 2p - d(k-1) - 1) // s + 1입니다 "
                "(행에는 stride[0], 열에는 stride[1]을 쓰세요). 편향(bias)은 출력 채널마다 더하세요.")

# (batch, in, H, W, out, kh, kw, stride, padding, dilation, bias)
CONV_CASES = (
    (2, 3, 7, 6, 4, 3, 3, 1, 0, 1, True),
    (1, 2, 9, 8, 3, 3, 2, 2, 1, 1, True),
    (2, 1, 10, 11, 2, 3, 3, (2, 1), (1, 2), 2, True),
    (1, 3, 8, 8, 5, 1, 1, 1, 0, 1, False),
    (2, 2, 12, 9, 3, 2, 3, 3, 2, (2, 1), True),
)


DOWNLOAD_MESSAGE = say("your code tried to download pretrained weights.",
                       "코드가 사전 학습된 가중치를 내려받으려 했습니다.")
DOWNLOAD_HINT = say("build with weights=None; nothing may download in this kit (weights=ResNet18_Weights.DEFAULT is for "
                    "your own projects).",
                    "weights=None으로 만드세요. 이 키트에서는 아무것도 내려받을 수 없습니다 "
                    "(weights=ResNet18_Weights.DEFAULT는 여러분의 프로젝트에서 쓰세요).")


class DownloadAttempt(Exception):
    """Raised in the student's process where torchvision would fetch pretrained weights."""


def _no_download(*args, **kwargs):
    raise DownloadAttempt("pretrained weights requested")


@contextlib.contextmanager
def _offline():
    """torchvision fetches weights through this function; any attempt raises DownloadAttempt (in the worker, where
    the student's code builds its models)."""
    api = torchvision.models._api
    saved = api.load_state_dict_from_url
    api.load_state_dict_from_url = _no_download
    try:
        yield
    finally:
        api.load_state_dict_from_url = saved


def _build_offline(impl, builder, **kwargs):
    """impl.<builder>(**kwargs) with downloads refused: (model, False), or (None, True) when it tried to download."""
    try:
        with _offline():
            return getattr(impl, builder)(**kwargs), False
    except DownloadAttempt:
        return None, True


def _check_no_download(downloaded: bool) -> None:
    check(not downloaded, DOWNLOAD_MESSAGE, DOWNLOAD_HINT)


def _conv_inputs(case, seed, dtype=torch.float64):
    batch, cin, h, w, cout, kh, kw, stride, padding, dilation, use_bias = case
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, cin, h, w, generator=generator, dtype=dtype)
    weight = torch.randn(cout, cin, kh, kw, generator=generator, dtype=dtype)
    bias = torch.randn(cout, generator=generator, dtype=dtype) if use_bias else None
    return x, weight, bias, dict(stride=stride, padding=padding, dilation=dilation)


def _int(value, what, hint):
    check(isinstance(value, int) and not isinstance(value, bool), say(f"{what} should be a Python int, got "
                                                                      f"{type(value).__name__} {value!r}.",
                                                                      f"{what}은(는) Python int여야 하는데 {type(value).__name__} {value!r}입니다."), hint)
    return value


# -- output-size arithmetic -------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("conv2d_output_size gives the output size of nn.Conv2d",
                   ko="conv2d_output_size는 nn.Conv2d와 같은 출력 크기를 계산합니다")
def test_conv_output_size_matches_conv2d(impl):
    hint = say("out = (size + 2*padding - dilation*(kernel - 1) - 1) // stride + 1 (floor division; dilation spreads the kernel).",
               "out = (size + 2*padding - dilation*(kernel - 1) - 1) // stride + 1입니다(내림 나눗셈; dilation은 커널을 벌려 놓습니다).")
    generator = torch.Generator().manual_seed(0)
    cases = [(32, 3, 2, 1, 1), (7, 3, 1, 0, 2)]
    while len(cases) < 12:
        size, k, s, p, d = (int(torch.randint(lo, hi, (1,), generator=generator))
                            for lo, hi in ((5, 21), (1, 5), (1, 4), (0, 3), (1, 4)))
        if size + 2 * p - d * (k - 1) - 1 >= 0:
            cases.append((size, k, s, p, d))
    for size, k, s, p, d in cases:
        conv = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, device="meta")
        want = conv(torch.empty(1, 1, size, size, device="meta")).shape[-1]
        what = f"conv2d_output_size({size}, kernel_size={k}, stride={s}, padding={p}, dilation={d})"
        got = _int(impl.conv2d_output_size(size, k, stride=s, padding=p, dilation=d), what, hint)
        check(got == want, say(f"{what}: nn.Conv2d gives {want}, got {got}.",
                               f"{what}: nn.Conv2d의 결과는 {want}인데 {got}을(를) 반환했습니다."), hint)
    for size, k in ((9, 3), (12, 4)):  # the signature's defaults: stride=1, padding=0, dilation=1, as nn.Conv2d's
        want = nn.Conv2d(1, 1, k, device="meta")(torch.empty(1, 1, size, size, device="meta")).shape[-1]
        what = say(f"conv2d_output_size({size}, {k}) with the defaults stride=1, padding=0, dilation=1",
                   f"기본값 stride=1, padding=0, dilation=1을 쓰는 conv2d_output_size({size}, {k})")
        got = _int(impl.conv2d_output_size(size, k), what, hint)
        check(got == want, say(f"{what}: nn.Conv2d gives {want}, got {got}.",
                               f"{what}: nn.Conv2d의 결과는 {want}인데 {got}을(를) 반환했습니다."),
              say("Keep the signature's defaults: they are nn.Conv2d's.", "시그니처의 기본값을 유지하세요: nn.Conv2d와 같습니다."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("pool2d_output_size matches nn.MaxPool2d, ceil_mode included",
                   ko="pool2d_output_size는 ceil_mode까지 포함해 nn.MaxPool2d와 같은 출력 크기를 계산합니다")
def test_pool_output_size_matches_maxpool2d(impl):
    hint = say("A pool's stride defaults to its kernel_size (stride=None), not 1. With ceil_mode=True round the division "
               "up, then drop the last window if (out - 1) * stride >= size + padding.",
               "풀링의 stride 기본값은 1이 아니라 kernel_size입니다(stride=None). ceil_mode=True이면 나눗셈을 올림한 뒤, "
               "(out - 1) * stride >= size + padding이면 마지막 윈도우를 버리세요.")
    cases = [(8, 2, None, 0, 1, False), (7, 3, None, 1, 1, False), (5, 2, 2, 1, 1, True), (10, 3, 2, 0, 1, True),
             (9, 2, 1, 0, 2, False), (11, 3, 2, 1, 2, True), (6, 2, None, 0, 1, True), (13, 4, 3, 2, 1, False)]
    for size, k, s, p, d, ceil in cases:
        pool = nn.MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
        want = pool(torch.zeros(1, 1, size, size)).shape[-1]
        what = f"pool2d_output_size({size}, kernel_size={k}, stride={s}, padding={p}, dilation={d}, ceil_mode={ceil})"
        got = _int(impl.pool2d_output_size(size, k, stride=s, padding=p, dilation=d, ceil_mode=ceil), what, hint)
        check(got == want, say(f"{what}: nn.MaxPool2d gives {want}, got {got}.",
                               f"{what}: nn.MaxPool2d의 결과는 {want}인데 {got}을(를) 반환했습니다."), hint)
    for size, k in ((9, 2), (10, 3)):  # the signature's defaults, as nn.MaxPool2d's
        want = nn.MaxPool2d(k)(torch.zeros(1, 1, size, size)).shape[-1]
        what = say(f"pool2d_output_size({size}, {k}) with every other argument at its default",
                   f"나머지 인자를 모두 기본값으로 둔 pool2d_output_size({size}, {k})")
        got = _int(impl.pool2d_output_size(size, k), what, hint)
        check(got == want, say(f"{what}: nn.MaxPool2d gives {want}, got {got}.",
                               f"{what}: nn.MaxPool2d의 결과는 {want}인데 {got}을(를) 반환했습니다."), hint)


# -- convolution by hand ----------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("conv2d matches F.conv2d for any stride, padding and dilation",
                   ko="conv2d는 어떤 stride, padding, dilation에서도 F.conv2d와 같은 값을 냅니다")
def test_conv2d_matches_f_conv2d(impl):
    for seed, case in enumerate(CONV_CASES):
        x, weight, bias, options = _conv_inputs(case, seed)
        what = (f"conv2d(x {tuple(x.shape)}, weight {tuple(weight.shape)}, bias {say('given', '있음') if bias is not None else None}, "
                + ", ".join(f"{k}={v}" for k, v in options.items()) + ")")
        got = errors.calling(what, CONV_HINT + say(" stride, padding and dilation may be ints or (h, w) pairs.",
                                                   " stride, padding, dilation은 int일 수도, (h, w) 쌍일 수도 있습니다."),
                             impl.conv2d, x, weight, bias, **options)
        assert_tensor(got, F.conv2d(x, weight, bias, **options), what, hint=CONV_HINT)
    x, weight, _, _ = _conv_inputs(CONV_CASES[0], seed=len(CONV_CASES))
    what = say("conv2d(x, weight) with the defaults bias=None, stride=1, padding=0, dilation=1",
               "기본값 bias=None, stride=1, padding=0, dilation=1을 쓰는 conv2d(x, weight)")
    assert_tensor(errors.calling(what, CONV_HINT, impl.conv2d, x, weight), F.conv2d(x, weight), what,
                  hint=say("Keep the signature's defaults: they are F.conv2d's.", "시그니처의 기본값을 유지하세요: "
                           "F.conv2d와 같습니다."))


# torch's convolutions (nn.Conv2d's forward calls F.conv2d): the names resolve_name gives them
TORCH_CONVOLUTIONS = {f"{where}.conv{n}d" for where in ("torch.nn.functional", "torch") for n in (1, 2, 3)} | {
    "torch.convolution", "torch._convolution"}


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("conv2d is written by hand, without torch's convolution",
                   ko="conv2d는 torch의 합성곱을 부르지 않고 직접 작성합니다")
def test_conv2d_is_written_by_hand(impl):
    x, weight, bias, options = _conv_inputs(CONV_CASES[2], seed=13)
    called = [f.replace("torch.nn.functional.", "F.") for f in torch_functions_called(impl, "conv2d", x, weight, bias,
                                                                                       **options)
              if f in TORCH_CONVOLUTIONS]
    check(not called,
          say(f"conv2d calls torch's own {', '.join(called)} (nn.Conv2d calls F.conv2d too): the exercise asks you to "
              "write the convolution by hand.",
              f"conv2d가 torch의 {', '.join(called)}을(를) 호출합니다(nn.Conv2d도 F.conv2d를 호출합니다): 이 연습 문제는 "
              "합성곱을 직접 작성하는 것입니다."),
          CONV_HINT)


@observation
def conv2d_gradients(impl, x, weight, bias, options, r):
    """conv2d(x, weight, bias, **options) on leaves that require grad, in the student's process: the output
    (detached), whether it carries a graph, and the gradients of (output * r).sum() with respect to x, weight and
    bias (None for one it does not reach; no gradients at all when the output's shape is not r's)."""
    leaves = [t.detach().clone().requires_grad_(True) for t in (x, weight, bias)]
    out = impl.conv2d(*leaves, **options)
    if not isinstance(out, torch.Tensor) or not out.requires_grad:
        return out, False, None
    if out.shape != r.shape:
        return out.detach(), True, None
    return out.detach(), True, list(torch.autograd.grad((out * r).sum(), leaves, allow_unused=True))


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("conv2d gives x, weight and bias the same gradients as F.conv2d",
                   ko="conv2d는 x, weight, bias에 F.conv2d와 같은 변화도를 전달합니다")
def test_conv2d_gradients_match(impl):
    x, weight, bias, options = _conv_inputs(CONV_CASES[2], seed=10)
    leaves = [t.requires_grad_(True) for t in (x, weight, bias)]
    want_out = F.conv2d(x, weight, bias, **options)
    r = torch.randn(want_out.shape, generator=torch.Generator().manual_seed(11), dtype=torch.float64)
    want = torch.autograd.grad((want_out * r).sum(), leaves)
    got_out, requires_grad, got = conv2d_gradients(impl, x, weight, bias, options, r)
    got_out = expect_tensor(got_out, "conv2d(...)")
    check(requires_grad, say("conv2d's output carries no gradient.",
                             "conv2d의 출력에 변화도(gradient)가 흐르지 않습니다."),
          say("Build the output from torch operations on x and weight: no .item(), .tolist(), NumPy, "
              "torch.tensor(...) of computed values, or .detach().",
              "x와 weight에 torch 연산을 적용해 출력을 만드세요: .item(), .tolist(), NumPy, 계산한 값으로 만든 "
              "torch.tensor(...), .detach()는 쓰면 안 됩니다."))
    check(tuple(got_out.shape) == tuple(want_out.shape), say(f"conv2d output: expected shape {tuple(want_out.shape)}, "
                                                             f"got {tuple(got_out.shape)}.",
                                                             f"conv2d 출력: shape가 {tuple(want_out.shape)}여야 하는데 {tuple(got_out.shape)}입니다."), CONV_HINT)
    what = say("gradient of conv2d (stride (2, 1), padding (1, 2), dilation 2)",
               "conv2d의 변화도(stride (2, 1), padding (1, 2), dilation 2)")
    for name, gradient, expected in zip(("x", "weight", "bias"), got, want):
        check(gradient is not None, say(f"{what}: no gradient reached {name}.",
                                        f"{what}: {name}에 변화도가 전달되지 않았습니다."), CONV_HINT)
        assert_tensor(gradient, expected, say(f"{what} with respect to {name}",
                                              f"{name}에 대한 {what}"), hint=CONV_HINT)


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("conv2d keeps its inputs' dtype and device",
                   ko="conv2d는 입력의 dtype과 장치를 그대로 유지합니다")
def test_conv2d_follows_dtype_and_device(impl):
    x, weight, bias, options = _conv_inputs(CONV_CASES[1], seed=12, dtype=torch.float32)
    out = expect_tensor(impl.conv2d(x, weight, bias, **options), say("conv2d(...) in float32",
                                                                     "float32 입력에 대한 conv2d(...)"))
    check(out.dtype == torch.float32, say(f"conv2d on float32 inputs returned {out.dtype}.",
                                          f"float32 입력에 대해 conv2d가 {out.dtype}을(를) 반환했습니다."),
          say("Create any new tensor with dtype=x.dtype, device=x.device (or avoid creating any).",
              "새 텐서를 만들 때는 dtype=x.dtype, device=x.device를 지정하세요(아니면 새 텐서를 만들지 마세요)."))
    meta = [t.to("meta") for t in (x, weight, bias)]
    assert_tensor(impl.conv2d(*meta, **options), F.conv2d(*meta, **options),
                  say("conv2d(...) on the meta device", "meta 장치에서의 conv2d(...)"), check_dtype=False,
                  hint=say("Create any new tensor with dtype=x.dtype, device=x.device (or avoid creating any).",
                           "새 텐서를 만들 때는 dtype=x.dtype, device=x.device를 지정하세요(아니면 새 텐서를 만들지 마세요)."))


# -- a small CNN on real images ---------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("prepare_digits makes one-channel images and upsamples them bilinearly",
                   ko="prepare_digits는 1채널 이미지로 바꾼 뒤 쌍선형 보간으로 확대합니다")
def test_prepare_digits_upsamples_one_channel(impl):
    x = torch.rand(5, 64, generator=torch.Generator().manual_seed(13))
    want = F.interpolate(x.reshape(5, 1, 8, 8), size=(16, 16), mode="bilinear", align_corners=False)
    assert_tensor(impl.prepare_digits(x, 16), want, "prepare_digits(x (5, 64), 16)",
                  hint=say("reshape(-1, 1, 8, 8): the channel axis comes second (N, C, H, W); then F.interpolate with "
                           "mode='bilinear', align_corners=False.",
                           "reshape(-1, 1, 8, 8): 채널(channel) 축은 두 번째에 옵니다(N, C, H, W). 그다음 "
                           "mode='bilinear', align_corners=False로 F.interpolate를 호출하세요."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("SmallCNN gives class logits for any image size and channel count",
                   ko="SmallCNN은 어떤 이미지 크기와 채널 수에서도 클래스 로짓을 출력합니다")
def test_small_cnn_works_for_any_image_size(impl):
    hint = say("End the feature extractor with nn.AdaptiveAvgPool2d, so the head's input size does not depend on H and W; "
               "the first conv takes in_channels.",
               "특징 추출부를 nn.AdaptiveAvgPool2d로 끝내서 헤드의 입력 크기가 H와 W에 따라 달라지지 않게 하세요. "
               "첫 conv는 in_channels를 입력 채널 수로 받습니다.")
    for channels, size, classes in ((1, 16, 10), (3, 32, 4), (1, 9, 10)):
        model = impl.SmallCNN(in_channels=channels, num_classes=classes)
        x = torch.randn(2, channels, size, size, generator=torch.Generator().manual_seed(size))
        out = errors.calling(say(f"SmallCNN(in_channels={channels}, num_classes={classes}) on a (2, {channels}, "
                                 f"{size}, {size}) batch",
                                 f"(2, {channels}, {size}, {size}) 배치에 대해 SmallCNN(in_channels={channels}, "
                                 f"num_classes={classes})"), hint, model, x)
        out = expect_tensor(out, "SmallCNN(...)(x)")
        check(tuple(out.shape) == (2, classes), say(f"SmallCNN(in_channels={channels}, num_classes={classes}) on "
                                                    f"{size}x{size} images: expected logits (2, {classes}), got {tuple(out.shape)}.",
                                                    f"{size}x{size} 이미지에 대한 SmallCNN(in_channels={channels}, num_classes={classes}): "
                                                    f"로짓(logits)의 shape가 (2, {classes})여야 하는데 {tuple(out.shape)}입니다."), hint)


STEPS = 200


@observation
def small_cnn_trained_on_digits(impl):
    """SmallCNN() trained here for STEPS Adam steps (lr 1e-2, batches of 64 drawn with seed 3) on prepare_digits(x, 16)
    of the digits' training part, in the student's process: its eval-mode logits on the validation part, or the first
    output that was not a tensor."""
    x_train, y_train, x_val, _ = digits()
    x_train, x_val = impl.prepare_digits(x_train, 16), impl.prepare_digits(x_val, 16)
    generator = torch.Generator().manual_seed(3)
    model = impl.SmallCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(STEPS):
        index = torch.randint(0, len(y_train), (64,), generator=generator)
        out = model(x_train[index])
        if not isinstance(out, torch.Tensor):
            return {"training_output": out}
        loss = F.cross_entropy(out, y_train[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        return {"validation_logits": model(x_val)}


@pytest.mark.points(2)
@pytest.mark.convergence
@pytest.mark.title("SmallCNN learns the digits to 85% validation accuracy",
                   ko="SmallCNN은 digits를 학습해 검증 정확도 85% 이상을 달성합니다")
def test_small_cnn_learns_digits(impl):
    _, _, _, y_val = digits()
    seen = small_cnn_trained_on_digits(impl)
    if "validation_logits" not in seen:
        expect_tensor(seen.get("training_output"), "SmallCNN()(x)")
    logits = expect_tensor(seen["validation_logits"], say("SmallCNN()(x) on the validation digits",
                                                          "검증용 digits에 대한 SmallCNN()(x)"))
    check(tuple(logits.shape) == (len(y_val), 10), say(f"SmallCNN()(x) on {len(y_val)} validation digits: expected logits "
                                                       f"({len(y_val)}, 10), got {tuple(logits.shape)}.",
                                                       f"검증용 digits {len(y_val)}개에 대한 SmallCNN()(x): 로짓의 shape가 ({len(y_val)}, 10)이어야 하는데 "
                                                       f"{tuple(logits.shape)}입니다."))
    accuracy = (logits.argmax(1) == y_val).float().mean().item()
    check(accuracy >= 0.85, say(f"SmallCNN after {STEPS} Adam steps (lr 1e-2, batch 64) on the digits at 16x16: validation "
                                f"accuracy should reach 0.85, got {accuracy:.3f}.",
                                f"16x16 digits로 Adam {STEPS}단계(lr 1e-2, 배치 64)를 학습한 SmallCNN의 검증 정확도는 0.85 이상이어야 "
                                f"하는데 {accuracy:.3f}입니다."),
          say("Conv -> ReLU -> MaxPool twice, then AdaptiveAvgPool2d(2) (not 1: digits need to know where strokes are), "
              "flatten, Linear; no softmax before cross_entropy.",
              "Conv -> ReLU -> MaxPool을 두 번, 그다음 AdaptiveAvgPool2d(2)(1이 아닙니다: 숫자를 구별하려면 획이 어디 "
              "있는지 알아야 합니다), flatten, Linear 순서로 쌓으세요. cross_entropy 앞에 softmax를 넣지 마세요."))


# -- torchvision models (built, run and frozen in the student's process, with downloads refused) ------------
def _spatial_after(model, layer, x):
    seen = {}
    def record(module, args, out):
        seen["shape"] = tuple(out.shape)  # returns None: a hook's return value would replace the output

    handle = layer.register_forward_hook(record)
    try:
        with torch.no_grad():
            logits = model(x)
    finally:
        handle.remove()
    return logits, seen.get("shape")


@observation
def adapted_model_on_batch(impl, builder, x):
    """impl.<builder>(num_classes=10) with downloads refused, in eval mode on the batch x: whether it tried to download,
    its class, the logits, the shape of the feature maps (layer4 for a ResNet, features for an EfficientNet), its
    number of parameters, whether its classifier holds a Dropout, and how many outputs the head of impl.<builder>() has
    (num_classes at its default)."""
    model, downloaded = _build_offline(impl, builder, num_classes=10)
    seen = {"downloaded": downloaded, "type": type(model).__name__,
            "resnet": isinstance(model, torchvision.models.ResNet),
            "efficientnet": isinstance(model, torchvision.models.EfficientNet)}
    if downloaded or not (seen["resnet"] or seen["efficientnet"]):
        return seen
    model.eval()
    seen["logits"], seen["feature_shape"] = _spatial_after(model, model.layer4 if seen["resnet"] else model.features, x)
    seen["parameters"] = sum(p.numel() for p in model.parameters())
    seen["classifier_dropout"] = seen["efficientnet"] and any(isinstance(m, nn.Dropout) for m in model.classifier)
    default, _ = _build_offline(impl, builder)  # num_classes left at its default
    head = getattr(default, "fc", None) if seen["resnet"] else getattr(default, "classifier", [None])[-1]
    seen["default_classes"] = getattr(head, "out_features", None)
    return seen


def _expect_model(seen, kind, what, hint):
    _check_no_download(seen["downloaded"])
    check(seen[kind], say(f"{what} should be a {'ResNet' if kind == 'resnet' else 'EfficientNet'}, got {seen['type']}.",
                          f"{what}은(는) {'ResNet' if kind == 'resnet' else 'EfficientNet'}이어야 하는데 {seen['type']}입니다."), hint)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("resnet18_for_small_images adapts ResNet-18 to 32x32 images",
                   ko="resnet18_for_small_images는 ResNet-18을 32x32 이미지에 맞게 바꿉니다")
def test_resnet18_adapted_to_small_images(impl):
    hint = say("Start from torchvision.models.resnet18(weights=None); replace conv1 with a 3x3 stride-1 padding-1 conv, "
               "maxpool with nn.Identity(), fc with nn.Linear(512, num_classes).",
               "torchvision.models.resnet18(weights=None)에서 시작하세요. conv1은 3x3, stride 1, padding 1인 conv로, "
               "maxpool은 nn.Identity()로, fc는 nn.Linear(512, num_classes)로 바꾸세요.")
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(14))
    seen = adapted_model_on_batch(impl, "resnet18_for_small_images", x)
    _expect_model(seen, "resnet", "resnet18_for_small_images(10)", hint)
    check(seen["default_classes"] == 10,
          say(f"resnet18_for_small_images() with num_classes left at its default (10): its head has {seen['default_classes']} outputs.",
              f"num_classes를 기본값(10)으로 둔 resnet18_for_small_images(): 헤드의 출력이 {seen['default_classes']}개입니다."),
          say("Keep the signature's default num_classes=10.", "시그니처의 기본값 num_classes=10을 유지하세요."))
    logits, shape = seen["logits"], seen["feature_shape"]
    logits = expect_tensor(logits, say("the adapted ResNet-18's output",
                                       "바꾼 ResNet-18의 출력"))
    check(tuple(logits.shape) == (2, 10), say(f"the adapted ResNet-18 on a (2, 3, 32, 32) batch: expected logits (2, 10), "
                                              f"got {tuple(logits.shape)}.",
                                              f"(2, 3, 32, 32) 배치에 대한 바꾼 ResNet-18: 로짓의 shape가 (2, 10)이어야 하는데 {tuple(logits.shape)}입니다."), hint)
    check(shape == (2, 512, 4, 4), say(f"layer4 of the adapted ResNet-18 on 32x32 images should give (2, 512, 4, 4) "
                                       f"feature maps, got {shape}.",
                                       f"32x32 이미지에서 바꾼 ResNet-18의 layer4는 (2, 512, 4, 4) 특징 맵을 내야 하는데 {shape}입니다."), say("The stem must not downsample: conv1 3x3 with stride 1, and maxpool replaced "
                                             "by nn.Identity(); the original stem shrinks 32x32 to 8x8 before layer1.",
                                             "스템(stem)에서 다운샘플링하면 안 됩니다: conv1은 stride 1인 3x3로, maxpool은 nn.Identity()로 바꾸세요. "
                                             "원래 스템은 layer1에 닿기 전에 32x32를 8x8로 줄입니다."))
    check(seen["parameters"] == 11_173_962, say("the adapted ResNet-18 should have 11,173,962 "
                                                f"parameters (ResNet-18 with a 3x3 stem and a 10-class head), got {seen['parameters']:,}.",
                                                f"바꾼 ResNet-18(3x3 스템과 10클래스 헤드를 가진 ResNet-18)의 매개변수는 11,173,962개여야 하는데 "
                                                f"{seen['parameters']:,}개입니다."),
          hint + say(" The new conv1 has bias=False (BatchNorm follows it).",
                     " 새 conv1은 bias=False입니다(뒤에 BatchNorm이 옵니다)."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("efficientnet_b0_for_small_images fits EfficientNet-B0 to 32x32 images",
                   ko="efficientnet_b0_for_small_images는 EfficientNet-B0를 32x32 이미지에 맞게 바꿉니다")
def test_efficientnet_b0_adapted_to_small_images(impl):
    hint = say("Start from torchvision.models.efficientnet_b0(weights=None); replace features[0][0] by a 3x3 stride-1 "
               "padding-1 nn.Conv2d(3, 32, bias=False), and classifier[-1] by nn.Linear(1280, num_classes).",
               "torchvision.models.efficientnet_b0(weights=None)에서 시작하세요. features[0][0]은 3x3, stride 1, padding 1인 "
               "nn.Conv2d(3, 32, bias=False)로, classifier[-1]은 nn.Linear(1280, num_classes)로 바꾸세요.")
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(15))
    seen = adapted_model_on_batch(impl, "efficientnet_b0_for_small_images", x)
    _expect_model(seen, "efficientnet", "efficientnet_b0_for_small_images(10)", hint)
    check(seen["default_classes"] == 10,
          say(f"efficientnet_b0_for_small_images() with num_classes left at its default (10): its head has {seen['default_classes']} outputs.",
              f"num_classes를 기본값(10)으로 둔 efficientnet_b0_for_small_images(): 헤드의 출력이 {seen['default_classes']}개입니다."),
          say("Keep the signature's default num_classes=10.", "시그니처의 기본값 num_classes=10을 유지하세요."))
    logits, shape = seen["logits"], seen["feature_shape"]
    logits = expect_tensor(logits, say("the adapted EfficientNet-B0's output",
                                       "바꾼 EfficientNet-B0의 출력"))
    check(tuple(logits.shape) == (2, 10), say(f"the adapted EfficientNet-B0 on a (2, 3, 32, 32) batch: expected logits "
                                              f"(2, 10), got {tuple(logits.shape)}.",
                                              f"(2, 3, 32, 32) 배치에 대한 바꾼 EfficientNet-B0: 로짓의 shape가 (2, 10)이어야 하는데 "
                                              f"{tuple(logits.shape)}입니다."), hint)
    check(shape == (2, 1280, 2, 2), say(f"features of the adapted EfficientNet-B0 on 32x32 images should give "
                                        f"(2, 1280, 2, 2) maps, got {shape}.",
                                        f"32x32 이미지에서 바꾼 EfficientNet-B0의 features는 (2, 1280, 2, 2) 맵을 내야 하는데 {shape}입니다."), say("The stem convolution must have stride 1 (the original has stride 2).",
                                                     "스템 합성곱의 stride는 1이어야 합니다(원래는 stride 2입니다)."))
    check(seen["classifier_dropout"], say("the classifier lost its Dropout.",
                                          "classifier에서 Dropout이 사라졌습니다."),
          say("Replace only classifier[-1]; keep the Dropout before it.",
              "classifier[-1]만 바꾸고, 그 앞의 Dropout은 그대로 두세요."))


def _frozen_resnet(impl):
    """resnet18_for_small_images(10) through freeze_backbone, in the student's process: the model (None when building
    it tried to download), whether it tried to download, and whether freeze_backbone returned that same model."""
    model, downloaded = _build_offline(impl, "resnet18_for_small_images", num_classes=10)
    if downloaded:
        return None, True, False
    returned = impl.freeze_backbone(model)
    return model, False, returned is model


def _check_frozen(downloaded, same):
    _check_no_download(downloaded)
    check(same, say("freeze_backbone(model) should return the same model it froze in place.",
                    "freeze_backbone(model)은 제자리에서(in place) 고정한 바로 그 모델을 반환해야 합니다."),
          say("Set requires_grad_(False) on the model's own parameters and return model.",
              "모델 자신의 매개변수에 requires_grad_(False)를 설정하고 model을 반환하세요."))


@observation
def frozen_resnet_backward(impl, x):
    """A frozen ResNet-18 (see _frozen_resnet) on the batch x, then backward of the output's sum: the output (detached),
    whether it carried a graph, the names of all parameters and of those whose .grad was set."""
    model, downloaded, same = _frozen_resnet(impl)
    seen = {"downloaded": downloaded, "same": same}
    if downloaded or not same:
        return seen
    out = model(x)
    seen["output"] = out.detach() if isinstance(out, torch.Tensor) else out
    seen["requires_grad"] = isinstance(out, torch.Tensor) and out.requires_grad
    if seen["requires_grad"]:
        out.sum().backward()
        seen["names"] = [name for name, _ in model.named_parameters()]
        seen["with_grad"] = [name for name, p in model.named_parameters() if p.grad is not None]
    return seen


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("After freeze_backbone only the head fc receives gradients",
                   ko="freeze_backbone을 거치면 헤드 fc만 변화도를 받습니다")
def test_frozen_backbone_gets_no_gradient(impl):
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(16))
    seen = frozen_resnet_backward(impl, x)
    _check_frozen(seen["downloaded"], seen["same"])
    hint = say("requires_grad_(False) on every parameter, then requires_grad_(True) on model.fc's; model.eval() and "
               "torch.no_grad() freeze nothing.",
               "모든 매개변수에 requires_grad_(False)를 설정한 뒤, model.fc의 매개변수에만 requires_grad_(True)를 "
               "설정하세요. model.eval()과 torch.no_grad()는 아무것도 고정하지 않습니다.")
    expect_tensor(seen["output"], say("the frozen ResNet-18's output",
                                      "고정한 ResNet-18의 출력"))
    check(seen["requires_grad"], say("the frozen model's output carries no gradient at all: the head was frozen too.",
                                     "고정한 모델의 출력에 변화도가 전혀 흐르지 않습니다: 헤드까지 고정되었습니다."), hint)
    leaked = [name for name in seen["with_grad"] if not name.startswith("fc.")]
    check(not leaked, say(f"{len(leaked)} backbone parameters received a gradient (first: {leaked[:3]}); frozen ones "
                          "should have .grad None.",
                          f"백본(backbone) 매개변수 {len(leaked)}개가 변화도를 받았습니다(앞부분: {leaked[:3]}). "
                          "고정된 매개변수의 .grad는 None이어야 합니다."), hint)
    head = [name for name in seen["names"] if name.startswith("fc.") and name not in seen["with_grad"]]
    check(not head, say(f"the head fc should still train, but {head} got no gradient.",
                        f"헤드 fc는 계속 학습되어야 하는데 {head}이(가) 변화도를 받지 못했습니다."), hint)


@observation
def finetune_step(impl, x, lr):
    """finetune_optimizer(frozen ResNet-18, lr) in the student's process: its class, the parameter names of the tensors
    it holds (None for a tensor that is not one of the model's parameters), the names of the parameters that require
    grad, the first group's lr and momentum, and the names of the parameters one step changed (after backward of
    model(x).logsumexp(1).sum())."""
    model, downloaded, same = _frozen_resnet(impl)
    seen = {"downloaded": downloaded, "same": same}
    if downloaded or not same:
        return seen
    optimizer = impl.finetune_optimizer(model, lr=lr)
    seen["type"] = type(optimizer).__name__
    seen["sgd"] = isinstance(optimizer, torch.optim.SGD)
    if not seen["sgd"]:
        return seen
    names = {id(p): name for name, p in model.named_parameters()}
    held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    seen["held"] = [names.get(key) for key in held]
    seen["trainable"] = [name for name, p in model.named_parameters() if p.requires_grad]
    group = optimizer.param_groups[0]
    seen["lr"], seen["momentum"] = group["lr"], group.get("momentum")
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    model(x).logsumexp(1).sum().backward()
    optimizer.step()
    seen["moved"] = [name for name, p in model.named_parameters() if not torch.equal(p, before[name])]
    return seen


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("finetune_optimizer holds and updates only trainable parameters",
                   ko="finetune_optimizer는 학습할 매개변수만 담아 갱신합니다")
def test_finetune_optimizer_holds_only_trainable_parameters(impl):
    seen = finetune_step(impl, torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(17)), 0.1)
    _check_frozen(seen["downloaded"], seen["same"])
    check(seen["sgd"], say(f"finetune_optimizer(model, 0.1) should be a SGD, got {seen['type']}.",
                           f"finetune_optimizer(model, 0.1)는 SGD여야 하는데 {seen['type']}입니다."))
    held = {name for name in seen["held"] if name is not None}
    strangers = sum(name is None for name in seen["held"])  # tensors that are not the model's parameters
    trainable = set(seen["trainable"])
    hint = say("Pass [p for p in model.parameters() if p.requires_grad] to torch.optim.SGD(..., lr=lr, momentum=0.9).",
               "[p for p in model.parameters() if p.requires_grad]를 torch.optim.SGD(..., lr=lr, momentum=0.9)에 넘기세요.")
    check(held == trainable and not strangers, say(f"the optimizer should hold exactly the {len(trainable)} trainable "
                                                   f"tensors, got {len(held) + strangers} ({len(held - trainable) + strangers} of them frozen, "
                                                   f"{len(trainable - held)} trainable ones missing).",
                                                   f"옵티마이저는 학습할 텐서 {len(trainable)}개만 정확히 담아야 하는데 {len(held) + strangers}개를 담고 "
                                                   f"있습니다(그중 고정된 것 {len(held - trainable) + strangers}개, 빠진 학습 대상 {len(trainable - held)}개)."), hint)
    check(seen["lr"] == 0.1 and seen["momentum"] == 0.9, say(f"expected lr 0.1 and momentum 0.9, got lr {seen['lr']} "
                                                             f"and momentum {seen['momentum']}.",
                                                             f"lr 0.1, momentum 0.9여야 하는데 lr {seen['lr']}, momentum {seen['momentum']}입니다."), hint)
    moved = seen["moved"]
    check(moved and all(name.startswith("fc.") for name in moved), say(f"one optimizer step should change fc and nothing "
                                                                       f"else; it changed {moved[:4]}{' ...' if len(moved) > 4 else ''}.",
                                                                       f"옵티마이저 한 단계는 fc만 바꿔야 하는데 {moved[:4]}{' ...' if len(moved) > 4 else ''}을(를) 바꿨습니다."), hint)


@observation
def resnet_on_cuda(impl, x):
    """resnet18_for_small_images(10) with downloads refused, moved to CUDA in eval mode, on the CUDA batch x: whether
    it tried to download, and its output."""
    model, downloaded = _build_offline(impl, "resnet18_for_small_images", num_classes=10)
    if downloaded:
        return True, None
    model = model.cuda().eval()
    with torch.no_grad():
        return False, model(x)


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("conv2d and the adapted ResNet-18 run on CUDA",
                   ko="conv2d와 32x32용으로 바꾼 ResNet-18은 CUDA에서도 동작합니다")
def test_cnn_parts_run_on_cuda(impl):
    x, weight, bias, options = _conv_inputs(CONV_CASES[2], seed=18, dtype=torch.float32)
    x, weight, bias = x.cuda(), weight.cuda(), bias.cuda()
    assert_tensor(impl.conv2d(x, weight, bias, **options), F.conv2d(x, weight, bias, **options),
                  say("conv2d on CUDA tensors",
                      "CUDA 텐서에 대한 conv2d"), rtol=1e-3, atol=1e-4, hint=CONV_HINT)
    downloaded, logits = resnet_on_cuda(impl, torch.randn(2, 3, 32, 32, device="cuda"))
    _check_no_download(downloaded)
    logits = expect_tensor(logits, say("the adapted ResNet-18 on CUDA",
                                       "CUDA에서의 바꾼 ResNet-18"))
    check(logits.device.type == "cuda" and tuple(logits.shape) == (2, 10),
          say(f"the adapted ResNet-18 on CUDA: expected (2, 10) logits on cuda, got {tuple(logits.shape)} on {logits.device}.",
              f"CUDA에서의 바꾼 ResNet-18: cuda에 있는 (2, 10) 로짓이어야 하는데 {logits.device}에 있는 "
              f"{tuple(logits.shape)}입니다."))


# -- pretrained weights: the grader plays the model hub (nothing downloads) ---------------------------------
PRETRAINED_CLASSES = 7  # the new head's size


def _hub_resnet18():
    """The grader's "pretrained" ResNet-18 (ImageNet-shaped, 1000 classes), seeded, with BatchNorm running statistics
    that are not the defaults (so that loading the buffers and eval mode both show in the outputs)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(31)
        model = torchvision.models.resnet18(weights=None)
    generator = torch.Generator().manual_seed(32)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.copy_(0.1 * torch.randn(module.num_features, generator=generator))
            module.running_var.copy_(0.5 + torch.rand(module.num_features, generator=generator))
    return model.eval()


@observation
def pretrained_model_facts(impl, path, num_classes, x):
    """load_pretrained(path, num_classes) with downloads refused, in the student's process: the calls it made to
    load_state_dict (strict, missing and unexpected keys), the RuntimeError it raised, the model's class, the names of
    its modules in train mode and of its parameters that require grad, then (in eval mode, whatever the student left)
    the input of model.fc on x (the backbone's features), the logits, and the parameters whose .grad backward of
    the logits' sum set."""
    calls = []
    original = nn.Module.load_state_dict

    def recording(self, state_dict, *args, **kwargs):
        strict = kwargs.get("strict", args[0] if args else True)
        result = original(self, state_dict, *args, **kwargs)
        calls.append({"strict": bool(strict), "missing": list(result.missing_keys),
                      "unexpected": list(result.unexpected_keys)})
        return result

    seen = {"calls": calls}
    nn.Module.load_state_dict = recording
    try:
        with _offline():
            model = impl.load_pretrained(path, num_classes)
    except DownloadAttempt:
        return {**seen, "downloaded": True}
    except NotImplementedError:  # a RuntimeError too: the stub, not started
        raise
    except RuntimeError as error:
        return {**seen, "downloaded": False, "error": f"{type(error).__name__}: {str(error)[:600]}"}
    finally:
        nn.Module.load_state_dict = original
    seen.update(downloaded=False, type=type(model).__name__, resnet=isinstance(model, torchvision.models.ResNet))
    if not seen["resnet"]:
        return seen
    seen["training"] = [name or "(the model)" for name, module in model.named_modules() if module.training]
    seen["names"] = [name for name, _ in model.named_parameters()]
    seen["requires_grad"] = [name for name, p in model.named_parameters() if p.requires_grad]
    features = {}
    handle = model.fc.register_forward_pre_hook(lambda module, args: features.update(value=args[0].detach()))
    model.eval()
    try:
        logits = model(x)
    finally:
        handle.remove()
    seen["features"] = features.get("value")
    seen["logits"] = logits.detach() if isinstance(logits, torch.Tensor) else logits
    seen["with_grad"] = []
    if isinstance(logits, torch.Tensor) and logits.requires_grad:
        logits.sum().backward()
        seen["with_grad"] = [name for name, p in model.named_parameters() if p.grad is not None]
    return seen


@pytest.fixture(scope="module")
def pretrained(impl, tmp_path_factory):
    """(seen, want, problem): what load_pretrained made of the grader's checkpoint, the saved model's features on the
    same batch (computed here), and the exception the student's code raised, replayed by each check."""
    model = _hub_resnet18()
    path = tmp_path_factory.mktemp("hub") / "resnet18_ddp.pt"
    torch.save({f"module.{key}": value for key, value in model.state_dict().items()}, path)  # as a DDP model saves
    x = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(33))
    model.fc = nn.Identity()
    with torch.no_grad():
        want = model(x)
    try:
        return pretrained_model_facts(impl, str(path), PRETRAINED_CLASSES, x), want, None
    except WorkerProblem:
        raise
    except Exception as error:  # noqa: BLE001 - replayed by each check
        return None, want, error


LOAD_HINT = say("Build torchvision.models.resnet18(weights=None) (its 1000-class head matches the file), read the file with "
                "torch.load(path, weights_only=True), remove the 'module.' prefix from every key, load with the default "
                "strict=True, and only then replace fc.",
                "torchvision.models.resnet18(weights=None)을 만들고(1000개 클래스 헤드가 파일과 맞습니다), 파일을 "
                "torch.load(path, weights_only=True)로 읽은 뒤, 모든 키에서 'module.' 접두사를 떼고, 기본값 strict=True로 "
                "불러온 다음에야 fc를 바꾸세요.")


def _loaded(pretrained):
    """The facts about the student's model, once it was built without downloading, without an error, as a ResNet."""
    seen, want, problem = pretrained
    if problem is not None:
        raise problem
    what = f"load_pretrained(path, {PRETRAINED_CLASSES})"
    _check_no_download(seen["downloaded"])
    if "error" in seen:
        raise AssertionError(say(f"{what} raised {seen['error']}\nHint: {LOAD_HINT}",
                                 f"{what}에서 {seen['error']}이(가) 발생했습니다\n힌트: {LOAD_HINT}"))
    check(seen["resnet"], say(f"{what} should return a torchvision ResNet, got {seen['type']}.",
                              f"{what}은(는) torchvision ResNet을 반환해야 하는데 {seen['type']}입니다."), LOAD_HINT)
    return seen, want


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("load_pretrained loads the saved weights and gives num_classes logits",
                   ko="load_pretrained는 저장된 가중치를 불러오고 num_classes개의 로짓을 냅니다")
def test_load_pretrained_loads_the_saved_weights(impl, pretrained):
    seen, want = _loaded(pretrained)
    what = say("the backbone's features (the input of fc) of the loaded model, in eval mode",
               "불러온 모델을 평가 모드로 돌렸을 때 백본의 특징(fc의 입력)")
    got = expect_tensor(seen["features"], what)
    same = tuple(got.shape) == tuple(want.shape) and bool(torch.allclose(got, want, rtol=1e-4, atol=1e-5))
    hidden = [call for call in seen["calls"]
              if not call["strict"] and any(not key.startswith("fc.") for key in call["missing"])]
    if not same and hidden:
        missing = [key for key in hidden[0]["missing"] if not key.startswith("fc.")]
        raise AssertionError(say(
            f"load_state_dict(..., strict=False) skipped {len(missing)} keys of the backbone that did not match "
            f"(missing: {missing[:2]}, unexpected: {hidden[0]['unexpected'][:2]}), so the backbone kept its random "
            f"weights. strict=False hides a key mismatch; keep strict=True and make the keys match.\nHint: {LOAD_HINT}",
            f"load_state_dict(..., strict=False)가 맞지 않는 백본 키 {len(missing)}개를 건너뛰어서(빠진 키: {missing[:2]}, "
            f"예상하지 못한 키: {hidden[0]['unexpected'][:2]}) 백본이 무작위 가중치 그대로 남았습니다. strict=False는 키 "
            f"불일치를 숨깁니다: strict=True를 유지하고 키를 맞추세요.\n힌트: {LOAD_HINT}"))
    assert_tensor(got, want, what, hint=say("The backbone must compute what the saved model computes: load every "
                                            "parameter and buffer from the file into the same architecture (ResNet-18 "
                                            "with its original stem). ", "백본은 저장된 모델과 같은 값을 계산해야 합니다: "
                                            "파일의 모든 매개변수와 버퍼를 같은 구조(원래 스템을 가진 ResNet-18)에 "
                                            "불러오세요. ") + LOAD_HINT)
    logits = expect_tensor(seen["logits"], say("the loaded model's output", "불러온 모델의 출력"))
    check(tuple(logits.shape) == (2, PRETRAINED_CLASSES),
          say(f"the head should have num_classes = {PRETRAINED_CLASSES} outputs: expected logits (2, {PRETRAINED_CLASSES}), "
              f"got {tuple(logits.shape)} (the pretrained head has 1000).",
              f"헤드의 출력은 num_classes = {PRETRAINED_CLASSES}개여야 합니다: 로짓의 shape가 (2, {PRETRAINED_CLASSES})여야 "
              f"하는데 {tuple(logits.shape)}입니다(사전 학습된 헤드는 1000개입니다)."),
          say("After loading, replace the head: model.fc = nn.Linear(model.fc.in_features, num_classes).",
              "불러온 뒤에 헤드를 바꾸세요: model.fc = nn.Linear(model.fc.in_features, num_classes)."))


class _CodeInACheckpoint:
    """What a tampered checkpoint can carry: unpickling it calls os.makedirs(name), a harmless stand-in for any code."""

    def __init__(self, name):
        self.name = name

    def __reduce__(self):
        import os
        return os.makedirs, (self.name,)


@observation
def code_ran_while_loading(impl, path, marker):
    """load_pretrained(path, ...) on a checkpoint carrying code, in the student's process: whether that code ran (it
    makes the folder `marker`), and what load_pretrained raised, if anything."""
    import os
    try:
        with _offline():
            impl.load_pretrained(path, PRETRAINED_CLASSES)
        raised = None
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - refusing the file is the point; what refused it is reported
        raised = type(error).__name__
    return {"ran": os.path.isdir(marker), "raised": raised}


@pytest.mark.points(1)
@pytest.mark.export
@pytest.mark.title("load_pretrained never runs code that a checkpoint carries",
                   ko="load_pretrained는 체크포인트에 담긴 코드를 절대 실행하지 않습니다")
def test_load_pretrained_never_runs_code_a_checkpoint_carries(impl, tmp_path):
    marker = f"code_from_the_checkpoint_{torch.randint(10**9, (1,), generator=torch.Generator().manual_seed(34)).item()}"
    path = tmp_path / "tampered.pt"
    torch.save({"module.fc.weight": torch.zeros(1000, 512), "module.fc.bias": torch.zeros(1000),
                "payload": _CodeInACheckpoint(marker)}, path)
    seen = code_ran_while_loading(impl, str(path), marker)
    check(not seen["ran"], say("load_pretrained ran code hidden in the checkpoint file: a checkpoint is a pickle, and "
                               "torch.load(path, weights_only=False) unpickles anything, calls included.",
                               "load_pretrained가 체크포인트 파일에 숨겨진 코드를 실행했습니다: 체크포인트는 pickle이고, "
                               "torch.load(path, weights_only=False)는 함수 호출까지 포함해 무엇이든 unpickle합니다."),
          say("Load with torch.load(path, weights_only=True) (the default since PyTorch 2.6): it rebuilds only tensors "
              "and plain containers and refuses such a file. Do not fall back to weights_only=False when it refuses.",
              "torch.load(path, weights_only=True)로 읽으세요(PyTorch 2.6부터 기본값): Tensor와 단순한 컨테이너만 다시 "
              "만들고 이런 파일은 거부합니다. 거부당했을 때 weights_only=False로 다시 시도하지 마세요."))


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("load_pretrained freezes the backbone, trains the head, in eval mode",
                   ko="load_pretrained는 백본을 고정하고 헤드만 학습하며 평가 모드로 반환합니다")
def test_load_pretrained_freezes_the_backbone(impl, pretrained):
    seen, _ = _loaded(pretrained)
    hint = say("Freeze everything with model.requires_grad_(False) before replacing fc (a new nn.Linear requires grad), "
               "and return model.eval().",
               "fc를 바꾸기 전에 model.requires_grad_(False)로 전부 고정하고(새 nn.Linear는 변화도가 필요한 상태로 "
               "만들어집니다), model.eval()을 반환하세요.")
    trainable = [name for name in seen["requires_grad"] if not name.startswith("fc.")]
    check(not trainable, say(f"{len(trainable)} backbone parameters still require grad (first: {trainable[:3]}): the "
                             "backbone should be frozen.",
                             f"백본 매개변수 {len(trainable)}개가 아직 변화도를 요구합니다(앞부분: {trainable[:3]}): 백본은 "
                             "고정되어 있어야 합니다."), hint)
    head = [name for name in seen["names"] if name.startswith("fc.")]
    frozen_head = [name for name in head if name not in seen["requires_grad"]]
    check(head and not frozen_head, say(f"the new head fc should train, but {frozen_head or 'fc'} does not require grad.",
                                        f"새 헤드 fc는 학습되어야 하는데 {frozen_head or 'fc'}이(가) 변화도를 요구하지 않습니다."),
          hint)
    leaked = [name for name in seen["with_grad"] if not name.startswith("fc.")]
    missed = [name for name in head if name not in seen["with_grad"]]
    check(not leaked and not missed, say(f"backward through the loaded model: the backbone got gradients for {leaked[:3]} "
                                         f"and the head got none for {missed}.",
                                         f"불러온 모델로 역전파했더니 백본의 {leaked[:3]}이(가) 변화도를 받았고 헤드의 "
                                         f"{missed}은(는) 받지 못했습니다."), hint)
    training = seen["training"]
    check(not training, say(f"the model should be returned in eval mode, but {len(training)} modules are in train mode "
                            f"(first: {training[:3]}): BatchNorm would normalise with batch statistics instead of the "
                            "loaded running statistics.",
                            f"모델은 평가 모드로 반환되어야 하는데 모듈 {len(training)}개가 학습 모드입니다(앞부분: "
                            f"{training[:3]}): BatchNorm이 불러온 누적 통계 대신 배치 통계로 정규화하게 됩니다."),
          say("Return model.eval() (eval() returns the model itself).",
              "model.eval()을 반환하세요(eval()은 모델 자신을 반환합니다)."))
