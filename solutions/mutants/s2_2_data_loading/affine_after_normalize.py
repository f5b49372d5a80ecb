"""Appends the random affine after Normalize (steps = [Pad, Normalize], then `steps.append(RandomAffine)` when
augment is True): the pixels the affine moves in are filled with raw 0, not with a normalised blank."""
CAUGHT_BY = "test_augmenting_transform_is_random_but_seeded"
MESSAGE_MENTIONS = "after Normalize"
MESSAGE_MENTIONS_KO = "Normalize 다음에"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def make_transform(mean, std, augment=False):
    steps = [v2.Pad(2), v2.Normalize([mean], [std])]
    if augment:
        steps.append(v2.RandomAffine(degrees=10, translate=(0.1, 0.1)))
    return v2.Compose(steps)
