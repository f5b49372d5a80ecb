"""Builds GPT-2 from GPT2Config's defaults for size, with GPT-2's own 50257-token vocabulary."""
CAUGHT_BY = "test_models_built_from_small_configs"
MESSAGE_MENTIONS = "vocab_size"
MESSAGE_MENTIONS_KO = "vocab_size"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from transformers import GPT2Config, GPT2LMHeadModel  # noqa: E402


def gpt2_lm(tokenizer):
    return GPT2LMHeadModel(GPT2Config(n_embd=32, n_layer=2, n_head=2, n_positions=64,
                                      pad_token_id=tokenizer.pad_token_id))
