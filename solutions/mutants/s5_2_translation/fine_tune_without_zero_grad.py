"""fine_tune_seq2seq never clears the gradients, so every step also applies those of all earlier batches."""
CAUGHT_BY = "test_fine_tune_steps_from_cleared_gradients"
MESSAGE_MENTIONS = "zero_grad"
MESSAGE_MENTIONS_KO = "zero_grad"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_2_translation import fine_tune_seq2seq as _reference  # noqa: E402


def fine_tune_seq2seq(model_dir, pairs, out_dir, steps=40, lr=3e-3, batch_size=16):
    zero_grad = torch.optim.AdamW.zero_grad
    torch.optim.AdamW.zero_grad = lambda self, set_to_none=True: None  # the mistake: nothing is cleared
    try:
        return _reference(model_dir, pairs, out_dir, steps, lr, batch_size)
    finally:
        torch.optim.AdamW.zero_grad = zero_grad
