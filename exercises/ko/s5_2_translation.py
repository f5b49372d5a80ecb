"""5.2 프로젝트: Transformer 번역 — 영어 수 단어를 한국어 수사로, 그리고 Hugging Face 미세 조정.

신경망 기계 번역 파이프라인 전체를 만들고, 키트가 오프라인으로 만드는 말뭉치로 학습합니다:
1부터 99,999까지의 수를 영어 단어에서 한국어(한자어) 수사로 옮깁니다.

    "three hundred twelve"                      -> "삼백십이"
    "forty thousand five"                       -> "사만 오"
    "twelve thousand three hundred forty five"  -> "만 이천삼백사십오"

(영어: 소문자, 공백 하나로 구분, "and"와 하이픈 없음. 한국어: 십/백/천/만 앞의 "일"은 쓰지 않고,
만 위의 부분과 만 아래 부분 사이에만 공백을 하나 둡니다.) 생성기와 고정된, 서로 겹치지 않는
train / validation / test 분할은 `ptgrade/items/s5_2_translation.py`(`make_splits(seed)`)에
있습니다. 아래의 `read_parallel`은 탭으로 구분된 어떤 병렬 말뭉치 파일이든 읽습니다.

아래 함수 순서대로 파이프라인을 만듭니다:
1. 데이터: 쌍을 읽고, 토큰화하고(영어는 단어, 한국어는 글자 단위), 특수 토큰 <pad> <unk> <bos>
   <eos>가 id 0-3인 어휘집을 양쪽에 하나씩 만들고, 인코딩한 뒤, `collate`로 패딩, 한 칸 밀린
   디코더 입력과 정답, 패딩 마스크를 갖춘 배치를 만듭니다.
2. 모델: `Seq2SeqTransformer` — 임베딩 + 위치 인코딩 + `nn.Transformer`
3. 교사 강요로 학습: `sequence_loss`(레이블 스무딩, 패딩 무시), `train_translator`
4. 디코딩: `greedy_decode`와 `beam_search`(길이로 정규화한 점수)
5. 평가: `sacrebleu`로 계산한 BLEU와 완전 일치(exact match)
6. Hugging Face: `fine_tune_seq2seq`는 로컬 디렉터리에서 `from_pretrained`로 seq2seq 모델과
   토크나이저를 불러와 미세 조정하고 `save_pretrained`로 저장합니다.

마스크: `nn.Transformer`는 불리언 마스크를 True = *무시*로 읽습니다(`F.scaled_dot_product_attention`과
반대). 모든 것이 오프라인으로 동작합니다. 인터넷이 있다면 `fine_tune_seq2seq`에
"Helsinki-NLP/opus-mt-en-ko" 같은 허브 모델을 넘길 수도 있습니다 — 코드는 같습니다.

`ptgrade check 5.2`로 코드를 채점하고, `ptgrade run 5.2`로 실제로 학습하세요(`--smoke`는 1분 이내의
짧은 실행, `--epochs N`, `--data file.tsv`, `--out DIR`, 두 번째 실행은 체크포인트에서 이어서 학습합니다).
"""
import math  # noqa: F401
import os  # noqa: F401
from collections import Counter  # noqa: F401
from pathlib import Path  # noqa: F401

import sacrebleu  # noqa: F401
import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn
from torch.nn.utils.rnn import pad_sequence  # noqa: F401

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<bos>", "<eos>"
SPECIALS = [PAD, UNK, BOS, EOS]
PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3


# -- 데이터 ------------------------------------------------------------------------------------------------
def read_parallel(path: str) -> list[tuple[str, str]]:
    """한 줄에 `원문<TAB>번역문` 쌍이 하나씩 있는 UTF-8 탭 구분 파일을 읽어, 파일 순서대로
    `(source, target)` 튜플의 리스트를 반환합니다. 빈 줄은 건너뛰고, 양쪽의 앞뒤 공백은 제거합니다."""
    raise NotImplementedError("read_parallel")


def tokenize_source(text: str) -> list[str]:
    """영어 쪽: 소문자 단어들. `"  Forty thousand   FIVE "` -> `["forty", "thousand", "five"]`."""
    raise NotImplementedError("tokenize_source")


