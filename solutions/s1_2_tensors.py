"""Reference solution for 1.2 (the task is in exercises/s1_2_tensors.py)."""
import torch


def describe(t):
    return {"shape": tuple(t.shape), "dtype": t.dtype, "device": t.device, "stride": t.stride(),
            "is_contiguous": t.is_contiguous(), "numel": t.numel()}


def seeded_normal(shape, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=generator)


def eye_like(x):
    return torch.eye(x.shape[-1], dtype=x.dtype, device=x.device)


def flatten_last_two(x):
    return x.reshape(*x.shape[:-2], x.shape[-2] * x.shape[-1])


def split_heads(x, n_heads):
    batch, time, features = x.shape
    return x.view(batch, time, n_heads, features // n_heads).transpose(1, 2)


def to_column(v):
    return v.unsqueeze(1)


def drop_singletons(x):
    return x.squeeze()


def normalize_rows(x):
    mean = x.mean(dim=1, keepdim=True)
    std = x.std(dim=1, keepdim=True, correction=0)
    return (x - mean) / std


def pairwise_sq_dists(a, b):
    return ((a.unsqueeze(1) - b.unsqueeze(0)) ** 2).sum(-1)


def batched_matmul(a, b):
    return torch.einsum("bij,bjk->bik", a, b)


def trace(m):
    return torch.einsum("ii->", m)


def bilinear(x, w, y):
    return torch.einsum("bi,ij,bj->b", x, w, y)


def matrix_product(a, b):
    return torch.mm(a, b)


def batched_product(a, b):
    return torch.matmul(a, b)


def shared_tensor(array):
    return torch.from_numpy(array)


def shared_array(t):
    return t.detach().cpu().numpy()


def gather_rows(table, ids, pad_id):
    rows = table[ids]
    return rows.masked_fill((ids == pad_id).unsqueeze(-1), 0)


def batch_sequences(sequences):
    return torch.stack([torch.cat(chunks, dim=0) for chunks in sequences], dim=0)


def clamped_probabilities(logits, eps):
    return torch.sigmoid(logits).clamp(eps, 1 - eps)


def sgd_step_(param, grad, lr):
    with torch.no_grad():
        param.sub_(lr * grad)
