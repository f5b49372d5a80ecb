"""1.2 Tensors — attributes, creation, views, broadcasting, einsum, the NumPy bridge, indexing, cat/stack, in-place.

A `torch.Tensor` is a block of memory (its *storage*) plus a view of it: `shape`, `dtype`,
`device` and `stride` (how many elements to skip to move one step along each axis). Many
operations (`view`, `transpose`, `t`, slicing, `unsqueeze`) make a new tensor over the *same*
storage without copying. `view` needs a stride pattern it can reinterpret, so it fails on a
non-contiguous tensor such as a transpose; `reshape` returns a view when it can and copies when
it must.

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 1.2`.
Use torch operations only (no Python loops over elements, and no NumPy except where a function's
docstring hands you an array or asks for one).
"""
import numpy
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


def shared_tensor(array: numpy.ndarray) -> torch.Tensor:
    """A tensor over the *same memory* as the NumPy array `array`: no copy, same dtype.

    `torch.from_numpy(array)` (or `torch.as_tensor(array)`) wraps the array's buffer, so a change on one
    side shows on the other:

        a = numpy.zeros(3); t = torch.from_numpy(a); a[0] = 5.0   # now t[0] is 5.0 too

    That is why it is free (nothing is copied, however large the array), and why it can surprise you.
    What breaks the sharing, each one a copy: `torch.tensor(array)` and `torch.Tensor(array)` (they always
    copy), any dtype conversion (`.float()` on a float64 array, `.to(torch.int32)`, ...), and moving to
    another device (`.to("cuda")`). Keep the array's dtype: a float64 array gives a float64 tensor.
    """
    raise NotImplementedError("shared_tensor")


def shared_array(t: torch.Tensor) -> numpy.ndarray:
    """The tensor `t` as a NumPy array: over `t`'s own memory when `t` is on the CPU, a copy otherwise.

    `t.numpy()` shares memory with a CPU tensor (the bridge's other direction: a later in-place change to
    `t` shows in the array). Two things stop it:
    - `t` requires grad (a model's weight, say): `.numpy()` refuses, because autograd would not see what
      NumPy does to the values. `t.detach()` is the same memory without the autograd history, and its
      `.numpy()` works.
    - `t` is on a GPU: NumPy only reads CPU memory, so `.numpy()` raises; `.cpu()` copies to the CPU first
      (on a CPU tensor `.cpu()` returns `t` itself, so nothing is copied there).
    So `t.detach().cpu().numpy()` is the line to remember: shared on the CPU, copied from a GPU.
    """
    raise NotImplementedError("shared_array")


def gather_rows(table: torch.Tensor, ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Look up the rows of `table` (V, D) named by the integer tensor `ids` (any shape), with padding zeroed.

    Returns a tensor of shape (*ids.shape, D): out[..., :] = table[ids[...]], except that wherever
    ids == pad_id the row is all zeros. `table` itself must not change.

        table = torch.arange(6.).view(3, 2); ids = torch.tensor([2, 0, 0])
        gather_rows(table, ids, pad_id=0)   # [[4., 5.], [0., 0.], [0., 0.]]

    Indexing with a tensor of integers (`table[ids]`, advanced indexing) or of booleans (`x[mask]`, the
    elements where the mask is True, as a 1-D tensor) always *copies*, unlike slicing (`table[1:]`,
    `table[0]`), which gives a view. So writing into `table[ids]` never touches `table`, but writing into
    `table[pad_id]` does. To set values where a condition holds without writing into anything, use
    `torch.where(mask, value, x)` or `x.masked_fill(mask, value)` (both return a new tensor); the mask
    `ids == pad_id` has ids' shape, so add an axis to line it up with the rows' D values.
    (`torch.nn.functional.embedding(..., padding_idx=)` does not zero the output: it only stops the gradient.)
    """
    raise NotImplementedError("gather_rows")


def batch_sequences(sequences: list[list[torch.Tensor]]) -> torch.Tensor:
    """Join each sequence's chunks along time, then batch the sequences: (batch, time, features).

    `sequences` holds B sequences; each is a list of chunks of shape (t_i, F) (the chunk lengths t_i differ)
    whose lengths add up to the same T for every sequence. The result is (B, T, F): row b is sequence b,
    its chunks one after the other in time.

    `torch.cat(tensors, dim)` joins along an axis that already exists: (2, F) and (3, F) along dim 0 give
    (5, F); the other axes must match. `torch.stack(tensors, dim)` makes a *new* axis: B tensors of shape
    (T, F) give (B, T, F) with dim=0; every tensor must have the same shape. Chunks of one sequence
    continue each other (cat); sequences are separate samples of a batch (stack).
    """
    raise NotImplementedError("batch_sequences")


def clamped_probabilities(logits: torch.Tensor, eps: float) -> torch.Tensor:
    """`torch.sigmoid(logits)` clamped into [eps, 1 - eps] (so that a later log never sees 0 or 1),
    differentiable: the gradient is clamp's (0 where a probability was clamped, sigmoid's elsewhere).

    Write it out of place (`.clamp(...)`, not `.clamp_(...)`). Operations whose name ends in `_` change
    their tensor in place, and autograd refuses some of them. `torch.sigmoid` saves its *output* for the
    backward pass (its derivative is p * (1 - p)); clamping that output in place changes what was saved,
    so `backward()` raises "one of the variables needed for gradient computation has been modified by an
    inplace operation". Changing the values behind autograd's back (through `.data`) is worse: no error,
    a wrong gradient.
    """
    raise NotImplementedError("clamped_probabilities")


def sgd_step_(param: torch.Tensor, grad: torch.Tensor, lr: float) -> None:
    """One gradient-descent step on `param` itself, in place: param <- param - lr * grad (nothing to return).

    `param` is a leaf that requires grad, like a model's weight; the model (and an optimizer) hold that
    very tensor, so the step must change its memory, not make a new tensor: `param = param - lr * grad`
    only rebinds your local name, and the caller's tensor never changes. The in-place form
    (`param.sub_(lr * grad)` or `param -= lr * grad`) on a leaf that requires grad raises "a leaf Variable
    that requires grad is being used in an in-place operation", because autograd would have to record
    the update; do it inside `with torch.no_grad():`, as `optimizer.step()` does. After the step `param`
    is still the same leaf, still requires grad, over the same memory (a view of it sees the new values).
    """
    raise NotImplementedError("sgd_step_")
