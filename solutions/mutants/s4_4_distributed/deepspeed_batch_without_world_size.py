"""Sets train_batch_size to micro batch x accumulation steps, forgetting that every rank adds a micro batch."""
CAUGHT_BY = "test_deepspeed_config_batch_sizes_agree"
MESSAGE_MENTIONS = "world size"
MESSAGE_MENTIONS_KO = "누적 단계 수 x 월드 크기"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def deepspeed_config(micro_batch_size, grad_accum_steps, world_size, zero_stage, bf16):
    return {
        "train_micro_batch_size_per_gpu": micro_batch_size,
        "gradient_accumulation_steps": grad_accum_steps,
        "train_batch_size": micro_batch_size * grad_accum_steps,
        "zero_optimization": {"stage": zero_stage},
        "bf16": {"enabled": bf16},
    }
