"""Pads but leaves out the Normalize step: the model then sees pixels in [0, 1] instead of values centred on the
training set's mean."""
CAUGHT_BY = "test_transform_pads_then_normalizes"
MESSAGE_MENTIONS = "Normalize step is missing"
MESSAGE_MENTIONS_KO = "Normalize 단계가 빠졌습니다"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def make_transform(mean, std, augment=False):
    steps = [v2.Pad(2)]
    if augment:
        steps.append(v2.RandomAffine(degrees=10, translate=(0.1, 0.1)))
    return v2.Compose(steps)
