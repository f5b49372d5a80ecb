"""4.4 Distributed training — processes, process groups, DDP, DistributedSampler, FSDP, DeepSpeed.

Data-parallel training runs one process per device (a *rank*); each rank holds a full copy of the
model, sees its own part of every batch, and the ranks average their gradients before each
optimizer step, so every copy takes the same step, the step one process would take on the whole
batch. `torch.distributed` connects the ranks in a *process group*: every rank calls
`init_process_group` with the same address and port, its own rank and the world size. The backend
is "gloo" on CPUs (what you use here) and "nccl" between CUDA GPUs.

The pitfalls this item is about:
- every rank must start from the *same* weights (seed model creation identically on every rank);
- gradients are *averaged*: an all-reduce sums, so divide by the world size, exactly once
  (`DistributedDataParallel` already averages for you: don't divide again);
- `DistributedSampler` gives every epoch the same order unless you call `set_epoch(epoch)`;
- a collective that one rank never reaches waits forever: give `init_process_group` a `timeout`;
- a process group must be torn down with `destroy_process_group` when the work is done.

Two techniques for training large models, on one device or many, close the item; they need no
process group: mixed precision (`autocast_train_step` in bfloat16, `fp16_scaled_train_step` in float16
with loss scaling) and activation checkpointing (`CheckpointedStack`).

On a real cluster the processes are started by `torchrun`, which tells each one its place through
environment variables (`setup_from_env`). DeepSpeed is not installed with this kit and nothing here
runs it: only its configuration is taught and graded (`deepspeed_config`); one extra check hands your
config to `deepspeed.initialize` where DeepSpeed and a CUDA GPU are present, and is skipped elsewhere.

The grader starts 2 processes on your CPU with the "spawn" method and calls your functions inside
them (spawned children import this file by its name, so keep work out of module level). You can do
the same: `python exercises/s4_4_distributed.py` runs `demo` below on 2 ranks.

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 4.4`.
"""
import datetime
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler


class TinyNet(nn.Module):
    """The small regression model `build_model` creates (given; do not change it)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


def find_free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now, found at run time (never a fixed number:
    two runs at once, or a run that has not yet released its port, would collide).

    Let the operating system choose the port rather than guessing one, and release it before
    returning so that the process group can bind it.
    """
    raise NotImplementedError("find_free_port")


def setup(rank: int, world_size: int, port: int, backend: str = "gloo", timeout_s: float = 30.0) -> None:
    """Join this process to the default process group as `rank` of `world_size`.

    Rendezvous on 127.0.0.1:`port` (set MASTER_ADDR and MASTER_PORT, or pass
    init_method=f"tcp://127.0.0.1:{port}"), and pass
    `timeout=datetime.timedelta(seconds=timeout_s)`: without it a collective that another rank
    never joins blocks for 30 minutes instead of failing.
    """
    raise NotImplementedError("setup")


def setup_from_env(backend: str = "gloo", timeout_s: float = 30.0) -> tuple[int, int, int]:
    """Join the default process group the way a script started by `torchrun` does: everything comes
    from the environment. Return `(rank, local_rank, world_size)` as ints.

    `torchrun` starts the processes itself (no `mp.spawn` in your script) and gives each one its place
    in environment variables: RANK (the global rank, 0..WORLD_SIZE-1 over all machines), LOCAL_RANK
    (the process's index on its own machine: the GPU it should use, `torch.cuda.set_device(local_rank)`),
    WORLD_SIZE (processes over all machines), and MASTER_ADDR / MASTER_PORT (where rank 0 listens).
    Environment values are strings: convert them with `int(...)`. Then call
    `dist.init_process_group(backend, rank=rank, world_size=world_size,
    timeout=datetime.timedelta(seconds=timeout_s))`: with MASTER_ADDR and MASTER_PORT in the
    environment, the default `init_method="env://"` finds rank 0 through them.

    Launch 2 processes on this machine:

        torchrun --standalone --nproc-per-node=2 train.py

    Two machines with 4 GPUs each (the same command on each, with its own --node-rank):

        torchrun --nnodes=2 --node-rank=0 --nproc-per-node=4 --master-addr=10.0.0.1 --master-port=29500 train.py

    On the second machine LOCAL_RANK runs 0..3 again while RANK runs 4..7: LOCAL_RANK picks the
    device, never the rank (two processes that both claim rank 0 cannot form a group).
    """
    raise NotImplementedError("setup_from_env")


def cleanup() -> None:
    """Leave and destroy the default process group (`dist.destroy_process_group()`)."""
    raise NotImplementedError("cleanup")


