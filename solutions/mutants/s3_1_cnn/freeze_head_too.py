"""Freezes every parameter, the new head included, so nothing can train."""
CAUGHT_BY = "test_frozen_backbone_gets_no_gradient"
MESSAGE_MENTIONS = "model.fc"
MESSAGE_MENTIONS_KO = "model.fc"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference


def freeze_backbone(model):
    model.requires_grad_(False)
    return model
