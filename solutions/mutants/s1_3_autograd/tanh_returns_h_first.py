"""Returns (h.grad, w.grad): the pair in the wrong order."""
CAUGHT_BY = "test_tanh_layer_grads_include_the_hidden_gradient"
MESSAGE_MENTIONS = "the pair is in the wrong order"
MESSAGE_MENTIONS_KO = "순서가 바뀌었습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def tanh_layer_grads(x, w):
    w = w.detach().requires_grad_()
    h = x @ w
    h.retain_grad()
    torch.tanh(h).sum().backward()  # noqa: F405
    return h.grad, w.grad
