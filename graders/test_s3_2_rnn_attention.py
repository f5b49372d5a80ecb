"""3.2 RNN, LSTM, GRU and attention: the promises each part of exercises/s3_2_rnn_attention.py keeps."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from graders.support.assertions import assert_gradients, assert_tensor, check, expect_tensor, expect_type
from ptgrade.remote import observation

SDPA_HINT = ("Scores are q @ k.transpose(-2, -1) / sqrt(d) with d = q.size(-1) (not d itself); the softmax "
             "runs over the last axis (the keys), so each query's weights sum to 1; masked_fill(~mask, -inf) "
             "because True means attend in this convention.")
MHA_HINT = ("Split heads with view(batch, time, heads, head_dim).transpose(1, 2); mind the mask convention: "
            "key_padding_mask is True for padding (ignore), so an attend-mask is ~key_padding_mask[:, None, None, :]; "
            "the causal mask hides keys after the query (future).")


def _calling(what, hint, function, *args, **kwargs):
    """Call student code; a crash (other than 'not started') becomes a failure with a hint."""
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError, IndexError, TypeError) as error:
        raise AssertionError(f"{what} raised {type(error).__name__}: {str(error).splitlines()[0]}\n"
                             f"Hint: {hint}") from None


def _sequences(generator, lengths, low=4, high=30):
    return [torch.randint(low, high, (n,), generator=generator) for n in lengths]


def _pad(sequences, width, pad_id=0):
    out = torch.full((len(sequences), width), pad_id, dtype=torch.int64)
    for row, sequence in enumerate(sequences):
        out[row, :len(sequence)] = sequence
    return out


@observation
def without_grad(impl, model, *args):
    """model(*args) under torch.no_grad() in the student's process, as inference runs (the judge's own no_grad
    does not reach that process)."""
    with torch.no_grad():
        return model(*args)


# -- text preprocessing ------------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("tokenize lower-cases text and splits words from punctuation",
                   ko="tokenize는 텍스트를 소문자로 바꾸고 단어와 문장 부호를 나눕니다")
def test_tokenize_splits_words_and_punctuation(impl):
    for text, want in (("Don't panic, 42!", ["don", "'", "t", "panic", ",", "42", "!"]),
                       ("Hello,   WORLD...\n new_line", ["hello", ",", "world", ".", ".", ".", "new_line"])):
        got = expect_type(impl.tokenize(text), list, f"tokenize({text!r})")
        check(got == want, f"tokenize({text!r}): expected {want}, got {got}.",
              "Lower-case first, then re.findall(r'\\w+|[^\\w\\s]', text): words, or one non-space symbol.")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("build_vocab puts special tokens first, then tokens by frequency",
                   ko="build_vocab은 특수 토큰을 맨 앞에 두고, 나머지 토큰을 빈도순으로 놓습니다")
def test_vocab_puts_special_tokens_first(impl):
    texts = ["the cat sat", "the dog sat!", "a cat"]
    specials = {"<pad>": 0, "<unk>": 1, "<bos>": 2, "<eos>": 3}
    hint = ("The special tokens <pad> <unk> <bos> <eos> take indices 0-3 in that order; then tokens by "
            "descending count, ties alphabetical (sort by the key (-count, token)); drop those under min_freq.")
    for min_freq, rest in ((1, ["cat", "sat", "the", "!", "a", "dog"]), (2, ["cat", "sat", "the"])):
        want = {**specials, **{token: 4 + i for i, token in enumerate(rest)}}
        got = expect_type(impl.build_vocab(texts, min_freq=min_freq), dict, f"build_vocab(texts, min_freq={min_freq})")
        check(got == want, f"build_vocab({texts}, min_freq={min_freq}): expected {want}, got {got}.", hint)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("numericalize adds <bos> and <eos> and maps unknown words to <unk>",
                   ko="numericalize는 <bos>와 <eos>를 붙이고 모르는 단어를 <unk>로 바꿉니다")
def test_numericalize_adds_bos_eos_and_unk(impl):
    vocab = {"<pad>": 0, "<unk>": 1, "<bos>": 2, "<eos>": 3, "cat": 4, "sat": 5, "the": 6, "!": 7}
    got = _calling("numericalize('The cat flew!', vocab)", "Use vocab.get(token, vocab['<unk>']).",
                   impl.numericalize, "The cat flew!", vocab)
    assert_tensor(got, torch.tensor([2, 6, 4, 1, 7, 3]), "numericalize('The cat flew!', vocab)",
                  hint="Wrap the ids in <bos> ... <eos>, map unknown tokens ('flew') to <unk>, return int64.")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("pad_batch pads batch-first and returns the lengths",
                   ko="pad_batch는 배치 차원을 앞에 두고 패딩하며 길이를 함께 반환합니다")
def test_pad_batch_is_batch_first_with_lengths(impl):
    sequences = _sequences(torch.Generator().manual_seed(0), (3, 5, 2))
    for pad_id in (0, 9):
        result = expect_type(impl.pad_batch(sequences, pad_id=pad_id), tuple, "pad_batch(sequences)")
        check(len(result) == 2, f"pad_batch should return (padded, lengths), got {len(result)} items.")
        padded, lengths = result
        hint = "Batch-first: one row per sequence (batch, max_len), the sequence first and pad_id after it."
        assert_tensor(padded, _pad(sequences, 5, pad_id), f"pad_batch(3 sequences of lengths 3, 5, 2, pad_id={pad_id})"
                      "[0]", hint=hint)
        assert_tensor(lengths, torch.tensor([3, 5, 2]), "pad_batch(...)[1] (the lengths)", hint=hint)


# -- recurrent classifier ---------------------------------------------------------------------------
@observation
def embedding_padding_indices(impl, model) -> list:
    """The padding_idx of each nn.Embedding inside the student's model."""
    return [m.padding_idx for m in model.modules() if isinstance(m, nn.Embedding)]


