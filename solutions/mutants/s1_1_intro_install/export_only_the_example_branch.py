"""Decides the branch in Python from example, then exports only that branch: the program is specialised to example's
branch, as a trace is, and gets every input of the other sign wrong."""
CAUGHT_BY = "test_export_scale_by_sign_follows_the_data"
MESSAGE_MENTIONS = "only the branch example took"
MESSAGE_MENTIONS_KO = "example이 지나간 분기만"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


class _Doubled(torch.nn.Module):  # noqa: F405
    def forward(self, x):
        return x * 2


class _Negated(torch.nn.Module):  # noqa: F405
    def forward(self, x):
        return -x


def export_scale_by_sign(example):
    module = _Doubled() if example.sum() > 0 else _Negated()
    return torch.export.export(module, (example,))  # noqa: F405
