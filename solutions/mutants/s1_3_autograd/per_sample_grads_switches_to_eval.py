"""Switches the caller's model to eval mode before differentiating (to keep dropout out of the per-sample
gradients) and never switches it back: the model leaves in another mode than it came in."""
CAUGHT_BY = "test_per_sample_grads_leave_the_model_untouched"
MESSAGE_MENTIONS = "switched the model to eval mode"
MESSAGE_MENTIONS_KO = "모델을 평가 모드로 바꿨습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def per_sample_grads(model, x, y):
    model.eval()
    params = {name: p.detach() for name, p in model.named_parameters()}

    def sample_loss(params, xi, yi):
        logits = torch.func.functional_call(model, params, (xi.unsqueeze(0),))  # noqa: F405
        return torch.nn.functional.cross_entropy(logits, yi.unsqueeze(0))  # noqa: F405

    return torch.func.vmap(torch.func.grad(sample_loss), in_dims=(None, 0, 0))(params, x, y)  # noqa: F405