def build_model(seed: int) -> TinyNet:
    """A TinyNet whose initial weights depend on `seed` alone: the same on every rank.

    Called on every rank with the same seed. Seed the global generator with `seed` (not with
    `seed + rank`: ranks that start apart never meet again under hand-written averaging).
    """
    raise NotImplementedError("build_model")


def epoch_indices(dataset_size: int, world_size: int, rank: int, epochs: int, seed: int = 0) -> list[list[int]]:
    """The dataset indices that rank `rank` of `world_size` visits in each of `epochs` epochs.

    Use `DistributedSampler` over a dataset of `dataset_size` items with `num_replicas=world_size`,
    `rank=rank`, `shuffle=True`, `seed=seed`, and iterate it once per epoch the way a training loop
    does, calling `sampler.set_epoch(epoch)` before each epoch. Returns one list of ints per epoch.
    Across the ranks, each epoch visits every index exactly once (for a size divisible by
    `world_size`) and each epoch has a new order. Take the rank from the argument: `torchrun` sets
    the RANK environment variable, `torch.multiprocessing.spawn` does not.
    """
    raise NotImplementedError("epoch_indices")


def average_gradients(model: nn.Module) -> None:
    """Data parallelism by hand: after `loss.backward()` on every rank, replace each parameter's
    `.grad` with its mean over all ranks, in place.

    `dist.all_reduce(tensor)` sums a tensor over the ranks, in place; divide by
    `dist.get_world_size()` once (with `op=dist.ReduceOp.AVG` it already averages: don't divide
    again). Skip parameters whose `.grad` is None.
    """
    raise NotImplementedError("average_gradients")


def train_ddp(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float) -> nn.Module:
    """Train `model` with `DistributedDataParallel` on this rank's part (x, y) of the batch.

    Wrap the model in `DistributedDataParallel` (on CUDA pass `device_ids=[x.device.index]`), make
    `torch.optim.SGD(..., lr=lr)`, and take `steps` full-batch steps on (x, y) minimising
    `F.mse_loss` (mean). DDP all-reduces and averages the gradients during `backward()`, so with
    equal parts on every rank each step equals one step of a single process on the whole batch.
    Return the trained model, unwrapped (`ddp_model.module`).
    """
    raise NotImplementedError("train_ddp")


def fsdp_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, lr: float) -> dict[str, torch.Tensor]:
    """One fully-sharded SGD step (FSDP2) on this rank's part (x, y) of the batch.

    Apply `torch.distributed.fsdp.fully_shard` to every `nn.Linear` inside `model`, then to `model`
    itself; each rank then keeps only a slice of each parameter (a DTensor). Take one
    `torch.optim.SGD(..., lr=lr)` step minimising `F.mse_loss` (mean) on (x, y): FSDP gathers
    the weights for the forward pass and averages gradients across ranks. Return
    `{name: full parameter}` for every named parameter, each the whole (unsharded), detached, plain
    tensor: `p.full_tensor()` gathers a DTensor, `p.to_local()` would give this rank's slice only.
    """
    raise NotImplementedError("fsdp_step")


def deepspeed_config(micro_batch_size: int, grad_accum_steps: int, world_size: int, zero_stage: int,
                     bf16: bool) -> dict:
    """A DeepSpeed configuration dict (what `deepspeed.initialize(config=...)` takes) with:

    - "train_micro_batch_size_per_gpu": samples per rank per forward/backward;
    - "gradient_accumulation_steps";
    - "train_batch_size": samples per optimizer step over all ranks: micro batch size times
      accumulation steps times world size (DeepSpeed refuses a config where these disagree);
    - "zero_optimization": {"stage": zero_stage} (1 shards optimizer state, 2 also gradients,
      3 also parameters: the FSDP idea);
    - "bf16": {"enabled": bf16}.

    DeepSpeed itself is not installed with this kit: this function is where it is taught, and the
    checks grade the dict. With DeepSpeed installed, `deepspeed.initialize(model=model,
    model_parameters=model.parameters(), config=deepspeed_config(...))` returns an engine whose
    `engine.backward(loss)` and `engine.step()` replace `loss.backward()` and `optimizer.step()`.
    """
    raise NotImplementedError("deepspeed_config")


