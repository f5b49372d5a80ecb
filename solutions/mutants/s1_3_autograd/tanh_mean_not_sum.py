"""Differentiates tanh(h).mean() instead of tanh(h).sum(): every gradient is divided by h's size."""
CAUGHT_BY = "test_tanh_layer_grads_include_the_hidden_gradient"
MESSAGE_MENTIONS = "tanh(h).mean(), not tanh(h).sum()"
MESSAGE_MENTIONS_KO = "tanh(h).mean()입니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def tanh_layer_grads(x, w):
    w = w.detach().requires_grad_()
    h = x @ w
    h.retain_grad()
    torch.tanh(h).mean().backward()  # noqa: F405
    return w.grad, h.grad
