"""Normalises before padding, so the border is raw 0 instead of a normalised blank pixel."""
CAUGHT_BY = "test_transform_pads_then_normalizes"
MESSAGE_MENTIONS = "order"
MESSAGE_MENTIONS_KO = "Pad를 먼저 적용하세요"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def make_transform(mean, std, augment=False):
    steps = [v2.Normalize([mean], [std]), v2.Pad(2)]
    if augment:
        steps.append(v2.RandomAffine(degrees=10, translate=(0.1, 0.1)))
    return v2.Compose(steps)