def tokenize_target(text: str) -> list[str]:
    """한국어 쪽: 글자 하나가 토큰 하나이고, 공백도 `" "` 토큰으로 남깁니다. 연속된 공백은 하나로
    줄이고 양 끝은 제거합니다: `" 사만  오 "` -> `["사", "만", " ", "오"]`. 토큰을 `""`로 이어 붙이면
    정규화된 글이 그대로 나옵니다."""
    raise NotImplementedError("tokenize_target")


def build_vocab(token_lists: list[list[str]]) -> dict[str, int]:
    """어휘집 `token -> id`: SPECIALS가 그 순서대로 id 0-3을 받고, 그다음 `token_lists`에 나오는 나머지
    토큰을 빈도가 높은 순서로, 빈도가 같으면 토큰 자체의 순서로 놓습니다
    (그래서 어휘집은 실행할 때마다 같습니다). 데이터에 특수 토큰이 있어도 두 번 넣지 않습니다."""
    raise NotImplementedError("build_vocab")


def encode_pairs(pairs: list[tuple[str, str]], src_vocab: dict[str, int],
                 tgt_vocab: dict[str, int]) -> list[tuple[list[int], list[int]]]:
    """각 `(english, korean)` 쌍에 대해 `(원문 id, 번역문 id)`: 영어는 `tokenize_source`로 나눠
    `src_vocab`으로, 한국어는 `tokenize_target`으로 나눠 `tgt_vocab`으로 번호를 매깁니다. 어휘집에
    없는 토큰은 UNK_ID가 됩니다. 여기서는 <bos> / <eos>를 붙이지 않습니다(`collate`가 붙입니다)."""
    raise NotImplementedError("encode_pairs")


def decode_target(ids, vocab: dict[str, int]) -> str:
    """번역문 id(리스트 또는 1차원 텐서)를 다시 글로 바꿉니다: <pad>와 <bos>는 건너뛰고, 첫 <eos>에서
    멈추고, 토큰을 `""`로 이어 붙입니다(공백은 그 자체로 토큰입니다)."""
    raise NotImplementedError("decode_target")


def collate(batch: list[tuple[list[int], list[int]]]) -> dict[str, torch.Tensor]:
    """`(원문 id, 번역문 id)` 배치를 패딩된 int64 텐서로 만듭니다(패딩 값 PAD_ID):

    - `"src"`: (B, S) 원문들, S는 가장 긴 원문의 길이
    - `"tgt_in"`: (B, T) `[BOS_ID] + target` — 디코더가 읽는 입력(교사 강요)
    - `"tgt_out"`: (B, T) `target + [EOS_ID]` — 예측해야 할 정답, `tgt_in`보다 한 단계 앞섭니다.
    - `"src_padding_mask"`: `src == PAD_ID`, `"tgt_padding_mask"`: `tgt_out == PAD_ID` (bool, True = 패딩).
    T는 가장 긴 번역문의 길이에 1을 더한 값입니다.
    """
    raise NotImplementedError("collate")