@observation
def pad_row_after_backward(impl, model, tokens, lengths, pad_id) -> dict:
    """The model's logits; after logits.sum().backward(), the embedding's <pad> row and its gradient."""
    logits = model(tokens, lengths)
    if type(logits) is not torch.Tensor:
        return {"logits": logits}
    logits.sum().backward()
    embedding = next(m for m in model.modules() if isinstance(m, nn.Embedding))
    grad = embedding.weight.grad
    return {"logits": logits.detach(), "weight": embedding.weight[pad_id].detach(),
            "grad": None if grad is None else grad[pad_id]}


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("RNNClassifier's embedding keeps the pad row at zero, with no gradient",
                   ko="RNNClassifier의 임베딩은 패딩 행을 0으로 두고 변화도를 받지 않습니다")
def test_embedding_reserves_the_pad_row(impl):
    model = impl.RNNClassifier(20, 8, 16, 3, pad_id=5)
    padding_indices = embedding_padding_indices(impl, model)
    hint = "Build nn.Embedding(vocab_size, embed_dim, padding_idx=pad_id)."
    check(len(padding_indices) == 1, f"RNNClassifier should hold one nn.Embedding, found {len(padding_indices)}.",
          hint)
    check(padding_indices[0] == 5, f"RNNClassifier(pad_id=5): the embedding's padding_idx should be 5, "
          f"got {padding_indices[0]}.", hint)
    tokens = torch.tensor([[4, 5, 6, 5], [7, 5, 8, 9]])  # the pad id inside real text: padding_idx blocks its gradient
    seen = _calling("RNNClassifier on a (2, 4) batch", "Pack with batch_first=True; " + hint, pad_row_after_backward,
                    impl, model, tokens, torch.tensor([4, 4]), 5)
    expect_tensor(seen["logits"], "model(tokens, lengths)")
    weight, row = seen["weight"], seen["grad"]
    check(row is not None, "logits.sum().backward() left no gradient on the embedding's weight.", hint)
    check(bool((weight == 0).all()) and bool((row == 0).all()),
          f"the <pad> row of the embedding should be zeros and get no gradient; got weight {weight[:4]}... "
          f"and gradient {row[:4]}...", hint)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("RNNClassifier's logits do not change with padding, for LSTM and GRU",
                   ko="RNNClassifier의 로짓은 LSTM과 GRU 모두 패딩에 따라 달라지지 않습니다")
