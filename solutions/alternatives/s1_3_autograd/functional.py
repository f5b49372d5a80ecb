"""1.3 written another way: torch.autograd.grad, torch.optim.SGD, logaddexp, a backward from the saved output,
y.backward(v) for the vector-Jacobian product, the Jacobian as a loop of one-hot VJPs, and per-sample gradients by a
loop of torch.autograd.grad."""
import torch


def grad_of(fn, x):
    leaf = x.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(fn(leaf), [leaf])
    return grad


def vector_jacobian_product(fn, x, v):
    leaf = x.detach().clone().requires_grad_(True)
    y = fn(leaf)
    y.backward(v)
    return leaf.grad


def jacobian(fn, x):
    leaf = x.detach().clone().requires_grad_(True)
    y = fn(leaf)
    rows = []
    for i in range(y.numel()):  # row i: the VJP with the one-hot v = e_i
        one_hot = torch.zeros_like(y).view(-1)
        one_hot[i] = 1.0
        one_hot = one_hot.view_as(y)
        (row,) = torch.autograd.grad(y, leaf, grad_outputs=one_hot, retain_graph=True)
        rows.append(row)
    return torch.stack(rows).reshape(*y.shape, *x.shape)


def tanh_layer_grads(x, w):
    leaf = w.detach().clone().requires_grad_(True)
    hidden = torch.matmul(x, leaf)
    loss = torch.tanh(hidden).sum()
    grad_w, grad_h = torch.autograd.grad(loss, [leaf, hidden])
    return grad_w, grad_h


def accumulated_grad(w, xs, ys):
    if w.grad is not None:
        w.grad.zero_()
    count = len(xs)
    k = 0
    while k < count:
        residual = torch.mv(xs[k], w) - ys[k]
        (residual.pow(2).mean() / count).backward()
        k += 1
    return w.grad


def sgd_fit(w0, x, y, lr, steps):
    w = w0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(x @ w, y).backward()
        optimizer.step()
    optimizer.zero_grad()
    return w


def straight_through_round(x):
    rounded = torch.round(x.detach())
    return x - x.detach() + rounded


class Softplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        y = torch.logaddexp(torch.zeros_like(x), beta * x) / beta
        ctx.beta = beta
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        slope = -torch.expm1(-ctx.beta * y)  # sigmoid(beta x) = 1 - exp(-beta * softplus_beta(x))
        return slope * grad_output, None


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)


def per_sample_grads(model, x, y):
    names, params = zip(*model.named_parameters())
    per_sample = []
    for xi, yi in zip(x.split(1), y.split(1)):
        loss = torch.nn.functional.nll_loss(torch.log_softmax(model(xi), dim=-1), yi)
        per_sample.append(torch.autograd.grad(loss, params))
    return {name: torch.stack(column) for name, column in zip(names, zip(*per_sample))}
