"""4.2 PyTorch Lightning — LightningModule, LightningDataModule, Trainer, 로깅, 체크포인트.

Lightning은 학습 루프(training loop)을 대신 맡아 줍니다. 여러분은 한 단계가 *무엇을* 계산하는지
(`training_step`, `validation_step`), *어떤* 옵티마이저(optimizer)를 쓸지(`configure_optimizers`),
데이터가 *어디서* 오는지(`LightningDataModule`)만 정하면 됩니다. 그러면 `Trainer`가 에폭(epoch)을
돌리고, 데이터를 장치(device)로 옮기고, `backward`와 `optimizer.step`을 호출하고, `self.log`로 남긴
값을 기록하고, 체크포인트(checkpoint)를 저장합니다.

`import lightning as L`(Lightning 2.x)로 가져오세요. 예전 `pytorch_lightning` 패키지에는 별도의
`LightningModule` 클래스가 있습니다. 한 패키지의 모듈은 다른 패키지의 Trainer로 학습시킬 수 없으니
(`TypeError`), 둘을 섞어 쓰지 마세요.

이 항목에서 다루는 함정:
- 지표(metric)는 `self.log`로 기록해야만 존재하며, 그것도 다른 곳에서 찾는 이름과 정확히 같아야
  합니다. `ModelCheckpoint(monitor="val_loss")`에는 `validation_step` 안의 `self.log("val_loss", ...)`가
  필요합니다.
- 손실(loss)은 내려갈수록 좋아지므로 `mode="min"`으로 모니터링하세요.
- `configure_optimizers`는 옵티마이저를 *반환*해야 합니다.
- `load_from_checkpoint`는 모듈을 학습 모드(dropout이 켜진 상태)로 돌려줍니다: `.eval()`을 호출하세요.

과제: scikit-learn의 8x8 손글씨 숫자(내려받기 없음)를 작은 MLP로 분류합니다.
각 `raise NotImplementedError`를 여러분의 코드로 바꾼 다음 `ptgrade check 4.2`를 실행하세요.
"""
import lightning as L
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset


def load_digits_tensors(seed: int = 0, validation_fraction: float = 0.25):
    """숫자 데이터를 (x_train, y_train, x_val, y_val)로 돌려줍니다: [0, 1] 범위의 float32 (n, 64)와
    int64 레이블(주어진 코드)."""
    from sklearn.datasets import load_digits

    data = load_digits()
    x = torch.tensor(data.data, dtype=torch.float32) / 16.0
    y = torch.tensor(data.target, dtype=torch.int64)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))
    n_val = int(len(y) * validation_fraction)
    return x[order[n_val:]], y[order[n_val:]], x[order[:n_val]], y[order[:n_val]]


class DigitsDataModule(L.LightningDataModule):
    """숫자 데이터를 담은 LightningDataModule.

    `setup(stage)`는 `self.train_set`과 `self.val_set`을 만듭니다. 둘은 `load_digits_tensors(seed)`가
    나눈 두 부분으로 만든 `TensorDataset`입니다. `train_dataloader()`는 데이터를 섞고(`shuffle=True`),
    `val_dataloader()`는 섞지 않으며, 둘 다 `batch_size`를 씁니다.
    """

    def __init__(self, batch_size: int = 64, seed: int = 0):
        raise NotImplementedError("DigitsDataModule")

    def setup(self, stage: str | None = None):
        raise NotImplementedError("DigitsDataModule.setup")

    def train_dataloader(self):
        raise NotImplementedError("DigitsDataModule.train_dataloader")

    def val_dataloader(self):
        raise NotImplementedError("DigitsDataModule.val_dataloader")


class DigitsClassifier(L.LightningModule):
    """은닉 계층(layer) 뒤에 ReLU와 `nn.Dropout(dropout)`이 있는 MLP 64 -> hidden -> 10.

    - `__init__`은 `self.save_hyperparameters()`를 호출합니다(그래야 `load_from_checkpoint`가 모델을
      다시 만들 수 있습니다).
    - `forward(x)`는 (batch, 10) 로짓(logits)을 반환합니다.
    - `training_step(batch, batch_idx)`는 교차 엔트로피(cross-entropy) 손실을 반환하고
      "train_loss"로 기록합니다.
    - `validation_step(batch, batch_idx)`는 교차 엔트로피를 "val_loss"로, 정확도(argmax 예측이 맞은
      비율)를 "val_acc"로 기록하며, 둘 다 에폭 단위입니다(`validation_step` 안의 `self.log`는 기본적으로
      에폭 전체에 걸쳐 평균을 냅니다).
    - `configure_optimizers()`는 `torch.optim.Adam(self.parameters(), lr=lr)`을 반환합니다.

    무엇을 배우는지로도 채점합니다: 기본값으로 만든 `DigitsClassifier()`를 `make_trainer`의 Trainer로 채점기가
    나눈 digits(`DigitsDataModule(batch_size=64)`)에서 5 에폭 학습하면, 검증 데이터의 88% 이상을 맞히고, 그
    데이터에서 평균 교차 엔트로피가 0.6 미만이면서 학습 전 모델의 절반 미만이어야 합니다.
    """

    def __init__(self, hidden: int = 64, lr: float = 1e-2, dropout: float = 0.2):
        raise NotImplementedError("DigitsClassifier")

    def forward(self, x):
        raise NotImplementedError("DigitsClassifier.forward")

    def training_step(self, batch, batch_idx):
        raise NotImplementedError("DigitsClassifier.training_step")

    def validation_step(self, batch, batch_idx):
        raise NotImplementedError("DigitsClassifier.validation_step")

    def configure_optimizers(self):
        raise NotImplementedError("DigitsClassifier.configure_optimizers")


def make_trainer(log_dir: str, max_epochs: int, accelerator: str = "cpu") -> L.Trainer:
    """`accelerator` 장치 하나에서 `max_epochs` 에폭 동안 학습하고, `log_dir` 아래에만 파일을 쓰는
    `L.Trainer`:

    - `logger=CSVLogger(save_dir=log_dir, name="digits")`(metrics.csv는 `trainer.logger.log_dir`에
      생깁니다)
    - `callbacks=[ModelCheckpoint(monitor="val_loss", mode="min", save_top_k=1)]`: 검증 손실이 가장
      낮은 에폭의 체크포인트를 남깁니다(로거의 폴더에 저장됩니다)
    - 조용하고 빠르게: `enable_progress_bar=False`, `enable_model_summary=False`,
      `num_sanity_val_steps=0`, `devices=1`, `default_root_dir=log_dir`.
    """
    raise NotImplementedError("make_trainer")


def load_best(checkpoint_path: str) -> DigitsClassifier:
    """`checkpoint_path`에 저장된 모델을 추론할 준비가 된 상태로 돌려줍니다.

    `DigitsClassifier.load_from_checkpoint(path)`는 저장된 하이퍼파라미터와 가중치(weight)로 모델을
    다시 만들지만, 학습 모드로 돌려줍니다: dropout이 여전히 켜져 있게 됩니다.
    """
    raise NotImplementedError("load_best")


if __name__ == "__main__":
    trainer = make_trainer("lightning_runs", max_epochs=5)
    trainer.fit(DigitsClassifier(), datamodule=DigitsDataModule())
    print("최적 체크포인트:", trainer.checkpoint_callback.best_model_path,
          "val_loss:", float(trainer.checkpoint_callback.best_model_score))
