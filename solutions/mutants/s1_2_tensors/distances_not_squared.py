"""Returns torch.cdist(a, b), the Euclidean distances, where the function promises their squares."""
# cdist is the (p=2) distance, its square is what kernels and k-means want:
# https://pytorch.org/docs/stable/generated/torch.cdist.html
CAUGHT_BY = "test_pairwise_sq_dists_against_cdist"
MESSAGE_MENTIONS = "not their squares"
MESSAGE_MENTIONS_KO = "거리의 제곱이 아니라"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def pairwise_sq_dists(a, b):
    return torch.cdist(a, b)  # noqa: F405
