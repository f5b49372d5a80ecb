"""Updates the running statistics outside torch.no_grad(): they require grad and keep every batch's graph."""
CAUGHT_BY = "test_batchnorm_training_matches_nn_batchnorm1d"
MESSAGE_MENTIONS = "updated outside torch.no_grad()"
MESSAGE_MENTIONS_KO = "torch.no_grad() 밖에서 배치 통계로 갱신했으므로"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0, unbiased=False)
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * x.var(0, unbiased=True)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
