"""Runs the saved model by hand and reports the best label with its raw logit as the score: no softmax, so the
score is not a probability."""
CAUGHT_BY = "test_pipeline_classifies_with_the_saved_model"
MESSAGE_MENTIONS = "softmax"
MESSAGE_MENTIONS_KO = "softmax"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402


def classify_texts(path, texts):
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path).eval()
    results = []
    with torch.no_grad():
        for text in texts:
            logits = model(**tokenizer(text, return_tensors="pt")).logits[0]
            best = int(logits.argmax())
            results.append({"label": model.config.id2label[best], "score": float(logits[best])})
    return results
