"""Reloads by building a new model from the saved config, which has fresh random weights."""
CAUGHT_BY = "test_save_pretrained_round_trip_reproduces_outputs"
MESSAGE_MENTIONS = "from_pretrained"
MESSAGE_MENTIONS_KO = "from_pretrained"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from transformers import AutoConfig, PreTrainedTokenizerFast  # noqa: E402


def save_and_reload(model, tokenizer, directory):
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return type(model)(AutoConfig.from_pretrained(directory)), PreTrainedTokenizerFast.from_pretrained(directory)
