"""3.2 RNN, LSTM, GRU와 어텐션 — 가공하지 않은 텍스트에서 마스킹된 멀티 헤드 어텐션까지.

텍스트는 정수가 되어 신경망에 들어갑니다: 텍스트를 토큰(token)으로 나누고, 각 토큰을 (특수 토큰 몇 개가
포함된) 어휘(vocabulary)의 인덱스로 바꾸고, 길이가 제각각인 배치를 패딩(padding)해 하나의 직사각형으로
만듭니다. 그러면 순환 신경망(기본 RNN, LSTM, GRU)은 시퀀스를 한 단계씩 읽고, 어텐션(attention)은 그 대신 모든
위치가 다른 모든 위치를 유사도 점수에 대한 소프트맥스(softmax)로 가중해 보게 합니다.

조용히 잘못되는 것이 두 가지 있으며, 여기서 채점합니다:
- *패딩 누수.* `<pad>` 단계까지 돌아가는 RNN이나 패딩된 키(key)까지 보는 어텐션은, 배치에 우연히 패딩이
  얼마나 필요했느냐에 따라 답이 달라집니다. 시퀀스를 패킹하고(`pack_padded_sequence`) 패딩된 키를
  마스킹하세요.
- *마스크에는 두 가지 규약이 있습니다.* `F.scaled_dot_product_attention`에서 불리언 마스크의 `True`는
  "볼 수 있음"을 뜻하고, `nn.MultiheadAttention` / `nn.Transformer`(`key_padding_mask`, `attn_mask`)에서
  `True`는 "무시"를 뜻합니다. 한 라이브러리의 마스크를 다른 쪽에 넘기면 뜻이 뒤집힙니다.

torchtext는 개발이 중단되었습니다: 여기서는 전처리를 직접 작성합니다(또는 항목 3.3에서 `tokenizers`로
합니다). 모든 텐서(tensor)는 배치 우선(batch-first)입니다: (batch, time, ...). 각 `raise NotImplementedError`를
여러분의 코드로 바꾼 다음 `ptgrade check 3.2`를 실행하세요.
"""
import math  # noqa: F401 - math.sqrt / math.log가 필요할 것입니다
import re  # noqa: F401
from collections import Counter  # noqa: F401

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: F401

SPECIALS = ("<pad>", "<unk>", "<bos>", "<eos>")  # 항상 이 순서대로 인덱스 0, 1, 2, 3
PAD, UNK, BOS, EOS = range(4)


def tokenize(text: str) -> list[str]:
    """`text`를 소문자로 바꾸고 토큰으로 나눕니다: 단어 문자(`\\w+`: 글자, 숫자, 밑줄)가 이어진
    덩어리 하나가 토큰 하나이고, 그 밖의 공백이 아닌 문자는 한 글자씩 각각 토큰이 됩니다.

    >>> tokenize("Don't panic, 42!")
    ['don', "'", 't', 'panic', ',', '42', '!']
    """
    raise NotImplementedError("tokenize")


def build_vocab(texts: list[str], min_freq: int = 1) -> dict[str, int]:
    """`tokenize`한 `texts`로 만든 어휘(토큰 -> 인덱스)입니다.

    인덱스 0..3은 `SPECIALS`의 특수 토큰이 이 순서대로 차지합니다: `<pad>`는 짧은 시퀀스를 채우고,
    `<unk>`는 어휘에 없는 모든 토큰을 대신하며, `<bos>` / `<eos>`는 시퀀스의 시작과 끝을 표시합니다.
    그다음에 `min_freq`번 이상 나온 토큰들이 빈도가 높은 순으로, 빈도가 같으면 알파벳 순으로 옵니다.
    그래야 어휘가 실행할 때마다 같습니다.
    """
    raise NotImplementedError("build_vocab")


def numericalize(text: str, vocab: dict[str, int]) -> torch.Tensor:
    """`text`에 대한 int64 Tensor [<bos>, 토큰 id..., <eos>]입니다. `vocab`에 없는 토큰은 `<unk>`가
    됩니다(KeyError가 나서는 절대 안 됩니다: 실제 텍스트에는 언제나 처음 보는 단어가 있습니다)."""
    raise NotImplementedError("numericalize")