def test_rnn_classifier_ignores_padding(impl):
    for cell in ("lstm", "gru"):
        _check_padding_invariance(impl, cell)


def _check_padding_invariance(impl, cell):
    generator = torch.Generator().manual_seed(1)
    sequences = _sequences(generator, (5, 2, 7, 3))  # batch 4 != time 7: batch_first mistakes show
    lengths = torch.tensor([len(s) for s in sequences])
    model = impl.RNNClassifier(30, 8, 16, 3, cell=cell).eval()
    hint = ("Pack the embedded batch: pack_padded_sequence(emb, lengths.cpu(), batch_first=True, "
            "enforce_sorted=False), and classify from h_n[-1], the last real step; the RNN too needs batch_first=True.")
    tight = _calling(f"RNNClassifier(cell={cell!r}) on a padded batch", hint, without_grad, impl, model,
                     _pad(sequences, 7), lengths)
    tight = expect_tensor(tight, "model(tokens, lengths)", hint)
    check(tuple(tight.shape) == (4, 3), f"logits for a batch of 4 and 3 classes: expected shape (4, 3), "
          f"got {tuple(tight.shape)}.", hint)
    loose = _calling("the model on the same batch with 4 more pad columns", hint, without_grad, impl, model,
                     _pad(sequences, 11), lengths)
    assert_tensor(loose, tight, f"{cell} logits with 4 extra pad columns vs without", hint=hint)
    for row, sequence in enumerate(sequences):
        alone = _calling("the model on one unpadded sequence", hint, without_grad, impl, model, sequence.unsqueeze(0),
                         torch.tensor([len(sequence)]))
        assert_tensor(alone, tight[row:row + 1], f"{cell} logits of sequence {row} (length {len(sequence)}) "
                      "alone vs inside a padded batch", hint=hint)


def _order_batch(generator, size):
    """Each sequence (3-12 tokens) holds token 4 and token 5 once; label 1 when 4 comes first."""
    lengths = torch.randint(3, 13, (size,), generator=generator)
    padding = torch.arange(12) >= lengths.unsqueeze(1)
    tokens = torch.randint(6, 12, (size, 12), generator=generator)
    order = torch.rand(size, 12, generator=generator).masked_fill(padding, 2.0)
    first, second = order.topk(2, dim=1, largest=False).indices.unbind(1)  # two distinct real positions
    rows = torch.arange(size)
    tokens[rows, first], tokens[rows, second] = 4, 5
    return tokens.masked_fill(padding, 0), lengths, (first < second).long()


