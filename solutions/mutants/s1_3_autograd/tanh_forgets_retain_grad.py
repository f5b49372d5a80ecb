"""Reads h.grad without h.retain_grad(): a non-leaf's gradient is None."""
CAUGHT_BY = "test_tanh_layer_grads_include_the_hidden_gradient"
MESSAGE_MENTIONS = "retain_grad"
MESSAGE_MENTIONS_KO = "retain_grad"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def tanh_layer_grads(x, w):
    w = w.detach().requires_grad_()
    h = x @ w
    torch.tanh(h).sum().backward()  # noqa: F405
    return w.grad, h.grad