def pad_batch(sequences: list[torch.Tensor], pad_id: int = PAD) -> tuple[torch.Tensor, torch.Tensor]:
    """길이가 서로 다른 1-D int64 시퀀스들을 배치 우선 텐서 하나로 패딩합니다.

    `(padded, lengths)`를 반환합니다: `padded`는 (batch, max_len) int64로, 각 시퀀스가 자기 행의
    앞부분에 있고 그 뒤는 `pad_id`입니다. `lengths`는 실제 길이를 담은 (batch,) int64 텐서입니다.
    """
    raise NotImplementedError("pad_batch")


class RNNClassifier(nn.Module):
    """임베딩(embedding) -> 한 층짜리 LSTM(또는 GRU) -> 마지막 은닉 상태 위의 선형 헤드(head).

    - `nn.Embedding(vocab_size, embed_dim, padding_idx=pad_id)`: pad 행은 모두 0이고 변화도(gradient)를
      받지 않으므로, `<pad>`는 결코 의미를 배우지 않습니다.
    - `cell`은 "lstm"(`nn.LSTM`) 또는 "gru"(`nn.GRU`)이며, `batch_first=True`로 만듭니다.
    - `forward(tokens, lengths)`: tokens는 `pad_id`로 패딩된 (batch, time) int64, lengths는 (batch,)
      int64입니다. 임베딩된 배치를 (길이 순서와 상관없이) 패킹하면 RNN이 각 시퀀스의 실제 끝에서 멈추고,
      최종 은닉 상태 `h_n`(layers, batch, hidden)은 각 시퀀스의 마지막 *실제* 단계를 담게
      됩니다. 로짓(logit) (batch, num_classes)를 반환하세요.

    함정: 패딩된 텐서 위로 RNN을 돌리고 마지막 시간 단계를 취하면, 한 시퀀스의 로짓이 같은 배치의
    다른 시퀀스들 때문에 붙은 패딩에 따라 달라집니다. 여기서는 조금도 달라져서는 안 됩니다.

    무엇을 배우는지로도 채점합니다: 채점기는 자신이 정한 매개변수에서 시작해 RNNClassifier(12, 16, 32, 2)(LSTM)를
    "토큰 4가 토큰 5보다 먼저 오는가?"(3-12개 토큰으로 된 시퀀스)로 Adam 60단계(lr 1e-2, 배치 32) 학습합니다.
    새 시퀀스 512개에서 90% 이상 맞혀야 합니다.
    """

    def __init__(self, vocab_size: int, embed_dim: int, hidden_dim: int, num_classes: int,
                 pad_id: int = PAD, cell: str = "lstm"):
        super().__init__()
        raise NotImplementedError("RNNClassifier")

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("RNNClassifier.forward")


