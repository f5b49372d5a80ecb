"""Makes its leaf with w.clone(): for a w that already requires grad that is not a leaf, so its .grad stays None."""
CAUGHT_BY = "test_tanh_layer_grads_include_the_hidden_gradient"
MESSAGE_MENTIONS = "requires grad"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def tanh_layer_grads(x, w):
    w = w.clone().requires_grad_()
    h = x @ w
    h.retain_grad()
    torch.tanh(h).sum().backward()
    return w.grad, h.grad