@observation
def order_task_logits(impl, batches, tokens, lengths):
    """Train a fresh RNNClassifier(12, 16, 32, 2) with Adam (lr 1e-2) on `batches`; its eval-mode logits for
    `tokens` (or the first thing its forward returned that is not a tensor)."""
    model = impl.RNNClassifier(12, 16, 32, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for batch_tokens, batch_lengths, labels in batches:
        logits = model(batch_tokens, batch_lengths)
        if type(logits) is not torch.Tensor:
            return logits
        loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        return model(tokens, lengths)


@pytest.mark.points(2)
@pytest.mark.convergence
@pytest.mark.title("RNNClassifier learns whether token 4 comes before token 5",
                   ko="RNNClassifier는 토큰 4가 토큰 5보다 먼저 오는지 학습합니다")
def test_rnn_classifier_learns_order_task(impl):
    """Each sequence (3-12 tokens) holds token 4 and token 5 once; label 1 when 4 comes first."""
    generator = torch.Generator().manual_seed(2)
    batches = [_order_batch(generator, 32) for _ in range(STEPS)]
    tokens, lengths, labels = _order_batch(generator, 512)
    logits = expect_tensor(order_task_logits(impl, batches, tokens, lengths), "model(tokens, lengths)")
    accuracy = (logits.argmax(1) == labels).float().mean().item()
    check(accuracy >= 0.9, f"after {STEPS} Adam steps (lr 1e-2, batch 32) on 'does token 4 come before token 5?', "
          f"held-out accuracy should reach 0.90; got {accuracy:.3f}.",
          "The logits must come from each sequence's last real step (packed h_n[-1]) through a trainable head; "
          "check the embedding, the RNN and the head are all registered submodules.")


STEPS = 60


# -- LSTM cell by hand ------------------------------------------------------------------------------
LSTM_HINT = ("Gates are stacked in the order i, f, g, o (input, forget, cell, output); g uses tanh, the others "
             "sigmoid; c_next = f * c + i * g and h_next = o * tanh(c_next).")


def _lstm_inputs(batch, inputs, hidden, seed):
    generator = torch.Generator().manual_seed(seed)
    cell = nn.LSTMCell(inputs, hidden, dtype=torch.float64)
    x, h, c = (torch.randn(batch, n, generator=generator, dtype=torch.float64) for n in (inputs, hidden, hidden))
    return cell, x, h, c


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("lstm_cell computes the same h and c as nn.LSTMCell",
                   ko="lstm_cell은 nn.LSTMCell과 같은 h와 c를 계산합니다")
def test_lstm_cell_matches_nn_lstmcell(impl):
    for seed, (batch, inputs, hidden) in enumerate(((3, 5, 4), (1, 2, 6))):
        cell, x, h, c = _lstm_inputs(batch, inputs, hidden, seed)
        with torch.no_grad():
            want_h, want_c = cell(x, (h, c))
            result = expect_type(impl.lstm_cell(x, (h, c), cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh),
                                 tuple, "lstm_cell(...)")
        check(len(result) == 2, f"lstm_cell should return (h_next, c_next), got {len(result)} items.")
        what = f"lstm_cell for batch {batch}, input {inputs}, hidden {hidden}"
        assert_tensor(result[0], want_h, f"{what}: h_next", hint=LSTM_HINT)
        assert_tensor(result[1], want_c, f"{what}: c_next", hint=LSTM_HINT)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("lstm_cell's gradients match those of nn.LSTMCell",
                   ko="lstm_cell의 변화도는 nn.LSTMCell의 변화도와 일치합니다")
def test_lstm_cell_gradients_match(impl):
    cell, x, h, c = _lstm_inputs(3, 5, 4, seed=7)
    for t in (x, h, c):
        t.requires_grad_(True)
    leaves = (x, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    names = ("x", "h", "c", "weight_ih", "weight_hh", "bias_ih", "bias_hh")
    r1, r2 = torch.randn(2, 3, 4, generator=torch.Generator().manual_seed(8), dtype=torch.float64)
    want_h, want_c = cell(x, (h, c))
    want = torch.autograd.grad((want_h * r1).sum() + (want_c * r2).sum(), leaves)
    got_h, got_c = impl.lstm_cell(x, (h, c), *leaves[3:])
    check(expect_tensor(got_h, "h_next").requires_grad and expect_tensor(got_c, "c_next").requires_grad,
          "lstm_cell's outputs carry no gradient.", "Compute with torch operations on the given tensors; "
          "no .detach(), .item() or torch.no_grad().")
    assert_gradients((got_h * r1).sum() + (got_c * r2).sum(), leaves, want, names,
                     "gradient of lstm_cell's outputs", hint=LSTM_HINT)


# -- attention --------------------------------------------------------------------------------------
def _qkv(seed, lq=4, lk=6, d=5, dv=3, dtype=torch.float64):
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(2, 3, lq, d, generator=generator, dtype=dtype),
            torch.randn(2, 3, lk, d, generator=generator, dtype=dtype),
            torch.randn(2, 3, lk, dv, generator=generator, dtype=dtype))


def _random_mask(seed, lq, lk):
    mask = torch.rand(2, 1, lq, lk, generator=torch.Generator().manual_seed(seed)) > 0.4
    mask[..., 0] = True  # every query keeps one key
    return mask


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("scaled_dot_product_attention matches torch, with or without a mask",
                   ko="scaled_dot_product_attention은 마스크가 있든 없든 torch와 같은 결과를 냅니다")
def test_sdpa_matches_torch(impl):
    q, k, v = _qkv(0)
    causal = torch.ones(4, 6, dtype=torch.bool).tril()
    for label, mask in (("no mask", None), ("a random (2, 1, 4, 6) mask", _random_mask(1, 4, 6)),
                        ("a lower-triangular mask", causal)):
        want = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        result = expect_type(impl.scaled_dot_product_attention(q, k, v, mask), tuple,
                             "scaled_dot_product_attention(q, k, v, mask)")
        check(len(result) == 2, f"scaled_dot_product_attention should return (output, weights), got {len(result)} items.")
        out, weights = result
        what = f"attention output for q (2, 3, 4, 5), k (2, 3, 6, 5), v (2, 3, 6, 3) with {label}"
        assert_tensor(out, want, what, hint=SDPA_HINT)
        weights = expect_tensor(weights, "attention weights")
        check(tuple(weights.shape) == (2, 3, 4, 6), f"attention weights: expected shape (2, 3, 4, 6), got "
              f"{tuple(weights.shape)}.", SDPA_HINT)
        assert_tensor(weights.sum(-1), torch.ones(2, 3, 4, dtype=torch.float64),
                      f"attention weights summed over the keys ({label})", hint=SDPA_HINT)
        if mask is not None:
            hidden = weights.masked_select(~mask.expand_as(weights))
            assert_tensor(hidden, torch.zeros_like(hidden), f"attention weights on masked keys ({label})", hint=SDPA_HINT)


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("scaled_dot_product_attention's gradients match torch's under a mask",
                   ko="scaled_dot_product_attention의 변화도는 마스크가 있어도 torch와 일치합니다")
def test_sdpa_gradients_match_torch(impl):
    q, k, v = (t.requires_grad_(True) for t in _qkv(3))
    mask = _random_mask(4, 4, 6)
    r = torch.randn(2, 3, 4, 3, generator=torch.Generator().manual_seed(5), dtype=torch.float64)
    want = torch.autograd.grad((F.scaled_dot_product_attention(q, k, v, attn_mask=mask) * r).sum(), (q, k, v))
    out = expect_tensor(impl.scaled_dot_product_attention(q, k, v, mask)[0], "attention output")
    check(out.requires_grad, "the attention output carries no gradient.", "Do not detach anything.")
    assert_gradients((out * r).sum(), (q, k, v), want, "qkv", "gradient of masked attention", hint=SDPA_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("causal_mask lets each position attend to itself and the past only",
                   ko="causal_mask는 각 위치가 자기 자신과 이전 위치만 볼 수 있게 합니다")
def test_causal_mask_hides_the_future(impl):
    hint = ("In the scaled_dot_product_attention convention True means attend: query i may attend keys 0..i, "
            "the diagonal (itself) included, i.e. torch.ones(n, n, dtype=torch.bool).tril().")
    assert_tensor(impl.causal_mask(5), torch.ones(5, 5, dtype=torch.bool).tril(), "causal_mask(5)", hint=hint)
    generator = torch.Generator().manual_seed(6)
    q, k, v = (torch.randn(2, 6, 4, generator=generator, dtype=torch.float64) for _ in range(3))
    out = impl.scaled_dot_product_attention(q, k, v, impl.causal_mask(6))[0]
    assert_tensor(out, F.scaled_dot_product_attention(q, k, v, is_causal=True),
                  "attention with your causal_mask(6) vs torch's is_causal=True", hint=hint)
    q2, k2, v2 = q.clone(), k.clone(), v.clone()
    for t in (q2, k2, v2):
        t[:, 3:] = torch.randn(2, 3, 4, generator=generator, dtype=torch.float64) * 10
    changed = impl.scaled_dot_product_attention(q2, k2, v2, impl.causal_mask(6))[0]
    assert_tensor(expect_tensor(changed, "attention output")[:, :3], out[:, :3],
                  "causal attention outputs at positions 0-2 after changing positions 3-5 (the future)", hint=hint)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("make_key_padding_mask marks padding True, as nn.MultiheadAttention does",
                   ko="make_key_padding_mask는 nn.MultiheadAttention처럼 패딩 위치를 True로 표시합니다")
def test_key_padding_mask_uses_multihead_convention(impl):
    lengths = torch.tensor([3, 1, 5])
    want = torch.tensor([[False, False, False, True, True], [False, True, True, True, True], [False] * 5])
    assert_tensor(impl.make_key_padding_mask(lengths, 5), want, "make_key_padding_mask(tensor([3, 1, 5]), 5)",
                  hint="nn.MultiheadAttention's key_padding_mask is True where the key is padding (ignore it), the "
                       "opposite of scaled_dot_product_attention: torch.arange(max_len) >= lengths.unsqueeze(1).")


def _mha_setup(seed, batch=3, time=5, embed=8, heads=2):
    generator = torch.Generator().manual_seed(seed)
    mha = nn.MultiheadAttention(embed, heads, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        for parameter in mha.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator, dtype=torch.float64) * 0.5)
    x = torch.randn(batch, time, embed, generator=generator, dtype=torch.float64)
    lengths = torch.tensor([5, 2, 4])[:batch]
    pad = torch.arange(time) >= lengths.unsqueeze(1)
    return mha, x, pad


def _student_mha(impl, mha, x, pad, causal):
    arguments = (x, mha.num_heads, mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias)
    out = _calling("multi_head_attention(...)", "After transpose(1, 2) the tensor is not contiguous: view fails; "
                   "use reshape or .contiguous().view. " + MHA_HINT,
                   impl.multi_head_attention, *arguments,
                   # no masks asked for: rely on the documented defaults (None, False)
                   **({} if pad is None and not causal else {"key_padding_mask": pad, "causal": causal}))
    return expect_tensor(out, "multi_head_attention(...)", MHA_HINT)


def _torch_mha(mha, x, pad, causal):
    time = x.shape[1]
    attn_mask = ~torch.ones(time, time, dtype=torch.bool).tril() if causal else None  # True = ignore here
    return mha(x, x, x, key_padding_mask=pad, attn_mask=attn_mask, need_weights=False)[0]


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("multi_head_attention matches nn.MultiheadAttention, with any masks",
                   ko="multi_head_attention은 어떤 마스크를 쓰든 nn.MultiheadAttention과 같은 결과를 냅니다")
def test_multi_head_attention_matches_nn_multihead_attention(impl):
    mha, x, pad = _mha_setup(0)
    for use_pad, causal in ((False, False), (True, False), (False, True), (True, True)):
        key_padding = pad if use_pad else None
        want = _torch_mha(mha, x, key_padding, causal).detach()
        got = _student_mha(impl, mha, x, key_padding, causal).detach()
        real = ~pad if use_pad else torch.ones_like(pad)  # outputs at padded queries are free
        check(tuple(got.shape) == tuple(want.shape), f"multi_head_attention: expected shape {tuple(want.shape)}, "
              f"got {tuple(got.shape)}.", MHA_HINT)
        assert_tensor(got[real], want[real], f"multi_head_attention (heads 2, key_padding_mask "
                      f"{'given' if use_pad else 'None'}, causal={causal}) vs nn.MultiheadAttention "
                      "at the real positions", hint=MHA_HINT)


@pytest.mark.points(1)
@pytest.mark.gradients
@pytest.mark.title("multi_head_attention's gradients match nn.MultiheadAttention's",
                   ko="multi_head_attention의 변화도는 nn.MultiheadAttention의 변화도와 일치합니다")
def test_multi_head_attention_gradients_match(impl):
    mha, x, pad = _mha_setup(1)
    x.requires_grad_(True)
    leaves = (x, mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight)
    real = (~pad).unsqueeze(-1).double()
    want = torch.autograd.grad((_torch_mha(mha, x, pad, True) * real).sum(), leaves)
    assert_gradients((_student_mha(impl, mha, x, pad, True) * real).sum(), leaves, want,
                     ("x", "in_proj_weight", "in_proj_bias", "out_proj.weight"),
                     "gradient of multi_head_attention (padding and causal masks)", hint=MHA_HINT)


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("multi_head_attention ignores padded and future tokens",
                   ko="multi_head_attention은 패딩 토큰과 미래 토큰을 무시합니다")
def test_multi_head_attention_ignores_padded_and_future_tokens(impl):
    mha, x, pad = _mha_setup(2)
    noise = torch.randn(x.shape, generator=torch.Generator().manual_seed(9), dtype=torch.float64) * 10
    with torch.no_grad():
        before = _student_mha(impl, mha, x, pad, False)
        after = _student_mha(impl, mha, torch.where(pad.unsqueeze(-1), noise, x), pad, False)
        assert_tensor(after[~pad], before[~pad], "multi_head_attention outputs at real positions after changing "
                      "the padded positions", hint=MHA_HINT)
        before = _student_mha(impl, mha, x, None, True)
        changed = x.clone()
        changed[:, 3:] = noise[:, 3:]
        after = _student_mha(impl, mha, changed, None, True)
        assert_tensor(after[:, :3], before[:, :3], "causal multi_head_attention outputs at positions 0-2 after "
                      "changing positions 3-4 (the future)", hint=MHA_HINT)


# -- positional encoding ----------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("sinusoidal_positional_encoding builds the interleaved sin/cos table",
                   ko="sinusoidal_positional_encoding은 sin과 cos을 번갈아 담은 표를 만듭니다")