def run_packed_rnn(rnn: nn.RNN, inputs: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """패딩된 배치 위로 기본 `nn.RNN`(`batch_first=True`로 만든 것)을 실행하되, 각 시퀀스가 자기 끝에서
    멈추게 합니다. `(outputs, last)`를 반환합니다.

    기본(Elman) RNN은 은닉 상태 하나를 들고 다니며, 매 단계 같은 가중치로 갱신합니다:
        h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh),   h_0 = 0
    `rnn.num_layers > 1`이면 각 계층은 바로 아래 계층의 출력을 입력으로 읽습니다.

    inputs는 (batch, time, input_size) 실수 텐서로, 각 시퀀스가 자기 행의 앞부분에 있고 그 뒤는
    패딩입니다. lengths는 (batch,) int64로, 모두 1 이상이며 순서는 제각각이고(길이순으로 정렬되어 있지
    *않습니다*), CPU에 있을 수도 있고 `inputs`와 같은 장치에 있을 수도 있습니다.
    - `outputs` (batch, time, hidden_size): 각 시퀀스의 실제 단계마다 맨 위 계층의 h_t를 담고, 패딩된
      단계에서는 0입니다. `time`은 모든 시퀀스가 그보다 짧더라도 `inputs`의 time과 같습니다.
    - `last` (batch, hidden_size): 각 시퀀스의 마지막 *실제* 단계를 마친 뒤 맨 위 계층의 은닉 상태입니다.
    둘 다 `inputs`의 순서를 따릅니다. 패딩은 어디에도 스며들지 않습니다: 한 시퀀스의 답은 같은 배치의
    다른 시퀀스들 때문에 붙은 패딩과 상관없이 같습니다.
    """
    raise NotImplementedError("run_packed_rnn")


def lstm_cell(x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor], weight_ih: torch.Tensor,
              weight_hh: torch.Tensor, bias_ih: torch.Tensor, bias_hh: torch.Tensor):
    """`nn.LSTMCell`이 계산하는 것과 정확히 같은 LSTM 한 단계를 직접 구현합니다. `(h_next, c_next)`를
    반환합니다.

    x (batch, input), state = (h, c) 각각 (batch, hidden), weight_ih (4*hidden, input),
    weight_hh (4*hidden, hidden), 편향(bias) (4*hidden,) — `nn.LSTMCell` 매개변수(parameter)와 같은
    구성입니다. 네 게이트의 활성화 전 값 `x W_ih^T + b_ih + h W_hh^T + b_hh`는 input, forget,
    cell (g), output 순서로 쌓여 있습니다. input, forget, output 게이트는 sigmoid(0과 1 사이)이고,
    후보 g는 tanh입니다. 새 셀 상태는 이전 셀 상태 가운데 forget 게이트가 통과시킨 만큼을 남기고, g 가운데
    input 게이트가 통과시킨 만큼을 더합니다. 새 은닉 상태는 (tanh로 눌러 준) 새 셀 상태에 output 게이트를
    적용한 것입니다.
    미분 가능한 torch 연산만 사용하세요: 변화도도 nn.LSTMCell의 것과 비교합니다. `nn.LSTMCell`,
    `nn.LSTM`, `torch.lstm_cell`은 호출하지 마세요: 게이트를 직접 작성하는 것이 이 연습 문제입니다.
    """
    raise NotImplementedError("lstm_cell")


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 mask: torch.Tensor | None = None):
    """직접 구현한 어텐션입니다. `(output, weights)`를 반환합니다.

    q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv). 점수는 `q k^T / sqrt(d)`입니다(sqrt(d)로 나누면
    점수의 퍼짐이 d와 무관해져서 소프트맥스가 포화되지 않습니다). `weights` (..., Lq, Lk)는 *키*에 대한
    소프트맥스이고(마지막 축: 각 쿼리(query)의 가중치 합이 1), 출력 (..., Lq, dv)는 `weights @ v`입니다.

    `mask`는 None이거나, (..., Lq, Lk)로 브로드캐스트할 수 있는 불리언 텐서이며
    `F.scaled_dot_product_attention`의 규약을 따릅니다: True = 볼 수 있음. 마스킹된 점수는 소프트맥스
    전에 -inf가 되므로 그 가중치는 정확히 0입니다. 키가 *모두* 마스킹된 쿼리는 볼 수 있는 키가 없습니다:
    -inf만 있는 행의 소프트맥스는 NaN(0/0)이 되지만, 그 쿼리의 가중치와 출력은
    `F.scaled_dot_product_attention`처럼 0이어야 합니다. 출력은
    `F.scaled_dot_product_attention(q, k, v, attn_mask=mask)`와 같아야 하지만, 그 함수(또는
    `nn.MultiheadAttention`)를 호출하지 말고 직접 구현하세요: 그것이 이 연습 문제입니다.
    """
    raise NotImplementedError("scaled_dot_product_attention")


def causal_mask(n: int, device: torch.device | None = None) -> torch.Tensor:
    """scaled_dot_product_attention 규약(True = 볼 수 있음)을 따르는 (n, n) 불리언 인과 마스크(causal
    mask)입니다: 쿼리 i는 키 0..i(자기 자신 포함)를 볼 수 있고, 그 뒤의 것은 볼 수 없습니다. `device`에
    만드세요."""
    raise NotImplementedError("causal_mask")


def make_key_padding_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """`nn.MultiheadAttention`에 넘길 (batch, max_len) 불리언 `key_padding_mask`를 *그 모듈의* 규약으로
    만듭니다: True = 패딩, 이 키는 무시. 행 b는 처음 lengths[b]개 위치에서 False이고 그 뒤로는
    True입니다. (`causal_mask`의 규약과 정반대입니다: 바로 그것이 이번 교훈입니다.)
    `lengths.device`에 만드세요."""
    raise NotImplementedError("make_key_padding_mask")


