"""Standardises with x.std(dim=1, keepdim=True), torch's default sample std (divides by n - 1), where the
docstring, like NumPy's np.std, asks for the population std (divides by n)."""
# torch.std defaults to Bessel's correction, np.std does not:
# https://runebook.dev/en/docs/pytorch/generated/torch.std ("Forgetting to set unbiased=False")
CAUGHT_BY = "test_normalize_rows_broadcasts_per_row"
MESSAGE_MENTIONS = "sample std"
MESSAGE_MENTIONS_KO = "표본 표준편차"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def normalize_rows(x):
    return (x - x.mean(dim=1, keepdim=True)) / x.std(dim=1, keepdim=True)
