"""1.2 Tensors: the promises each function of exercises/s1_2_tensors.py must keep."""
import numpy
import pytest
import torch

from graders.observations.s1_2_tensors import (
    array_after_writing_the_tensor,
    global_stream_around_seeded_normal,
    step_seen_through_a_view,
    tensor_after_writing_the_array,
)
from graders.support import errors
from graders.support.assertions import (
    assert_tensor,
    check,
    expect_tensor,
    expect_type,
    say,
)
from graders.support.data import random_shapes
from ptgrade.judge.remote import with_inputs


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("describe reports a tensor's shape, dtype, device, stride and more",
                   ko="describe는 텐서의 shape, dtype, 장치, stride 등을 알려줍니다")
def test_describe_reports_attributes(impl, run_seed):
    drawn = torch.Generator().manual_seed(run_seed)
    sizes = [int(n) for n in torch.randint(2, 6, (3,), generator=drawn)]
    order = [int(i) for i in torch.randperm(3, generator=drawn)]
    dtype = (torch.float32, torch.int64, torch.int16)[int(torch.randint(3, (1,), generator=drawn))]
    # the docstring's kind of tensor, then one drawn for this run (never float64: a table of the first one's
    # answer fails it), then one on the meta device (its device is not the CPU's)
    for t in (torch.arange(24, dtype=torch.float64).reshape(2, 3, 4).transpose(0, 2),
              torch.zeros(sizes, dtype=dtype).permute(order),
              torch.empty(sizes[::-1], dtype=torch.float16, device="meta").transpose(0, 1)):
        _describe_one(impl, t)