def multi_head_attention(x: torch.Tensor, num_heads: int, in_proj_weight: torch.Tensor,
                         in_proj_bias: torch.Tensor, out_proj_weight: torch.Tensor,
                         out_proj_bias: torch.Tensor, key_padding_mask: torch.Tensor | None = None,
                         causal: bool = False) -> torch.Tensor:
    """직접 구현한 멀티 헤드 셀프 어텐션(multi-head self-attention)으로, 같은 매개변수를 가진
    `nn.MultiheadAttention(embed, num_heads, batch_first=True)`를
    `mha(x, x, x, key_padding_mask=..., attn_mask=...)[0]`으로 호출한 결과와 같아야 합니다.
    `nn.MultiheadAttention`이나 `F.scaled_dot_product_attention`은 호출하지 말고, 여러분이 작성한
    `scaled_dot_product_attention`으로 어텐션을 계산하세요.

    x (batch, time, embed). `in_proj_weight` (3*embed, embed)와 `in_proj_bias` (3*embed,)는 쿼리, 키,
    값의 투영(projection)을 이 순서로 쌓은 것이고, `out_proj_*`는 출력 투영입니다.
    각 헤드는 투영한 q, k, v에서 head_dim = embed // num_heads개의 특징 조각을 맡아 따로 어텐션을 적용하고,
    헤드들의 출력을 이어 붙여 `out_proj_*`로 투영합니다. 패딩된 키(`key_padding_mask`: True = 패딩,
    nn.MultiheadAttention의 규약으로 여러분의 "볼 수 있음" 마스크와 반대입니다)와, `causal`이면 미래를 모든
    쿼리에게서 가립니다.
    """
    raise NotImplementedError("multi_head_attention")


def sinusoidal_positional_encoding(max_len: int, d_model: int) -> torch.Tensor:
    """논문 "Attention Is All You Need"의 (max_len, d_model) float32 사인파 위치 인코딩(positional
    encoding)입니다:

        PE[pos, 2i]   = sin(pos / 10000^(2i / d_model))
        PE[pos, 2i+1] = cos(pos / 10000^(2i / d_model))

    짝수 열에는 사인, 홀수 열에는 코사인이 번갈아 들어갑니다(사인 덩어리 다음에 코사인 덩어리가 오는
    것이 아닙니다). d_model은 짝수입니다. 어텐션만으로는 위치를 구별할 수 없습니다: 이 값을 임베딩에
    더하면 각 위치가 서로 다르고 부드럽게 변하는 고유한 표식을 갖게 됩니다.
    """
    raise NotImplementedError("sinusoidal_positional_encoding")


# -- training a recurrent network: gradient clipping, a character-level language model ---------------
def clipped_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn, inputs: torch.Tensor,
                       targets: torch.Tensor, max_norm: float) -> float:
    """변화도 클리핑(gradient clipping)을 넣은 학습 한 단계입니다. 클리핑하기 *전* 변화도의 전체 노름을
    float로 반환합니다.

    이전 변화도를 지우고(`optimizer.zero_grad()`), `loss = loss_fn(model(inputs), targets)`를 계산해
    `loss.backward()`를 호출한 다음, `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)`, 그리고
    `optimizer.step()`을 호출합니다. 이유: RNN은 시간을 거슬러 올라가는 단계마다 변화도에 같은 가중치를 곱하므로,
    운 나쁜 배치 하나가 수천 배나 큰 변화도("변화도 폭발")를 만들어 한 단계 만에 모델을 망칠 수 있습니다.
    `clip_grad_norm_`은 모든 매개변수의 변화도를 하나의 긴 벡터 g로 봅니다: 그 노름 ||g||가 `max_norm`을 넘으면
    모든 변화도에 max_norm / ||g||를 곱하고(방향은 그대로, 길이만 max_norm으로 줄어듭니다), `max_norm` 이하이면
    아무것도 바꾸지 않습니다. 반환값은 클리핑하기 전에 잰 ||g||입니다: 기록해 두면 클리핑이 얼마나 자주
    일어나는지 볼 수 있습니다.

    >>> clipped_train_step(model, optimizer, nn.functional.cross_entropy, x, y, max_norm=1.0)
    3.41...     # 변화도의 노름은 3.41이었고, 이 단계는 노름 1.0으로 줄인 변화도를 썼습니다

    순서에 주의하세요: `backward()`보다 먼저 클리핑하면 이전 변화도를(또는 아무것도 아닌 것을) 클리핑하게 되고,
    `step()` 다음에 클리핑하면 너무 늦습니다. 단계가 이미 클리핑하지 않은 변화도를 썼습니다.
    `clip_grad_value_`(요소마다 [-v, v]로 자름)는 다른 방법으로, 방향을 바꿉니다.
    """
    raise NotImplementedError("clipped_train_step")


