"""1.2 Tensors — attributes, creation, views and reshaping, broadcasting, matmul and einsum.

A `torch.Tensor` is a block of memory (its *storage*) plus a view of it: `shape`, `dtype`,
`device` and `stride` (how many elements to skip to move one step along each axis). Many
operations (`view`, `transpose`, `t`, slicing, `unsqueeze`) make a new tensor over the *same*
storage without copying. `view` needs a stride pattern it can reinterpret, so it fails on a
non-contiguous tensor such as a transpose; `reshape` returns a view when it can and copies when
it must.

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 1.2`.
Use torch operations only (no Python loops over elements, no NumPy).
"""
import torch


def describe(t: torch.Tensor) -> dict:
    """Report a tensor's attributes as a dict with exactly these keys:

    - "shape": a tuple of ints, e.g. (2, 3)
    - "dtype": the torch.dtype, e.g. torch.float32
    - "device": the torch.device
    - "stride": a tuple of ints
    - "is_contiguous": a bool
    - "numel": the number of elements, an int
    """
    raise NotImplementedError("describe")


def seeded_normal(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """Standard-normal samples of `shape`, reproducible from `seed` alone.

    Use a local `torch.Generator` seeded with `seed` (do not touch the global seed), so that the
    same call always returns the same values: exactly those of
    `torch.randn(shape, generator=<a generator seeded with seed>)`.
    """
    raise NotImplementedError("seeded_normal")


def eye_like(x: torch.Tensor) -> torch.Tensor:
    """The identity matrix of size `x.shape[-1]`, with the dtype and on the device of `x`.

    New tensors do not follow their inputs by themselves: pass `dtype=` and `device=`.
    """
    raise NotImplementedError("eye_like")


def flatten_last_two(x: torch.Tensor) -> torch.Tensor:
    """Merge the last two axes: (..., A, B) -> (..., A*B).

    Must work for any input, contiguous or not (try it on `x.transpose(-1, -2)`), and must return a
    view sharing `x`'s storage whenever `x` is contiguous.
    """
    raise NotImplementedError("flatten_last_two")


def split_heads(x: torch.Tensor, n_heads: int) -> torch.Tensor:
    """Split the feature axis of a (batch, time, features) tensor into attention heads.

    Returns (batch, n_heads, time, features // n_heads) where head h holds the features
    h*d ... (h+1)*d - 1 of each time step (d = features // n_heads). Which axis you split, and in
    which order the new axes come, decides which features land in which head.
    """
    raise NotImplementedError("split_heads")


def to_column(v: torch.Tensor) -> torch.Tensor:
    """A 1-D tensor of n elements as an (n, 1) column, a view of `v` (no copy)."""
    raise NotImplementedError("to_column")


def drop_singletons(x: torch.Tensor) -> torch.Tensor:
    """`x` without any of its size-1 axes: (1, 3, 1, 4) -> (3, 4)."""
    raise NotImplementedError("drop_singletons")


def normalize_rows(x: torch.Tensor) -> torch.Tensor:
    """Standardise each row of a 2-D tensor: subtract the row's mean, divide by the row's standard
    deviation (population std, `unbiased=False` / `correction=0`). Use broadcasting, no loops.
    """
    raise NotImplementedError("normalize_rows")


def pairwise_sq_dists(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Squared Euclidean distances between the rows of a (n, d) and the rows of b (m, d).

    Returns (n, m) with out[i, j] = sum_k (a[i, k] - b[j, k]) ** 2, every pair at once by
    broadcasting (no loop over rows).
    """
    raise NotImplementedError("pairwise_sq_dists")


def batched_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(batch, i, j) @ (batch, j, k) -> (batch, i, k), written with `torch.einsum`."""
    raise NotImplementedError("batched_matmul")


def trace(m: torch.Tensor) -> torch.Tensor:
    """The trace (sum of the diagonal) of a square matrix, as a 0-d tensor, with `torch.einsum`."""
    raise NotImplementedError("trace")


def bilinear(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """For each row b: x[b] @ w @ y[b], i.e. sum_ij x[b, i] * w[i, j] * y[b, j].

    x is (batch, i), w is (i, j), y is (batch, j); returns (batch,). One `torch.einsum` call.
    """
    raise NotImplementedError("bilinear")


def matrix_product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The product of two matrices, (n, k) @ (k, m) -> (n, m), computed with `torch.mm`.

    Matrices only: when `a` or `b` is not 2-D, the RuntimeError that `torch.mm` raises reaches the
    caller (no reshaping, no silent batching), so a shape mistake upstream is found here.
    """
    raise NotImplementedError("matrix_product")


def batched_product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The matrix product of stacks of matrices: (..., n, k) @ (..., k, m) -> (..., n, m).

    The batch axes (...) broadcast the way elementwise operations do: (2, 1, n, k) with (5, k, m)
    gives (2, 5, n, m), and a 2-D `b` is shared by every matrix of `a`. `torch.mm` cannot do this.
    """
    raise NotImplementedError("batched_product")
