"""Takes torch.func.grad of the whole batch's loss and repeats it for every sample (no vmap)."""
CAUGHT_BY = "test_per_sample_grads_match_a_loop_over_samples"
MESSAGE_MENTIONS = "the same for every sample"
MESSAGE_MENTIONS_KO = "배치 전체의 변화도 하나로 같습니다"
import torch  # noqa: E402

from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def per_sample_grads(model, x, y):
    params = {name: p.detach() for name, p in model.named_parameters()}

    def batch_loss(params):
        return torch.nn.functional.cross_entropy(torch.func.functional_call(model, params, (x,)), y)

    grads = torch.func.grad(batch_loss)(params)
    return {name: g.expand(len(x), *g.shape) for name, g in grads.items()}
