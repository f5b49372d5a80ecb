"""Freezes the whole model, then makes the head trainable by building a new fc: the head's weights are replaced, not
kept (freezing is meant to change requires_grad only)."""
CAUGHT_BY = "test_frozen_backbone_gets_no_gradient"
MESSAGE_MENTIONS = "a new head replaced model.fc"
MESSAGE_MENTIONS_KO = "새 헤드가 model.fc를 대신했습니다"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def freeze_backbone(model):
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, model.fc.out_features)
    return model
