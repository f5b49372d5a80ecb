"""Saves the model and the tokenizer but returns the model it was given instead of the one loaded back."""
CAUGHT_BY = "test_save_pretrained_round_trip_reproduces_outputs"
MESSAGE_MENTIONS = "not the one loaded back"
MESSAGE_MENTIONS_KO = "다시 불러온 모델이 아닙니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from transformers import PreTrainedTokenizerFast  # noqa: E402


def save_and_reload(model, tokenizer, directory):
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return model, PreTrainedTokenizerFast.from_pretrained(directory)
