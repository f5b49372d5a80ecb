"""Gives torch.cond its branches in the wrong order: true_fn runs where pred is True, so x.sum() > 0 negates and the
rest doubles."""
CAUGHT_BY = "test_export_scale_by_sign_follows_the_data"
MESSAGE_MENTIONS = "swapped"
MESSAGE_MENTIONS_KO = "분기가 뒤바뀌었습니다"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


class _Swapped(torch.nn.Module):  # noqa: F405
    def forward(self, x):
        return torch.cond(x.sum() > 0, lambda t: -t, lambda t: t * 2, (x,))  # noqa: F405


def export_scale_by_sign(example):
    return torch.export.export(_Swapped(), (example,))  # noqa: F405
