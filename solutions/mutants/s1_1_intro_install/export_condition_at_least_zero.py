"""Writes the condition as x.sum() >= 0: an input whose sum is exactly 0 is doubled where scale_by_sign (x.sum() > 0)
negates it."""
CAUGHT_BY = "test_export_scale_by_sign_follows_the_data"
MESSAGE_MENTIONS = "strictly"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


class _AtLeastZero(torch.nn.Module):  # noqa: F405
    def forward(self, x):
        return torch.cond(x.sum() >= 0, lambda t: t * 2, lambda t: -t, (x,))  # noqa: F405


def export_scale_by_sign(example):
    return torch.export.export(_AtLeastZero(), (example,))  # noqa: F405
