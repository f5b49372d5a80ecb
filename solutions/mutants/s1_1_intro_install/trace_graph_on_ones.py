"""Traces on a tensor of ones shaped like example instead of example itself: the branch recorded is the one ones take
(x.sum() > 0), whatever example's is."""
CAUGHT_BY = "test_trace_graph_keeps_only_the_branch_it_saw"
MESSAGE_MENTIONS = "another tensor"
MESSAGE_MENTIONS_KO = "다른 텐서로 trace했습니다"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def trace_graph(fn, example):
    return torch.jit.trace(fn, (torch.ones_like(example),))  # noqa: F405
