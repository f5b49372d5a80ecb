"""Traces the model in training mode and only then calls eval() to get past freeze: the trace recorded
training=True, so the frozen graph keeps batch statistics and active dropout."""
CAUGHT_BY = "test_frozen_module_inlines_weights_and_folds_batch_norm"
MESSAGE_MENTIONS = "training-mode"
MESSAGE_MENTIONS_KO = "학습 모드 연산이 남아 있습니다"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def freeze_for_inference(model, example):
    return torch.jit.freeze(torch.jit.trace(model, (example,)).eval())