def test_positional_encoding_is_sinusoidal(impl):
    for max_len, d_model in ((50, 16), (7, 6)):
        position = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)
        two_i = torch.arange(0, d_model, 2, dtype=torch.float64)
        angle = position / 10000 ** (two_i / d_model)
        want = torch.stack([angle.sin(), angle.cos()], dim=-1).reshape(max_len, d_model).float()
        assert_tensor(impl.sinusoidal_positional_encoding(max_len, d_model), want,
                      f"sinusoidal_positional_encoding({max_len}, {d_model})", atol=1e-5,
                      hint="Even columns 2i hold sin(pos / 10000^(2i/d_model)), odd columns 2i+1 the cos of the same "
                           "angle, interleaved (pe[:, 0::2], pe[:, 1::2]); the exponent uses 2i, not i.")


# -- devices ----------------------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("causal_mask and make_key_padding_mask follow the requested device",
                   ko="causal_mask와 make_key_padding_mask는 요청한 장치에 마스크를 만듭니다")
def test_masks_follow_the_device(impl):
    meta = torch.device("meta")
    for what, mask, shape in (("causal_mask(4, device=meta)", impl.causal_mask(4, device=meta), (4, 4)),
                              ("make_key_padding_mask(lengths on meta, 6)",
                               impl.make_key_padding_mask(torch.empty(3, dtype=torch.int64, device=meta), 6), (3, 6))):
        mask = expect_tensor(mask, what)
        check(mask.device.type == "meta" and mask.dtype == torch.bool and tuple(mask.shape) == shape,
              f"{what}: expected a {shape} bool tensor on meta, got {tuple(mask.shape)} {mask.dtype} on {mask.device}.",
              "Pass device= to torch.ones / torch.arange (device=lengths.device for the padding mask).")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("multi_head_attention and RNNClassifier work on CUDA",
                   ko="multi_head_attention과 RNNClassifier는 CUDA에서도 동작합니다")
def test_attention_runs_on_cuda(impl):
    mha, x, pad = _mha_setup(3)
    mha, x, pad = mha.cuda(), x.cuda(), pad.cuda()
    want = _torch_mha(mha, x, pad, True).detach()
    got = _student_mha(impl, mha, x, pad, True).detach()
    assert_tensor(got[~pad], want[~pad], "multi_head_attention on CUDA vs nn.MultiheadAttention", hint=MHA_HINT)
    model = impl.RNNClassifier(30, 8, 16, 3).cuda().eval()
    tokens = _pad(_sequences(torch.Generator().manual_seed(1), (5, 2, 7)), 7).cuda()
    logits = expect_tensor(without_grad(impl, model, tokens, torch.tensor([5, 2, 7], device="cuda")),
                           "RNNClassifier on CUDA")
    check(logits.device.type == "cuda", f"RNNClassifier logits on CUDA inputs came back on {logits.device}.",
          "pack_padded_sequence needs lengths on the CPU (lengths.cpu()), the data stays on the GPU.")
