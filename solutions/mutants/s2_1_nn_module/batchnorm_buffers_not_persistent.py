"""Registers the running statistics with persistent=False: state_dict() does not save them."""
CAUGHT_BY = "test_batchnorm_registers_parameters_and_buffers"
MESSAGE_MENTIONS = "persistent=False is not saved"
MESSAGE_MENTIONS_KO = "persistent=False로 등록한 버퍼는 저장되지 않으므로"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features), persistent=False)
        self.register_buffer("running_var", torch.ones(num_features), persistent=False)

    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0, unbiased=False)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0, unbiased=True))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
