"""Calls model.eval() to 'freeze' the backbone, which changes BatchNorm behaviour and freezes nothing."""
CAUGHT_BY = "test_frozen_backbone_gets_no_gradient"
MESSAGE_MENTIONS = "model.eval()"
MESSAGE_MENTIONS_KO = "model.eval()"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference


def freeze_backbone(model):
    return model.eval()
