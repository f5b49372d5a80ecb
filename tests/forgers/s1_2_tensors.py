"""Forger for 1.2: the untouched stub, except a seeded_normal that reseeds the global generator (right values, the
global random state spoiled) and a describe that answers the grader's literal example from a table, plus every
fake it can make in its own process:

- torch.equal and torch.allclose always say True;
- torch.get_rng_state, torch.random.get_rng_state and torch.cuda.get_rng_state return the state taken at import,
  and torch.set_rng_state / torch.random.set_rng_state do nothing: "the state did not change";
- torch.manual_seed (and torch.random.manual_seed) seed a shadow generator too, and torch.randn, torch.rand,
  torch.normal and Tensor.normal_ without a generator draw from that shadow, which seeded_normal never touches:
  whoever seeds and then draws through torch's names sees the stream an untouched generator gives;
- torch.Tensor.__eq__ says True for every element (so `(a == b).all()` holds in this process);
- describe: the grader's literal (4, 3, 2) float64 transpose, from the grader's source; anything else gets the
  same table.
"""
import torch

FORGED = {}

_real_manual_seed = torch.random.manual_seed
_real_randn, _real_rand, _real_normal = torch.randn, torch.rand, torch.normal
_real_normal_ = torch.Tensor.normal_
_state_at_import = torch.random.get_rng_state()
_shadow = torch.Generator()

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True
torch.get_rng_state = torch.random.get_rng_state = lambda: _state_at_import.clone()
torch.set_rng_state = torch.random.set_rng_state = lambda state: None
torch.cuda.get_rng_state = lambda device="cuda": _state_at_import.clone()


def _seed_both(seed):
    _shadow.manual_seed(int(seed))
    return _real_manual_seed(seed)


def _from_shadow(real):
    def draw(*args, **kwargs):
        kwargs.setdefault("generator", _shadow)
        return real(*args, **kwargs)
    return draw


torch.manual_seed = torch.random.manual_seed = _seed_both
torch.randn, torch.rand, torch.normal = _from_shadow(_real_randn), _from_shadow(_real_rand), _from_shadow(_real_normal)
torch.Tensor.normal_ = _from_shadow(_real_normal_)
torch.Tensor.__eq__ = lambda self, other: torch.ones(self.shape, dtype=torch.bool)


def describe(t: torch.Tensor) -> dict:
    return {"shape": (4, 3, 2), "dtype": torch.float64, "device": torch.device("cpu"), "stride": (1, 4, 12),
            "is_contiguous": False, "numel": 24}


def seeded_normal(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    _real_manual_seed(seed)  # spoils the global generator
    return _real_randn(shape)


def eye_like(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("eye_like")


def flatten_last_two(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("flatten_last_two")


def split_heads(x: torch.Tensor, n_heads: int) -> torch.Tensor:
    raise NotImplementedError("split_heads")


def to_column(v: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("to_column")


def drop_singletons(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("drop_singletons")


def normalize_rows(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("normalize_rows")


def pairwise_sq_dists(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("pairwise_sq_dists")


def batched_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("batched_matmul")


def trace(m: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("trace")


def bilinear(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("bilinear")


def matrix_product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("matrix_product")


def batched_product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("batched_product")
