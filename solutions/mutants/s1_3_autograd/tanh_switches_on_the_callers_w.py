"""Switches on requires_grad on the caller's w and differentiates w itself with torch.autograd.grad (which leaves
w.grad alone), instead of making its own leaf: a w that arrived without requires_grad leaves with it on."""
CAUGHT_BY = "test_tanh_layer_grads_leave_the_callers_w_untouched"
MESSAGE_MENTIONS = "switched on requires_grad"
MESSAGE_MENTIONS_KO = "requires_grad를 켰습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def tanh_layer_grads(x, w):
    w.requires_grad_()
    h = x @ w
    return tuple(torch.autograd.grad(torch.tanh(h).sum(), [w, h]))  # noqa: F405