# -- 모델 -----------------------------------------------------------------------------------------------
class Seq2SeqTransformer(nn.Module):
    """인코더-디코더 Transformer: `forward(src (B, S), tgt_in (B, T)) -> logits (B, T, tgt_vocab_size)`.

    - 양쪽에 따로 둔 토큰 임베딩(`nn.Embedding(..., d_model, padding_idx=PAD_ID)`, sqrt(d_model)을
      곱함)에 위치 인코딩(사인파 또는 학습되는 것, `max_len` 위치까지)을 더하고 dropout을 적용합니다.
    - `nn.Transformer(d_model, nhead, num_encoder_layers, num_decoder_layers, dim_feedforward, dropout,
      batch_first=True)` (또는 같은 동작을 하는 직접 만든 블록)
    - 디코더 출력에 `nn.Linear(d_model, tgt_vocab_size)`.

    디코딩 함수들이 쓰는 두 부분도 제공하세요:
    - `encode(src) -> memory (B, S, d_model)`: `src_key_padding_mask = src == PAD_ID`로 인코더를 실행
    - `decode(tgt_in, memory, src) -> logits (B, T, tgt_vocab_size)`: 인과 `tgt_mask`
      (`nn.Transformer.generate_square_subsequent_mask(T, device=...)`, `tgt_is_causal=True`)와
      `memory_key_padding_mask = src == PAD_ID`로 디코더를 실행.
    `forward(src, tgt_in)`은 `decode(tgt_in, encode(src), src)`입니다. 지켜야 할 약속: 위치 t의 로짓은
    t 뒤의 목표 토큰에 의존하지 않고, `src`에 <pad> 열을 더 붙여도 아무것도 바뀌지 않으며, 원문 토큰의
    순서가 결과에 영향을 줍니다.
    """

    def __init__(self, src_vocab_size: int, tgt_vocab_size: int, d_model: int = 64, nhead: int = 4,
                 num_encoder_layers: int = 2, num_decoder_layers: int = 2, dim_feedforward: int = 128,
                 dropout: float = 0.1, max_len: int = 64):
        super().__init__()
        raise NotImplementedError("Seq2SeqTransformer")

    def encode(self, src: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Seq2SeqTransformer.encode")

    def decode(self, tgt_in: torch.Tensor, memory: torch.Tensor, src: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Seq2SeqTransformer.decode")

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Seq2SeqTransformer.forward")


# -- 학습 --------------------------------------------------------------------------------------------
def sequence_loss(model: nn.Module, batch: dict[str, torch.Tensor], label_smoothing: float = 0.1) -> torch.Tensor:
    """교사 강요: `model(batch["src"], batch["tgt_in"])`을 한 번 호출하고, 그 로짓과 `batch["tgt_out"]` 사이의
    평균 교차 엔트로피를 실제(<pad>가 아닌) 목표 위치에 대해서만 `label_smoothing`을 적용해 반환합니다 —
    역전파할 수 있는 스칼라 텐서입니다."""
    raise NotImplementedError("sequence_loss")


def train_translator(pairs: list[tuple[str, str]], src_vocab: dict[str, int], tgt_vocab: dict[str, int],
                     steps: int = 300, batch_size: int = 64, lr: float = 1e-3, seed: int = 0) -> nn.Module:
    """`pairs`로 `Seq2SeqTransformer(len(src_vocab), len(tgt_vocab))`(기본 크기)를 학습하고 eval 모드로
    반환합니다. 먼저 `torch.manual_seed(seed)`로 시드를 고정하고, `torch.optim.AdamW(lr=lr)`를 씁니다.
    `batch_size`개씩 섞인 순서로 배치를 뽑고(`seed`로 시드를 준 `torch.Generator`, 쌍을 다 쓰면 다시
    섞음), `collate`한 뒤, `sequence_loss`로 옵티마이저 단계를 정확히 `steps`번 밟습니다
    (zero_grad, backward, 원하면 변화도 노름을 1로 자르기, step).

    도달해야 하는 기준: 채점기는 채점마다 영어 단어와 한국어 글자의 이름을 바꾼, 999까지의 수 700쌍으로
    200단계(batch_size 32, lr 2e-3) 학습한 뒤 새 원문 150개를 `greedy_decode`로 번역합니다. 30% 이상이
    정확히 일치해야 하고 글자 단위 BLEU가 50 이상이어야 합니다."""
    raise NotImplementedError("train_translator")


# -- 디코딩 --------------------------------------------------------------------------------------------
def greedy_decode(model: nn.Module, src: torch.Tensor, max_len: int = 24) -> list[list[int]]:
    """패딩된 배치 `src` (B, S)의 탐욕적 디코딩: 각 행을 `[BOS_ID]`에서 시작해 매 단계
    `model.decode(tokens, memory, src)[:, -1]`의 argmax를 붙입니다. 여기서 `memory = model.encode(src)`입니다.
    디코딩하는 동안 memory는 바뀌지 않으므로 반복문 전에 한 번만 인코딩하세요(매 단계 `model(src,
    tokens)`를 호출해도 같은 id가 나오지만, 매번 다시 인코딩하므로 느립니다).
    행마다 <bos> 뒤에 생성된 id를 반환합니다: 첫 <eos>까지(포함), <eos>가 나오지 않았다면
    `max_len`개. 변화도는 필요 없습니다(`torch.no_grad()`)."""
    raise NotImplementedError("greedy_decode")


def beam_search(model: nn.Module, src: torch.Tensor, beam_size: int = 4, max_len: int = 24,
                length_penalty: float = 1.0) -> list[int]:
    """패딩 없는 원문 하나 `src` (S,)에 대한 빔 검색. 가장 좋은 가설의 <bos> 뒤 id를 반환합니다
    (<eos>가 있으면 <eos>로 끝남). `greedy_decode`의 한 행과 같은 형식입니다.

    빔 `[[BOS_ID]]`에서 시작합니다. 매 단계 빔의 모든 접두사를 모든 토큰으로 늘려 보고, 각 확장을 전체
    로그 확률(`model.decode(...)[:, -1]`의 `log_softmax`를 접두사를 따라 더한 값)로 점수를 매겨, 전체에서
    가장 좋은 `beam_size`개를 남깁니다. 그중 <eos>로 끝난 것은 끝난 가설이 되어 빔에서 빠지고(빔이
    줄어듭니다), 나머지가 다음 빔이 됩니다. `max_len` 단계가 지나거나 빔이 비면 멈춥니다. 끝난 가설
    중에서(하나도 끝나지 않았다면 마지막 빔의 접두사 중에서) 길이로 정규화한 점수
    `전체 로그 확률 / len(ids) ** length_penalty`가 가장 좋은 것을 반환합니다. `ids`는 <eos>를 포함한
    생성 토큰이며, `length_penalty=0`이면 전체 합 그대로 순위를 매깁니다.
    `beam_size=1`이면 정확히 탐욕적 디코딩입니다. 더 넓은 빔은 대개 탐욕적 디코딩 이상 좋은 점수의
    가설을 찾습니다(채점기는 자신의 입력으로 이를 확인합니다). 다만 일반적으로 보장되지는 않습니다:
    탐욕적 경로가 빔에서 밀려날 수 있기 때문입니다."""
    raise NotImplementedError("beam_search")


# -- 평가 ------------------------------------------------------------------------------------------
def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    """`hypotheses`의 corpus BLEU(0-100). 참조는 가설마다 하나이며, 한국어에 맞는 글자 단위 토큰화로
    sacrebleu가 계산합니다: 문장 점수의 평균이 아니라 sacrebleu 자신의 corpus 점수입니다."""
    raise NotImplementedError("corpus_bleu")


def exact_match(hypotheses: list[str], references: list[str]) -> float:
    """`strip()` 뒤에 참조와 똑같은 가설의 비율(0-1)."""
    raise NotImplementedError("exact_match")


# -- Hugging Face ----------------------------------------------------------------------------------------
def fine_tune_seq2seq(model_dir: str, pairs: list[tuple[str, str]], out_dir: str, steps: int = 40,
                      lr: float = 3e-3, batch_size: int = 16) -> list[float]:
    """로컬 디렉터리 `model_dir`에 저장된 Hugging Face seq2seq 모델을 미세 조정하고 단계마다의 손실을
    반환합니다(float `steps`개의 리스트).

    - 토크나이저는 `AutoTokenizer.from_pretrained(model_dir)`, 모델은
      `AutoModelForSeq2SeqLM.from_pretrained(model_dir)`로 불러옵니다(로컬 디렉터리: 아무것도 내려받지
      않습니다)
    - 단계 i는 배치 `pairs[i*batch_size:(i+1)*batch_size]`로 학습합니다. 쌍은 순서대로 쓰고, 다 쓰면
      처음부터 다시 씁니다.
    - 토크나이저를 원문에 대해, 번역문을 text target으로 주어 호출하면 배치를 패딩하고 `input_ids`,
      `attention_mask`, `labels`를 줍니다. 손실이 무시하도록 패딩된 레이블 위치를 -100으로 바꾸고,
      디코더 입력은 모델이 레이블로부터 만들게 하세요(`model(**batch).loss`)
    - `torch.optim.AdamW(model.parameters(), lr=lr)`, 모델은 train 모드
    - 마지막에 모델과 토크나이저 둘 다 `save_pretrained(out_dir)` 합니다.

    도달해야 하는 기준: 채점기가 만든 작은 BART로 40단계(lr 3e-3, batch_size 16) 학습한 뒤 저장한 가중치는
    학습 쌍에 대한 손실이 사전 학습된 모델 손실의 60% 이하여야 합니다.
    """
    raise NotImplementedError("fine_tune_seq2seq")
