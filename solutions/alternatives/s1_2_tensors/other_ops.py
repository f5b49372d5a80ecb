"""1.2 written another way: flatten/permute/indexing and explicit broadcasting instead of the
reference's reshape/transpose/einsum choices (einsum kept where the task asks for it)."""
import torch


def describe(t):
    return dict(shape=tuple(t.size()), dtype=t.dtype, device=t.device, stride=tuple(t.stride()),
                is_contiguous=bool(t.is_contiguous()), numel=int(t.numel()))


def seeded_normal(shape, seed):
    g = torch.Generator(device="cpu")
    g.manual_seed(seed)
    return torch.normal(0.0, 1.0, size=tuple(shape), generator=g)


def eye_like(x):
    n = x.size(-1)
    return torch.diag(torch.ones(n, dtype=x.dtype, device=x.device))


def flatten_last_two(x):
    return torch.flatten(x, start_dim=-2)


def split_heads(x, n_heads):
    b, t, f = x.size()
    return x.unflatten(-1, (n_heads, f // n_heads)).permute(0, 2, 1, 3)


def to_column(v):
    return v[:, None]


def drop_singletons(x):
    return x.reshape([s for s in x.shape if s != 1])


def normalize_rows(x):
    centred = x - x.mean(-1)[:, None]
    return centred / centred.pow(2).mean(-1).sqrt()[:, None]


def pairwise_sq_dists(a, b):
    return (a * a).sum(1)[:, None] - 2 * a @ b.T + (b * b).sum(1)[None, :]


def batched_matmul(a, b):
    return torch.einsum("nxy,nyz->nxz", a, b)


def trace(m):
    return torch.einsum("jj", m)


def bilinear(x, w, y):
    return torch.einsum("ni,ij,nj->n", x, w, y)


def matrix_product(a, b):
    if a.dim() != 2 or b.dim() != 2:
        raise RuntimeError(f"matrix_product takes 2-D matrices, got {a.dim()}-D and {b.dim()}-D")
    return torch.einsum("nk,km->nm", a, b)


def batched_product(a, b):
    return a @ b


def shared_tensor(array):
    return torch.as_tensor(array)


def shared_array(t):
    return t.numpy(force=True)


def gather_rows(table, ids, pad_id):
    flat = torch.index_select(table, 0, ids.reshape(-1)).reshape(*ids.shape, table.shape[-1])
    keep = (ids != pad_id)[..., None]
    return torch.where(keep, flat, torch.zeros((), dtype=table.dtype, device=table.device))


def batch_sequences(sequences):
    return torch.cat([torch.cat(tuple(chunks))[None] for chunks in sequences])


def clamped_probabilities(logits, eps):
    p = 1 / (1 + torch.exp(-logits))
    return torch.clamp(p, min=eps, max=1 - eps)


def sgd_step_(param, grad, lr):
    with torch.no_grad():
        param.add_(grad, alpha=-lr)
