"""Makes its leaf with w.clone(): for a w that already requires grad that is not a leaf, so its .grad stays None."""
CAUGHT_BY = "test_tanh_layer_grads_include_the_hidden_gradient"
MESSAGE_MENTIONS = "requires grad"
MESSAGE_MENTIONS_KO = "requires_grad=True인 w의 w.clone()은 leaf가 아니고"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def tanh_layer_grads(x, w):
    w = w.clone().requires_grad_()
    h = x @ w
    h.retain_grad()
    torch.tanh(h).sum().backward()
    return w.grad, h.grad
