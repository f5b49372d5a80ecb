"""Returns program.module(), the runnable GraphModule, instead of the ExportedProgram that torch.export.save and the
other exporters take."""
CAUGHT_BY = "test_export_scale_by_sign_follows_the_data"
MESSAGE_MENTIONS = "ExportedProgram"
MESSAGE_MENTIONS_KO = "ExportedProgram이 아니라"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


class _Both(torch.nn.Module):  # noqa: F405
    def forward(self, x):
        return torch.cond(x.sum() > 0, lambda t: t * 2, lambda t: -t, (x,))  # noqa: F405


def export_scale_by_sign(example):
    return torch.export.export(_Both(), (example,)).module()  # noqa: F405