def _describe_one(impl, t):
    what = f"shape {tuple(t.shape)}, dtype {t.dtype}, device {t.device}, stride {t.stride()}"
    report = expect_type(impl.describe(t), dict, "describe(t)")
    expected = {"shape": tuple(t.shape), "dtype": t.dtype, "device": t.device,
                "stride": tuple(t.stride()), "is_contiguous": t.is_contiguous(), "numel": t.numel()}
    check(set(report) == set(expected), say(f"describe(t) should have the keys {sorted(expected)}, "
                                            f"got {sorted(report)}.",
                                            f"describe(t)의 키는 {sorted(report)}입니다. 기댓값은 {sorted(expected)}입니다."))
    for key, want in expected.items():
        got = report[key]
        if key in ("shape", "stride"):
            check(isinstance(got, tuple) and all(type(n) is int for n in got),
                  say(f"describe(t)[{key!r}] should be a tuple of ints, got {type(got).__name__} {got!r}"
                      + (f": {type(got).__name__}(...) of the {key} is not a tuple." if isinstance(got, list) else "."),
                      f"describe(t)[{key!r}]는 int로 이루어진 tuple이어야 하는데 {type(got).__name__} {got!r}입니다"
                      + (f": {key}을(를) {type(got).__name__}(...)로 바꾸면 tuple이 아닙니다."
                         if isinstance(got, list) else ".")),
                  say("tuple(t.shape) and t.stride() are tuples of ints (torch.Size is a tuple too).",
                      "tuple(t.shape)와 t.stride()는 int로 이루어진 tuple입니다(torch.Size도 tuple입니다)."))
        if key == "device":
            check(got == want, say(f"describe(t)['device'] for a tensor on {want.type} is {got!r}: the device must be "
                                   "the tensor's own, t.device, not a fixed one.",
                                   f"{want.type} 장치에 있는 텐서의 describe(t)['device']가 {got!r}입니다. 장치는 "
                                   "고정된 값이 아니라 텐서 자신의 t.device여야 합니다."),
                  say("Read it from the tensor: t.device (a torch.device, not a string).",
                      "텐서에서 읽으세요: t.device(문자열이 아닌 torch.device)."))
        exact_type = isinstance(want, (bool, int))  # False == 0, so a bool must be a bool
        check(got == want and (not exact_type or type(got) is type(want)),
              say(f"describe(t)[{key!r}] for a tensor of {what}: expected {want!r}, got {got!r}.",
                  f"텐서({what})의 describe(t)[{key!r}]: {got!r}입니다. 기댓값은 {want!r}입니다."),
              say("Read the attribute from the tensor itself: t.shape, t.dtype, t.device, t.stride(), "
                  "t.is_contiguous(), t.numel().",
                  "속성은 텐서 자신에게서 읽으세요: t.shape, t.dtype, t.device, t.stride(), "
                  "t.is_contiguous(), t.numel()."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("seeded_normal is reproducible from its seed, sparing the global RNG",
                   ko="seeded_normal은 전역 난수 생성기를 건드리지 않고 시드만으로 같은 값을 재현합니다")
def test_seeded_normal_is_reproducible(impl, run_seed):
    hint = say("Create torch.Generator().manual_seed(seed) and pass generator= to torch.randn.",
               "torch.Generator().manual_seed(seed)를 만들고 torch.randn에 generator=로 넘기세요.")
    for shape, seed in (((3, 4), 0), ((2, 5, 2), 1234)):
        expected = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
        assert_tensor(impl.seeded_normal(shape, seed), expected, f"seeded_normal({shape}, seed={seed})", hint=hint)
    # The global generator, seeded with a number drawn for this run, must give after the call the numbers it gives
    # untouched (the judge draws them from its own generator): a reseeded or consumed global stream does not.
    for shape, seed in (((4,), 7), ((3, 2), 99)):
        global_seed = (run_seed + seed) % 2 ** 31
        seen = global_stream_around_seeded_normal(impl, global_seed, shape, seed)
        assert_tensor(seen["value"], torch.randn(shape, generator=torch.Generator().manual_seed(seed)),
                      say(f"seeded_normal({shape}, seed={seed}) after the global seed was set to {global_seed}",
                          f"전역 시드를 {global_seed} 값으로 설정한 뒤 호출한 seeded_normal({shape}, seed={seed})"), hint=hint)
        untouched = torch.randn(8, generator=torch.Generator().manual_seed(global_seed))
        after = seen["after"]
        check(isinstance(after, torch.Tensor) and after.shape == untouched.shape and after.dtype == untouched.dtype
              and bool((after == untouched).all()),
              say("seeded_normal changed the global random state: after the call, the global generator no longer "
                  "gives the numbers it gave before; it should only use its own generator.",
                  "seeded_normal이 전역 난수 상태를 바꿨습니다: 호출 뒤 전역 생성기가 호출 전과 같은 수를 내지 "
                  "않습니다. 자신의 생성기(generator)만 사용해야 합니다."),
              say("Do not call torch.manual_seed (or draw without generator=) here: make a local torch.Generator.",
                  "여기서 torch.manual_seed를 호출하거나 generator= 없이 난수를 뽑지 마세요. 지역 "
                  "torch.Generator를 만드세요."))


@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("eye_like makes an identity matrix with the input's dtype and device",
                   ko="eye_like는 입력과 dtype, 장치가 같은 단위 행렬을 만듭니다")
def test_eye_like_follows_dtype_and_device(impl):
    for dtype in (torch.float64, torch.float16, torch.int64):
        x = torch.empty(3, 5, dtype=dtype, device="meta")
        assert_tensor(impl.eye_like(x), torch.empty(5, 5, dtype=dtype, device="meta"),
                      say(f"eye_like(x) for x on the meta device with dtype {dtype}",
                          f"meta 장치에 있고 dtype이 {dtype}인 x에 대한 eye_like(x)"),
                      hint=say("Create new tensors with dtype=x.dtype and device=x.device; torch.eye alone gives float32 "
                               "on the CPU.",
                               "새 텐서는 dtype=x.dtype, device=x.device로 만드세요. torch.eye만 쓰면 CPU에 float32로 "
                               "만들어집니다."))
    x = torch.randn(2, 3, 4, dtype=torch.float64)
    assert_tensor(impl.eye_like(x), torch.eye(4, dtype=torch.float64),
                  say("eye_like(x) for a (2, 3, 4) float64 x", "shape가 (2, 3, 4)이고 dtype이 float64인 x에 대한 eye_like(x)"),
                  hint=say("The size is the last axis, x.shape[-1].", "크기는 마지막 축의 길이, x.shape[-1]입니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("flatten_last_two flattens any layout, copying only when it must",
                   ko="flatten_last_two는 어떤 메모리 배치든 펼치고, 꼭 필요할 때만 복사합니다")
def test_flatten_last_two_handles_any_layout(impl):
    generator = torch.Generator().manual_seed(0)
    for shape in random_shapes(generator, count=4, min_dims=2, max_dims=4):
        x = torch.randn(shape, generator=generator)
        out, (x_after,), _ = with_inputs(impl.flatten_last_two, x)
        assert_tensor(out, x.flatten(-2), say(f"flatten_last_two(x) for x of shape {shape}",
                                              f"shape가 {shape}인 x에 대한 flatten_last_two(x)"))
        check(out.untyped_storage().data_ptr() == x_after.untyped_storage().data_ptr(),
              say(f"flatten_last_two(x) for a contiguous x of shape {shape} copied the data; it should return a view.",
                  f"shape가 {shape}인 연속(contiguous) x에 대해 flatten_last_two(x)가 데이터를 복사했습니다. "
                  f"뷰(view)를 반환해야 합니다."),
              say("reshape (and view) on a contiguous tensor return views; do not clone.",
                  "연속(contiguous) 텐서에 쓴 reshape와 view는 뷰를 반환합니다. clone하지 마세요."))
        xt = x.transpose(-1, -2)
        out = errors.calling("flatten_last_two(x.transpose(-1, -2))",
                             say("a transposed tensor is not contiguous, so `view` cannot merge its axes; use `reshape` "
                                 "(it copies only when it must).",
                                 "전치된 텐서는 연속(contiguous)이 아니어서 `view`로는 축을 합칠 수 없습니다. `reshape`를 "
                                 "쓰세요(꼭 필요할 때만 복사합니다)."), impl.flatten_last_two, xt)
        assert_tensor(out, xt.flatten(-2), say(f"flatten_last_two(x) for a non-contiguous x of shape {tuple(xt.shape)}",
                                               f"shape가 {tuple(xt.shape)}인 비연속(non-contiguous) x에 대한 "
                                               f"flatten_last_two(x)"))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("split_heads splits the features into heads and puts heads before time",
                   ko="split_heads는 특징을 헤드로 나누고 헤드 축을 시간 축 앞으로 옮깁니다")
def test_split_heads_moves_heads_before_time(impl):
    x = torch.arange(2 * 3 * 8, dtype=torch.float32).reshape(2, 3, 8)
    expected = torch.stack([x[:, :, h * 2:(h + 1) * 2] for h in range(4)], dim=1)
    assert_tensor(impl.split_heads(x, 4), expected,
                  say("split_heads(x, 4) for x of shape (2, 3, 8)", "shape가 (2, 3, 8)인 x에 대한 split_heads(x, 4)"),
                  hint=say("Split the features first, view(batch, time, n_heads, d), then transpose(1, 2); "
                           "viewing straight to (batch, n_heads, time, d) mixes time steps into heads.",
                           "먼저 특징을 view(batch, time, n_heads, d)로 나눈 뒤 transpose(1, 2)하세요. "
                           "곧바로 (batch, n_heads, time, d)로 view하면 시간 단계가 헤드에 뒤섞입니다."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("to_column adds an axis as a view; drop_singletons removes size-1 axes",
                   ko="to_column은 뷰로 축을 추가하고, drop_singletons는 크기가 1인 축을 없앱니다")
def test_to_column_and_drop_singletons(impl):
    v = torch.randn(5)
    column, (v_after,), _ = with_inputs(impl.to_column, v)
    column = assert_tensor(column, v.reshape(5, 1),
                           say("to_column(v) for v of shape (5,)", "shape가 (5,)인 v에 대한 to_column(v)"),
                           hint=say("unsqueeze(1) adds the size-1 axis after the 5 values: (5,) -> (5, 1).",
                                    "unsqueeze(1)은 값 5개 뒤에 크기 1인 축을 추가합니다: (5,) -> (5, 1)."),
                           mistakes={(say("v.T (or v.t()) of a 1-D tensor, which returns it unchanged: there is no "
                                          "second axis to swap, so a vector never becomes a column by transposing.",
                                          "1차원 텐서의 v.T(또는 v.t())는 텐서를 그대로 반환합니다. 바꿀 두 번째 축이 "
                                          "없으니 전치(transpose)로는 벡터가 열이 되지 않습니다."),
                                      say("Add the axis instead: v.unsqueeze(1).", "대신 축을 추가하세요: v.unsqueeze(1).")):
                                     v})
    check(column.untyped_storage().data_ptr() == v_after.untyped_storage().data_ptr(),
          say("to_column(v) copied the data; unsqueeze returns a view.",
              "to_column(v)가 데이터를 복사했습니다. unsqueeze는 뷰(view)를 반환합니다."))
    x = torch.randn(1, 3, 1, 4)
    assert_tensor(impl.drop_singletons(x), x.reshape(3, 4),
                  say("drop_singletons(x) for x of shape (1, 3, 1, 4)", "shape가 (1, 3, 1, 4)인 x에 대한 drop_singletons(x)"))
    y = torch.randn(2, 1, 1)
    assert_tensor(impl.drop_singletons(y), y.reshape(2),
                  say("drop_singletons(x) for x of shape (2, 1, 1)", "shape가 (2, 1, 1)인 x에 대한 drop_singletons(x)"))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("normalize_rows standardises each row with its own mean and std",
                   ko="normalize_rows는 각 행을 그 행의 평균과 표준편차로 표준화합니다")
def test_normalize_rows_broadcasts_per_row(impl):
    generator = torch.Generator().manual_seed(1)
    for shape in ((4, 4), (3, 7), (6, 2)):  # a square input first: it hides axis mistakes from shapes
        x = torch.randn(shape, generator=generator, dtype=torch.float64) * 3 + torch.arange(shape[0]).unsqueeze(1)
        expected = (x - x.mean(1, keepdim=True)) / x.std(1, keepdim=True, correction=0)
        sample_std = (x - x.mean(1, keepdim=True)) / x.std(1, keepdim=True)
        assert_tensor(impl.normalize_rows(x), expected,
                      say(f"normalize_rows(x) for x of shape {shape}", f"shape가 {shape}인 x에 대한 normalize_rows(x)"),
                      hint=say("Reduce with keepdim=True so the (rows, 1) statistics broadcast along each row; "
                               "without it a (rows,) vector lines up with the columns. Use the population std "
                               "(correction=0).",
                               "keepdim=True로 축소(reduce)해서 (rows, 1) 통계값이 각 행을 따라 브로드캐스트되게 하세요. "
                               "keepdim이 없으면 (rows,) 벡터가 열 방향으로 맞춰집니다. 모집단 표준편차"
                               "(correction=0)를 쓰세요."),
                      mistakes={(say("the sample std, torch.std's default (divides by n - 1, correction=1), instead of "
                                     "the population std (divides by n) that NumPy's std and the docstring use.",
                                     "모집단 표준편차(n으로 나눔, NumPy의 std와 docstring이 쓰는 값) 대신 torch.std의 "
                                     "기본값인 표본 표준편차(n - 1로 나눔, correction=1)를 썼습니다."),
                                 say("Pass correction=0 to std.", "std에 correction=0을 넘기세요.")): sample_std})


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("pairwise_sq_dists gives the squared distance of every pair of rows",
                   ko="pairwise_sq_dists는 모든 행 쌍 사이의 거리 제곱을 계산합니다")
def test_pairwise_sq_dists_against_cdist(impl):
    generator = torch.Generator().manual_seed(2)
    for n, m, d in ((4, 4, 3), (5, 2, 6), (1, 3, 2)):
        a = torch.randn(n, d, generator=generator, dtype=torch.float64)
        b = torch.randn(m, d, generator=generator, dtype=torch.float64)
        assert_tensor(impl.pairwise_sq_dists(a, b), torch.cdist(a, b) ** 2,
                      say(f"pairwise_sq_dists(a, b) for a of shape {(n, d)} and b of shape {(m, d)}",
                          f"shape가 {(n, d)}인 a와 {(m, d)}인 b에 대한 pairwise_sq_dists(a, b)"),
                      hint=say("a.unsqueeze(1) is (n, 1, d) and b.unsqueeze(0) is (1, m, d): their difference is "
                               "(n, m, d); sum over the last axis.",
                               "a.unsqueeze(1)은 (n, 1, d), b.unsqueeze(0)은 (1, m, d)이므로 둘의 차는 "
                               "(n, m, d)입니다. 마지막 축을 따라 합하세요."),
                      mistakes={(say("the distances themselves (torch.cdist, or the sqrt of the sum), not their squares.",
                                     "거리의 제곱이 아니라 거리 자체(torch.cdist, 또는 합의 제곱근)를 반환했습니다."),
                                 say("Return the sum of squared differences, without the square root.",
                                     "제곱근 없이 차이의 제곱 합을 반환하세요.")): torch.cdist(a, b)})


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("batched_matmul, trace and bilinear compute the right einsum products",
                   ko="batched_matmul, trace, bilinear는 올바른 einsum 곱을 계산합니다")
def test_einsum_products(impl):
    generator = torch.Generator().manual_seed(3)
    a = torch.randn(3, 4, 5, generator=generator, dtype=torch.float64)
    b = torch.randn(3, 5, 2, generator=generator, dtype=torch.float64)
    assert_tensor(impl.batched_matmul(a, b), torch.bmm(a, b),
                  say("batched_matmul(a, b) for (3, 4, 5) @ (3, 5, 2)", "(3, 4, 5) @ (3, 5, 2)에 대한 batched_matmul(a, b)"))
    m = torch.randn(4, 4, generator=generator, dtype=torch.float64)
    assert_tensor(impl.trace(m), torch.trace(m), say("trace(m) for a 4x4 m", "4x4 행렬 m에 대한 trace(m)"),
                  hint=say("'ii->' sums the diagonal; 'ij->' would sum every element.",
                           "'ii->'는 대각 성분을 더합니다. 'ij->'는 모든 요소를 더하게 됩니다."))
    x = torch.randn(6, 3, generator=generator, dtype=torch.float64)
    w = torch.randn(3, 4, generator=generator, dtype=torch.float64)
    y = torch.randn(6, 4, generator=generator, dtype=torch.float64)
    assert_tensor(impl.bilinear(x, w, y), ((x @ w) * y).sum(-1),
                  say("bilinear(x, w, y) for x (6, 3), w (3, 4), y (6, 4)",
                      "shape가 각각 (6, 3), (3, 4), (6, 4)인 x, w, y에 대한 bilinear(x, w, y)"),
                  hint=say("'bi,ij,bj->b': the batch index b stays, i and j are summed.",
                           "'bi,ij,bj->b': 배치 인덱스 b는 남고, i와 j는 합해집니다."),
                  mistakes={(say("x @ w @ y.T, the (6, 6) matrix of every pair of rows (or its sum); bilinear is one "
                                 "number per row b, only that matrix's diagonal.",
                                 "x @ w @ y.T는 모든 행 쌍의 (6, 6) 행렬(또는 그 합)입니다. bilinear의 결과는 행 b마다 "
                                 "숫자 하나로, 그 행렬의 대각 성분에 해당합니다."),
                             say("Keep b on both sides: einsum('bi,ij,bj->b', x, w, y), or ((x @ w) * y).sum(-1).",
                                 "양쪽에 b를 두세요: einsum('bi,ij,bj->b', x, w, y) 또는 ((x @ w) * y).sum(-1).")):
                            [x @ w @ y.T, (x @ w @ y.T).sum()]})


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("The shape functions keep the input's dtype and device",
                   ko="shape를 다루는 함수들은 입력의 dtype과 장치를 그대로 유지합니다")
def test_shape_functions_follow_the_input_device(impl):
    x = torch.empty(2, 6, 8, dtype=torch.float16, device="meta")
    for name, out, shape in (("flatten_last_two(x)", impl.flatten_last_two(x), (2, 48)),
                             ("split_heads(x, 2)", impl.split_heads(x, 2), (2, 2, 6, 4)),
                             ("batched_matmul(x, x^T)", impl.batched_matmul(x, x.transpose(1, 2)), (2, 6, 6))):
        assert_tensor(out, torch.empty(shape, dtype=torch.float16, device="meta"),
                      say(f"{name} for a float16 tensor on the meta device", f"meta 장치에 있는 float16 텐서에 대한 {name}"),
                      hint=say("Keep to tensor operations on the input; do not rebuild it with torch.tensor(...) or "
                               ".tolist().",
                               "입력에 대한 텐서 연산만 사용하세요. torch.tensor(...)나 .tolist()로 다시 만들지 마세요."))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("flatten_last_two and eye_like work on CUDA tensors",
                   ko="flatten_last_two와 eye_like는 CUDA 텐서에서도 동작합니다")
def test_functions_run_on_cuda(impl):
    x = torch.randn(3, 4, 5, device="cuda")
    assert_tensor(impl.flatten_last_two(x.transpose(-1, -2)), x.transpose(-1, -2).flatten(-2),
                  say("flatten_last_two(x) for a non-contiguous CUDA x",
                      "비연속(non-contiguous) CUDA x에 대한 flatten_last_two(x)"))
    assert_tensor(impl.eye_like(x), torch.eye(5, device="cuda"), say("eye_like(x) for a CUDA x",
                                                                     "CUDA x에 대한 eye_like(x)"))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("matrix_product multiplies 2-D matrices and rejects anything else",
                   ko="matrix_product는 2차원 행렬을 곱하고 그 밖의 입력은 거부합니다")
def test_matrix_product_is_strictly_two_dimensional(impl):
    generator = torch.Generator().manual_seed(4)
    a = torch.randn(3, 4, generator=generator, dtype=torch.float64)
    b = torch.randn(4, 2, generator=generator, dtype=torch.float64)
    assert_tensor(impl.matrix_product(a, b), a @ b,
                  say("matrix_product(a, b) for (3, 4) @ (4, 2)", "(3, 4) @ (4, 2)에 대한 matrix_product(a, b)"))
    for what_en, what_ko, x, y in (("a of shape (2, 3, 4) and b of shape (4, 2)", "shape가 (2, 3, 4)인 a와 (4, 2)인 b",
                                    torch.randn(2, 3, 4, dtype=torch.float64), b),
                                   ("a of shape (3, 4) and b of shape (4,)", "shape가 (3, 4)인 a와 (4,)인 b",
                                    a, torch.randn(4, dtype=torch.float64))):
        out, error = errors.attempt(impl.matrix_product, x, y)
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        check(error is not None,
              say(f"matrix_product(a, b) for {what_en} returned {shape} instead of raising: it must accept only "
                  "2-D matrices, as torch.mm does, so a shape mistake upstream is not silently batched.",
                  f"{what_ko}에 대한 matrix_product(a, b)가 오류를 발생시키지 않고 shape가 {shape}인 결과를 반환했습니다: "
                  "torch.mm처럼 2차원 행렬만 받아야 앞 단계의 shape 실수가 아무 경고 없이 배치로 처리되지 않습니다."),
              say("torch.matmul (and @) broadcasts and batches; torch.mm takes 2-D matrices only and raises "
                  "RuntimeError otherwise.",
                  "torch.matmul과 @ 연산자는 브로드캐스트와 배치 처리를 합니다. torch.mm은 2차원 행렬만 받고 "
                  "그 밖의 입력에는 RuntimeError를 발생시킵니다."))
        check(isinstance(error, RuntimeError),
              say(f"matrix_product(a, b) for {what_en} raised {errors.summary(error)}; expected the "
                  "RuntimeError torch.mm raises for an input that is not 2-D.",
                  f"{what_ko}에 대한 matrix_product(a, b)가 예외를 발생시켰습니다: {errors.summary(error)}. "
                  "2차원이 아닌 입력에 torch.mm이 발생시키는 RuntimeError여야 합니다."),
              say("Let torch.mm raise its own error; do not catch it or raise another kind.",
                  "torch.mm이 자신의 오류를 발생시키게 두세요. 오류를 잡거나 다른 종류로 바꾸지 마세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("batched_product multiplies stacks of matrices, broadcasting batch axes",
                   ko="batched_product는 배치 축을 브로드캐스트하며 행렬 묶음을 곱합니다")
def test_batched_product_broadcasts_batch_axes(impl):
    generator = torch.Generator().manual_seed(5)
    cases = (((3, 4), (4, 2)), ((6, 3, 4), (4, 2)), ((6, 3, 4), (6, 4, 2)), ((2, 1, 3, 4), (5, 4, 2)))
    for shape_a, shape_b in cases:
        a = torch.randn(shape_a, generator=generator, dtype=torch.float64)
        b = torch.randn(shape_b, generator=generator, dtype=torch.float64)
        expected = (a.unsqueeze(-1) * b.unsqueeze(-3)).sum(-2)  # broadcast by hand: (..., n, k, 1) * (..., 1, k, m)
        out, error = errors.attempt(impl.batched_product, a, b)
        check(error is None,
              say(f"batched_product(a, b) for {shape_a} @ {shape_b} raised {errors.summary(error)}. "
                  f"Expected a {tuple(expected.shape)} product: the batch axes broadcast.",
                  f"{shape_a} @ {shape_b}에 대한 batched_product(a, b)에서 예외가 발생했습니다: "
                  f"{errors.summary(error)}. 배치 축이 브로드캐스트되어 shape가 {tuple(expected.shape)}인 곱이 나와야 합니다."),
              say("torch.mm takes 2-D matrices only and torch.bmm needs equal 3-D batches; torch.matmul (or @) "
                  "broadcasts the batch axes.",
                  "torch.mm은 2차원 행렬만, torch.bmm은 크기가 같은 3차원 배치만 받습니다. torch.matmul(또는 @)은 "
                  "배치 축을 브로드캐스트합니다."))
        assert_tensor(out, expected,
                      say(f"batched_product(a, b) for {shape_a} @ {shape_b}",
                          f"{shape_a} @ {shape_b}에 대한 batched_product(a, b)"),
                      hint=say("The batch axes broadcast from the right, like elementwise operations; the last two "
                               "axes are multiplied as matrices.",
                               "배치 축은 요소별 연산처럼 오른쪽부터 브로드캐스트되고, 마지막 두 축은 행렬로 곱해집니다."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("shared_tensor shares the NumPy array's memory: a write to the array shows in the tensor",
                   ko="shared_tensor는 NumPy 배열과 메모리를 공유합니다: 배열에 쓴 값이 텐서에 보입니다")
def test_shared_tensor_sees_writes_to_the_array(impl):
    generator = torch.Generator().manual_seed(6)
    hint = say("torch.from_numpy(array) (or torch.as_tensor(array)) wraps the array's memory; torch.tensor(array) and "
               "every dtype conversion copy it.",
               "torch.from_numpy(array)(또는 torch.as_tensor(array))는 배열의 메모리를 그대로 감쌉니다. "
               "torch.tensor(array)와 모든 dtype 변환은 메모리를 복사합니다.")
    for dtype in (torch.float64, torch.float32, torch.int64):
        original = (torch.randn(3, 4, generator=generator, dtype=torch.float64) * 10).to(dtype)
        written = original + 100  # differs from the original everywhere
        kind = str(original.numpy().dtype)
        what = say(f"shared_tensor(array) for a {kind} array of shape (3, 4), read after the grader wrote new values "
                   "into the array",
                   f"dtype이 {kind}이고 shape가 (3, 4)인 배열에 대한 shared_tensor(array)를 채점기가 배열에 새 값을 쓴 "
                   "뒤에 읽은 결과")
        seen = errors.calling(what, hint, tensor_after_writing_the_array, impl, original.numpy(), written.numpy())
        result = expect_tensor(seen["result"], what, hint)
        check(result.dtype == original.dtype,
              say(f"{what}: expected dtype {original.dtype}, got {result.dtype}. A dtype conversion (.float(), "
                  ".to(...), torch.Tensor(array)) makes a copy, so the tensor no longer shares the array's memory.",
                  f"{what}: dtype이 {result.dtype}입니다. 기댓값은 {original.dtype}입니다. dtype 변환(.float(), "
                  ".to(...), torch.Tensor(array))은 복사본을 만들기 때문에 텐서가 더 이상 배열과 메모리를 공유하지 "
                  "않습니다."), hint)
        assert_tensor(result, written, what, hint=hint,
                      mistakes={(say("a copy: the tensor still holds the array's old values after the array changed. "
                                     "torch.tensor(array) always copies.",
                                     "복사본입니다: 배열이 바뀐 뒤에도 텐서는 배열의 예전 값을 그대로 가지고 있습니다. "
                                     "torch.tensor(array)는 언제나 복사합니다."),
                                 say("Wrap the array instead: torch.from_numpy(array).",
                                     "대신 배열을 감싸세요: torch.from_numpy(array).")): original})


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("shared_array shares a CPU tensor's memory, also when the tensor requires grad",
                   ko="shared_array는 CPU 텐서와 메모리를 공유하며, 텐서가 변화도를 요구할 때도 그렇습니다")
def test_shared_array_sees_writes_to_the_tensor(impl):
    generator = torch.Generator().manual_seed(7)
    hint = say("t.detach() is the same memory without autograd's history, and its .numpy() shares that memory: "
               "t.detach().cpu().numpy() (.cpu() returns a CPU tensor itself).",
               "t.detach()는 Autograd 기록이 없는 같은 메모리이고, 그 .numpy()는 그 메모리를 공유합니다: "
               "t.detach().cpu().numpy()(.cpu()는 CPU 텐서를 그대로 반환합니다).")
    for requires_grad in (False, True):
        values = torch.randn(2, 5, generator=generator)
        written = values + 10
        what = (say("shared_array(t) for a float32 t that requires grad, read after the grader changed t in place",
                    "변화도를 요구하는 float32 t에 대한 shared_array(t)를 채점기가 t를 제자리에서 바꾼 뒤에 읽은 결과")
                if requires_grad else
                say("shared_array(t) for a float32 t, read after the grader changed t in place",
                    "float32 t에 대한 shared_array(t)를 채점기가 t를 제자리에서 바꾼 뒤에 읽은 결과"))
        seen = errors.calling(what, hint, array_after_writing_the_tensor, impl, values, written, requires_grad)
        result = seen["result"]
        check(isinstance(result, numpy.ndarray),
              say(f"{what} should be a numpy.ndarray, got {type(result).__module__}.{type(result).__qualname__}.",
                  f"{what}: numpy.ndarray여야 하는데 {type(result).__module__}.{type(result).__qualname__}입니다."),
              hint)
        assert_tensor(torch.from_numpy(result), written, what, hint=hint,
                      mistakes={(say("a copy: the array still holds the tensor's old values after the tensor changed "
                                     "(numpy.array(...), .clone(), .copy() or .astype(...) copy).",
                                     "복사본입니다: 텐서가 바뀐 뒤에도 배열은 텐서의 예전 값을 그대로 가지고 있습니다"
                                     "(numpy.array(...), .clone(), .copy(), .astype(...)은 복사합니다)."),
                                 hint): values})


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("shared_array copies a CUDA tensor to the CPU",
                   ko="shared_array는 CUDA 텐서를 CPU로 복사합니다")
def test_shared_array_copies_a_cuda_tensor(impl):
    x = torch.randn(3, 4, device="cuda", requires_grad=True)
    what = say("shared_array(t) for a CUDA t that requires grad", "변화도를 요구하는 CUDA t에 대한 shared_array(t)")
    hint = say("NumPy reads CPU memory only: .cpu() copies the tensor there first (t.detach().cpu().numpy()).",
               "NumPy는 CPU 메모리만 읽습니다: 먼저 .cpu()로 텐서를 CPU에 복사하세요(t.detach().cpu().numpy()).")
    result = errors.calling(what, hint, impl.shared_array, x)
    check(isinstance(result, numpy.ndarray),
          say(f"{what} should be a numpy.ndarray, got {type(result).__module__}.{type(result).__qualname__}.",
              f"{what}: numpy.ndarray여야 하는데 {type(result).__module__}.{type(result).__qualname__}입니다."), hint)
    assert_tensor(torch.from_numpy(result), x.detach().cpu(), what, hint=hint)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("gather_rows looks rows up by index and zeroes padding, leaving the table untouched",
                   ko="gather_rows는 인덱스로 행을 찾고 패딩 위치를 0으로 만들며, table은 그대로 둡니다")
def test_gather_rows_indexes_and_masks(impl):
    generator = torch.Generator().manual_seed(8)
    table = torch.randn(6, 3, generator=generator, dtype=torch.float64)
    hint = say("table[ids] gathers the rows (a copy); then zero where ids == pad_id without writing into table: "
               "rows.masked_fill((ids == pad_id).unsqueeze(-1), 0) or torch.where.",
               "table[ids]로 행을 모은 다음(복사본입니다), table에 쓰지 않고 ids == pad_id인 곳을 0으로 만드세요: "
               "rows.masked_fill((ids == pad_id).unsqueeze(-1), 0) 또는 torch.where.")
    for ids, pad_id in ((torch.tensor([[1, 0, 5, 0], [2, 2, 0, 4]]), 0), (torch.tensor([3, 5, 3, 1, 2]), 3)):
        what = say(f"gather_rows(table, ids, pad_id={pad_id}) for a (6, 3) table and ids of shape {tuple(ids.shape)}",
                   f"shape가 (6, 3)인 table과 shape가 {tuple(ids.shape)}인 ids에 대한 "
                   f"gather_rows(table, ids, pad_id={pad_id})")
        rows = table[ids]
        padding = (ids == pad_id).unsqueeze(-1)
        out, (table_after, _ids_after, _pad), _ = with_inputs(impl.gather_rows, table, ids, pad_id)
        assert_tensor(out, rows.masked_fill(padding, 0), what, hint=hint,
                      mistakes={(say("the padding positions hold table[pad_id] instead of zeros: nothing zeroed them "
                                     "(F.embedding's padding_idx only stops their gradient, it does not zero the "
                                     "output).",
                                     "패딩 위치에 0 대신 table[pad_id]가 들어 있습니다: 아무것도 0으로 만들지 않았습니다"
                                     "(F.embedding의 padding_idx는 그 위치의 변화도만 막고, 출력을 0으로 만들지 "
                                     "않습니다)."), hint): rows,
                                 (say("the mask is the wrong way round: the rows that are not padding were zeroed.",
                                      "마스크가 반대입니다: 패딩이 아닌 행을 0으로 만들었습니다."),
                                  say("Zero where ids == pad_id.", "ids == pad_id인 곳을 0으로 만드세요.")):
                                 rows.masked_fill(~padding, 0)})
        check(table_after.shape == table.shape and bool((table_after == table).all()),
              say(f"{what} changed table in place (its row {pad_id} now holds {table_after[pad_id].tolist()}): the "
                  "lookup must not write into its input, which the model keeps using.",
                  f"{what}이(가) table을 제자리에서 바꿨습니다(행 {pad_id}의 값이 이제 {table_after[pad_id].tolist()}"
                  "입니다): 조회는 모델이 계속 쓰는 입력에 값을 쓰면 안 됩니다."),
              say("table[pad_id] = 0 writes into table (a basic index is a view); zero the gathered rows instead, "
                  "out of place.",
                  "table[pad_id] = 0은 table에 값을 씁니다(기본 인덱싱은 뷰입니다). 대신 모은 행을 제자리가 아닌 "
                  "연산으로 0으로 만드세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("batch_sequences joins chunks along time (cat) and batches sequences on a new axis (stack)",
                   ko="batch_sequences는 조각을 시간 축으로 잇고(cat) 시퀀스를 새 축으로 묶습니다(stack)")
def test_batch_sequences_cats_then_stacks(impl):
    generator = torch.Generator().manual_seed(9)
    hint = say("torch.cat(chunks, dim=0) joins a sequence's chunks along time, (t1, F) + (t2, F) -> (t1 + t2, F); "
               "torch.stack(sequences, dim=0) puts the B sequences on a new first axis.",
               "torch.cat(chunks, dim=0)은 한 시퀀스의 조각을 시간 축으로 잇습니다: (t1, F) + (t2, F) -> "
               "(t1 + t2, F). torch.stack(sequences, dim=0)은 B개의 시퀀스를 새 첫 번째 축에 놓습니다.")
    for lengths in (((2, 3), (4, 1), (1, 1, 3)), ((1, 1), (2,))):
        sequences = [[torch.randn(t, 3, generator=generator) for t in chunk_lengths] for chunk_lengths in lengths]
        expected = torch.stack([torch.cat(chunks) for chunks in sequences])
        batch, time = expected.shape[:2]
        what = say(f"batch_sequences(sequences) for {batch} sequences of chunk lengths {list(map(list, lengths))} "
                   "and 3 features",
                   f"조각 길이가 {list(map(list, lengths))}이고 특징이 3개인 시퀀스 {batch}개에 대한 "
                   "batch_sequences(sequences)")
        out = errors.calling(what, say("torch.stack needs tensors of one shape: the chunks of a sequence differ in "
                                       "length, so join them with torch.cat along time first.",
                                       "torch.stack은 shape가 모두 같은 텐서가 필요합니다: 한 시퀀스의 조각들은 "
                                       "길이가 다르므로 먼저 torch.cat으로 시간 축을 따라 이으세요."),
                             impl.batch_sequences, sequences)
        assert_tensor(out, expected, what, hint=hint,
                      mistakes={(say(f"every chunk end to end, ({batch * time}, 3): torch.cat joined the sequences "
                                     "too, so there is no batch axis.",
                                     f"모든 조각이 끝과 끝이 이어진 ({batch * time}, 3)입니다: torch.cat이 시퀀스까지 "
                                     "이어서 배치 축이 없습니다."),
                                 say("Join the sequences with torch.stack, which adds the batch axis.",
                                     "시퀀스는 배치 축을 추가하는 torch.stack으로 묶으세요.")):
                                expected.reshape(batch * time, 3),
                                (say(f"time-major ({time}, {batch}, 3): the sequences were stacked on axis 1.",
                                     f"시간 축이 먼저인 ({time}, {batch}, 3)입니다: 시퀀스를 1번 축에 쌓았습니다."),
                                 say("Stack on dim=0, so that the batch comes first.",
                                     "배치 축이 먼저 오도록 dim=0에 쌓으세요.")): expected.transpose(0, 1)})


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("clamped_probabilities clamps out of place, so backward works and its gradient is clamp's",
                   ko="clamped_probabilities는 제자리가 아닌 연산으로 제한해서 역전파가 동작하고 변화도가 clamp의 것입니다")
def test_clamped_probabilities_backward_survives(impl):
    generator = torch.Generator().manual_seed(10)
    eps = 0.05
    logits = (torch.randn(4, 6, generator=generator, dtype=torch.float64) * 4).requires_grad_()
    weights = torch.randn(4, 6, generator=generator, dtype=torch.float64)
    what = say(f"clamped_probabilities(logits, {eps}) for (4, 6) float64 logits",
               f"shape가 (4, 6)인 float64 logits에 대한 clamped_probabilities(logits, {eps})")
    hint = say("torch.sigmoid(logits).clamp(eps, 1 - eps): clamp returns a new tensor and leaves sigmoid's saved "
               "output alone.",
               "torch.sigmoid(logits).clamp(eps, 1 - eps): clamp는 새 텐서를 반환하고 sigmoid가 저장한 출력은 "
               "건드리지 않습니다.")
    leaf = logits.detach().requires_grad_()
    expected = torch.sigmoid(leaf).clamp(eps, 1 - eps)
    (expected_grad,) = torch.autograd.grad((expected * weights).sum(), leaf)
    clamped = expected.detach()
    out = errors.calling(what, hint, impl.clamped_probabilities, logits, eps)
    assert_tensor(out, clamped, what, hint=hint)
    check(out.requires_grad, say(f"{what} does not require grad: no gradient can reach logits.",
                                 f"{what}이(가) 변화도를 요구하지 않습니다: logits에 변화도가 전달될 수 없습니다."),
          say("Compute it with torch operations on logits, with no detach() and no torch.no_grad().",
              "detach()나 torch.no_grad() 없이 logits에 대한 torch 연산으로 계산하세요."))
    grads, error = errors.attempt(torch.autograd.grad, (out * weights).sum(), logits)
    check(error is None,
          say(f"backward through {what} raised {errors.summary(error)}. torch.sigmoid saves its output for "
              "backward; an operation that changes that output in place (clamp_, or an indexed assignment) "
              "breaks the gradient.",
              f"{what}을(를) 거치는 역전파에서 예외가 발생했습니다: {errors.summary(error)}. torch.sigmoid는 역전파를 "
              "위해 출력을 저장합니다. 그 출력을 제자리에서 바꾸는 연산(clamp_, 인덱스 대입)은 변화도 계산을 "
              "망가뜨립니다."), hint)
    assert_tensor(grads[0], expected_grad, say(f"the gradient through {what}", f"{what}을(를) 거친 변화도"),
                  hint=hint,
                  mistakes={(say("sigmoid's gradient computed from the clamped values, with nothing for the clamp: "
                                 "the values were changed behind autograd's back (through .data), so autograd never "
                                 "saw the clamp.",
                                 "clamp를 빼고 제한된 값으로 계산한 sigmoid의 변화도입니다: .data를 거쳐 Autograd "
                                 "모르게 값을 바꿔서 Autograd가 clamp를 보지 못했습니다."), hint):
                            weights * clamped * (1 - clamped)})


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("sgd_step_ updates the parameter in place, under no_grad, keeping it the same leaf",
                   ko="sgd_step_은 no_grad 안에서 매개변수를 제자리에서 갱신하고, 같은 잎 텐서로 유지합니다")
def test_sgd_step_updates_in_place(impl):
    generator = torch.Generator().manual_seed(11)
    values = torch.randn(3, 4, generator=generator)
    grad = torch.randn(3, 4, generator=generator)
    lr = 0.1
    expected = values - lr * grad
    what = say(f"param after sgd_step_(param, grad, {lr}) on a (3, 4) leaf that requires grad",
               f"변화도를 요구하는 (3, 4) 잎 텐서에 sgd_step_(param, grad, {lr})을 호출한 뒤의 param")
    hint = say("with torch.no_grad(): param.sub_(lr * grad) (or param -= lr * grad): an in-place operation that "
               "autograd does not record.",
               "with torch.no_grad(): param.sub_(lr * grad)(또는 param -= lr * grad): Autograd가 기록하지 않는 "
               "제자리 연산입니다.")
    seen = errors.calling(what, say("An in-place change to a leaf that requires grad must happen inside "
                                    "`with torch.no_grad():`; outside it autograd refuses.",
                                    "변화도를 요구하는 잎 텐서는 `with torch.no_grad():` 안에서만 제자리에서 바꿀 수 "
                                    "있습니다. 그 밖에서는 Autograd가 거부합니다."),
                          step_seen_through_a_view, impl, values, grad, lr)
    assert_tensor(seen["param"], expected, what, hint=hint,
                  mistakes={(say("param is unchanged: `param = param - lr * grad` rebinds your local name to a new "
                                 "tensor, and the caller's tensor never sees it.",
                                 "param이 그대로입니다: `param = param - lr * grad`는 지역 이름을 새 텐서에 다시 "
                                 "묶을 뿐이라 호출한 쪽의 텐서는 바뀌지 않습니다."), hint): values})
    assert_tensor(seen["view"], expected,
                  say("a view of param taken before sgd_step_, read after it",
                      "sgd_step_ 전에 만든 param의 뷰를 호출 뒤에 읽은 값"), hint=hint,
                  mistakes={(say("param holds the new values in new memory (param.data = ...): a view taken before "
                                 "the step, as a model or an optimizer holds it, still sees the old values.",
                                 "param이 새 값을 새 메모리에 담고 있습니다(param.data = ...): 모델이나 옵티마이저처럼 "
                                 "갱신 전에 만든 뷰는 여전히 예전 값을 봅니다."), hint): values})
    check(seen["requires_grad"] is True and seen["is_leaf"] is True,
          say(f"after sgd_step_, param is {'' if seen['is_leaf'] is True else 'not '}a leaf and "
              f"{'requires' if seen['requires_grad'] is True else 'does not require'} grad; it must stay a leaf that "
              "requires grad, so that the next backward fills its .grad.",
              f"sgd_step_ 뒤에 param은 잎 텐서{'입니다' if seen['is_leaf'] is True else '가 아닙니다'}, 변화도를 "
              f"{'요구합니다' if seen['requires_grad'] is True else '요구하지 않습니다'}. 다음 역전파가 .grad를 "
              "채우도록 변화도를 요구하는 잎 텐서로 남아야 합니다."),
          say("Do not call requires_grad_(False) or replace param: update it inside torch.no_grad().",
              "requires_grad_(False)를 호출하거나 param을 바꿔치지 말고 torch.no_grad() 안에서 갱신하세요."))
