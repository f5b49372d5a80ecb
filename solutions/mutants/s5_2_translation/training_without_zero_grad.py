"""Never clears the gradients between steps, so every step also applies the gradients of all earlier batches."""
CAUGHT_BY = "test_translator_steps_from_cleared_gradients"
MESSAGE_MENTIONS = "zero_grad"
MESSAGE_MENTIONS_KO = "zero_grad"
from solutions.s5_2_translation import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_2_translation import train_translator as _reference  # noqa: E402


def train_translator(pairs, src_vocab, tgt_vocab, steps=300, batch_size=64, lr=1e-3, seed=0):
    zero_grad = torch.optim.AdamW.zero_grad
    torch.optim.AdamW.zero_grad = lambda self, set_to_none=True: None  # the mistake: nothing is cleared
    try:
        return _reference(pairs, src_vocab, tgt_vocab, steps, batch_size, lr, seed)
    finally:
        torch.optim.AdamW.zero_grad = zero_grad