def char_perplexity(model: nn.Module, ids: torch.Tensor) -> float:
    """문자 수준 언어 모델의 텍스트에 대한 퍼플렉서티(perplexity), 곧 exp(교차 엔트로피의 평균)를 float로
    반환합니다.

    `ids` (T,) int64는 문자마다 id 하나로 나타낸 텍스트입니다. `model`은 (batch, time) int64 id를 (batch, time,
    vocab) 로짓으로 바꾸고, 위치 t의 로짓은 t + 1에 올 문자를 예측합니다(ids[0..t]만 읽습니다). 그래서 입력은
    `ids[:-1]`(배치 하나로), 목표는 `ids[1:]`이고 예측은 T - 1개입니다. 이 예측들의 교차 엔트로피 평균은 문자당
    평균 놀라움(nat 단위)이고, 그 exp가 퍼플렉서티, 곧 "모델이 망설이는 문자의 수"입니다: V개의 문자를 고르게
    찍는 모델의 퍼플렉서티는 V이고, 완벽한 모델은 1입니다. `torch.no_grad()` 안에서 계산하세요.

    >>> char_perplexity(untrained_model, ids)   # 어휘 크기 정도
    14.9...

    주의할 점: 한 칸 밀지 않고 입력 자체를 목표로 쓰는 것, 평균 대신 합을 쓰는 것, exp를 취하지 않은 교차
    엔트로피 평균을 반환하는 것.
    """
    raise NotImplementedError("char_perplexity")


def sample_with_temperature(logits: torch.Tensor, temperature: float, generator: torch.Generator) -> torch.Tensor:
    """`logits` (batch, vocab)의 행마다 softmax(logits / temperature)에서 토큰 하나를 뽑아 (batch,) int64로
    반환합니다.

    온도(temperature) T > 0은 뽑기 전에 분포의 모양을 바꿉니다: T = 1이면 모델 자신의 분포에서 뽑고, T < 1이면
    분포가 뾰족해지며(T -> 0이면 argmax, 곧 탐욕적 디코딩이 됩니다), T > 1이면 균등 분포 쪽으로 평평해집니다(더
    다양하지만 실수도 많아집니다). `torch.multinomial(probabilities, 1, generator=generator)`로 뽑으세요: 호출한
    쪽이 시드를 준 `torch.Generator`가 뽑기를 재현 가능하게 하며, 같은 시드는 같은 토큰을 내야 합니다.

    >>> sample_with_temperature(torch.tensor([[2.0, 1.0, 0.1]]), 0.5, torch.Generator().manual_seed(0))
    tensor([0])

    주의할 점: T로 나누지 않고 곱하는 것, `generator`를 무시하는 것(전역 난수 상태는 호출한 쪽의 시드가
    아닙니다), 그리고 최댓값을 빼지 않고 softmax를 exp(x) / sum(exp(x))로 직접 쓰는 것: logits / 0.001은 inf로
    넘쳐 NaN이 됩니다(`torch.softmax`는 안정적입니다).
    """
    raise NotImplementedError("sample_with_temperature")


def train_char_lm(model: nn.Module, ids: torch.Tensor, steps: int = 60, seq_len: int = 32, batch_size: int = 16,
                  lr: float = 1e-2, max_norm: float = 1.0, seed: int = 0) -> nn.Module:
    """문자 수준 언어 모델 `model`(`char_perplexity`에서와 같은 모델)을 텍스트 `ids` (T,) int64로 제자리에서
    학습하고 반환합니다.

    `torch.Generator().manual_seed(seed)`와 `torch.optim.Adam(model.parameters(), lr=lr)`를 만들고, 모델을 학습
    모드로 둔 뒤 `steps`번의 단계마다: 생성기로 [0, T - seq_len) 범위에서 창의 시작 위치 s를 `batch_size`개
    뽑습니다. 입력은 `ids[s : s + seq_len]`, 목표는 한 칸 민 같은 창 `ids[s + 1 : s + seq_len + 1]`이며, 각각
    (batch_size, seq_len)으로 쌓습니다. 그런 다음 `max_norm`과 다음 손실로 `clipped_train_step`을 한 번
    호출합니다: 모든 위치에 대한 교차 엔트로피로, 로짓은 (batch * time, vocab)으로, 목표는 (batch * time,)으로
    같은 순서로 펼칩니다.

    모델이 배운 것으로 채점합니다: 기본값(Adam 60단계, lr 1e-2, 단계마다 32자짜리 창 16개)으로 채점기의 짧은
    단어 텍스트 4000자를 학습하면, 같은 종류의 새 텍스트 1500자에 대한 학습한 모델의 퍼플렉서티가 어휘 크기
    정도(15)에서 3.0 아래로 내려가야 합니다(참고 답안은 약 2.0에 이릅니다).
    """
    raise NotImplementedError("train_char_lm")