def autocast_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor,
                        y: torch.Tensor) -> float:
    """One mixed-precision training step of `model` minimising `F.mse_loss(model(x), y)` (the mean)
    with `optimizer`; returns the loss as a Python float.

    Mixed precision runs the expensive operations (matrix multiplications, convolutions) in a 16-bit
    type, about twice as fast and half the activation memory, and keeps in float32 what needs the
    precision: the parameters (the "master weights" the optimizer updates), their gradients, and
    reductions such as the loss. `torch.autocast(device_type, dtype=torch.bfloat16)` chooses the type
    operation by operation inside its `with` block, here on `x`'s device type. You do not cast the
    model or the data yourself: in a model cast to bfloat16 the weights themselves are 16-bit, and
    updates smaller than their precision round away. Only the forward pass and the loss belong
    inside autocast.

    bfloat16 keeps float32's 8 exponent bits (only the mantissa is short), so small gradients do not
    underflow and no loss scaling is needed. float16, the type of older CUDA mixed precision, has 5
    exponent bits: gradients below about 6e-8 become 0. That is why float16 training on CUDA adds
    `torch.amp.GradScaler("cuda")`, which multiplies the loss by a large factor before backward and
    divides the gradients by it before the step (skipping steps whose gradients overflowed).
    """
    raise NotImplementedError("autocast_train_step")


def fp16_scaled_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, scaler: torch.amp.GradScaler,
                           x: torch.Tensor, y: torch.Tensor) -> float:
    """One float16 mixed-precision training step of `model` minimising `F.mse_loss(model(x), y)` (the
    mean) with `optimizer` and loss scaling by `scaler`; returns the loss, unscaled, as a Python float.

    float16 keeps only 5 exponent bits: gradients below about 6e-8 underflow to 0, and values above
    65504 overflow to inf. `torch.amp.GradScaler` (the caller makes it: `torch.amp.GradScaler("cuda")`
    on a GPU; `torch.amp.GradScaler("cpu")` exists too) multiplies the loss by a large scale S before
    backward so that small gradients survive, and takes S out again before the step:

    - `optimizer.zero_grad()`; the forward pass and the loss inside
      `torch.autocast(device_type=x.device.type, dtype=torch.float16)` (the model stays float32);
    - `scaler.scale(loss).backward()`: the gradients of S x loss;
    - `scaler.step(optimizer)`: divides the gradients by S and calls `optimizer.step()` only if they
      are all finite. If any is inf or nan (S was too large and something overflowed), the step is
      SKIPPED: the weights stay exactly as they were;
    - `scaler.update()`: after a skipped step it halves S; after `growth_interval` steps in a row
      without overflow it doubles S.

    Example: with S = 65536 and a batch whose gradients overflow, the weights do not change and
    `scaler.get_scale()` goes from 65536.0 to 32768.0. A step that does not overflow gives exactly the
    weights of the same step without scaling (S is a power of two). Watch for: `optimizer.step()`
    instead of `scaler.step(optimizer)` applies gradients still multiplied by S, or inf; without
    `scaler.update()` the scale is never lowered (and the next `scaler.step` raises); return
    `loss.item()`, not the scaled loss.
    """
    raise NotImplementedError("fp16_scaled_train_step")


class CheckpointedStack(nn.Module):
    """`blocks` applied one after the other (`x -> blocks[-1](...(blocks[0](x)))`) with activation
    checkpointing: the same outputs and gradients as without it, for less memory.

    Backward needs the activations that forward computed inside each block; autograd normally keeps
    them all until backward, and in a deep model they, not the weights, fill the memory. A block run
    through `torch.utils.checkpoint.checkpoint` keeps only its input and runs its forward a second
    time during backward to recompute the rest: each block runs twice per training step, compute
    traded for memory. Checkpointing saves and restores the RNG state, so dropout inside a block
    draws the same mask the second time.

    Pass `use_reentrant=False`, the implementation PyTorch recommends. Leaving it out warns, and the
    old reentrant implementation gives no gradient to a block's parameters when the block's input
    does not require grad (a batch of data never does).
    """

    def __init__(self, blocks: list[nn.Module]):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """`x` through every block in order, each block under activation checkpointing."""
        raise NotImplementedError("CheckpointedStack.forward")


def demo(rank: int, world_size: int, port: int) -> None:
    """What one rank does in `python exercises/s4_4_distributed.py` (given)."""
    setup(rank, world_size, port)
    try:
        generator = torch.Generator().manual_seed(0)
        x, y = torch.randn(8, 4, generator=generator), torch.randn(8, 1, generator=generator)
        model = train_ddp(build_model(seed=0), x.chunk(world_size)[rank], y.chunk(world_size)[rank], 20, 0.1)
        if rank == 0:
            print("epoch orders of rank 0:", epoch_indices(8, world_size, rank, epochs=2))
            with torch.no_grad():
                print("loss after DDP training:", nn.functional.mse_loss(model(x), y).item())
    finally:
        cleanup()


if __name__ == "__main__":
    mp.spawn(demo, args=(2, find_free_port()), nprocs=2, join=True)
