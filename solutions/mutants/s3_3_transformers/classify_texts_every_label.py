"""Builds the pipeline with top_k=None, which returns every label with its score for each text instead of the best
one."""
CAUGHT_BY = "test_pipeline_classifies_with_the_saved_model"
MESSAGE_MENTIONS = "top_k=None"
MESSAGE_MENTIONS_KO = "모든 레이블을 반환합니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from transformers import pipeline  # noqa: E402


def classify_texts(path, texts):
    return pipeline("text-classification", model=path, top_k=None)(list(texts))
