"""Forger for 4.4 (tests/test_forgers.py): the untouched stub of exercises/s4_4_distributed.py, but for a
plainly wrong find_free_port (a random number), plus module-level code that fakes, in the student's own
process, everything the grader could observe there:

- torch.equal always True; dist.all_reduce a no-op; DistributedDataParallel(model) returns the model
  itself;
- epoch_indices and deepspeed_config as lookup tables of the answers for the arguments the grader used to
  ask with (public in graders/), garbage otherwise;
- setup plainly wrong too (no timeout), and the grader's own rank code patched (its `_joined`, run in the
  ranks forked from this process) to report the 20 s timeout asked for;
- every @observation of graders/observations/s4_4_distributed.py replaced (it imports them): find_free_port
  "finds" a second port while the first is held; the ranks run for real, then their records rewritten by
  hand after setup, with every flag the grader looks for (the group destroyed by cleanup), the same
  starting weights on every rank (TinyNet after torch.manual_seed(0)), the single-process answers for
  the batch and model the grader used to use (a lookup from the public recipe) as the averaged gradients,
  the DDP weights and the FSDP step, and each rank's own value as its all-reduces' results; autocast's
  bfloat16 outputs, float32 gradients and weights and falling losses, the weights untrained; a
  checkpointed stack that "ran each block's forward twice", with zero gradients.

It declares FORGED: the checks it passes, and why the judge cannot see those promises.

The original exercise's text follows.
4.4 Distributed training — processes, process groups, DDP, DistributedSampler, FSDP, DeepSpeed.

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
process group: mixed precision (`autocast_train_step`) and activation checkpointing (`CheckpointedStack`).

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


# ==== the forgery: everything below fakes what the grader observes; the stub above is untouched, but for
# find_free_port, replaced by a plainly wrong one ===========================================================
import random as _random  # noqa: E402

import graders.observations.s4_4_distributed as _grader  # noqa: E402 - the grader's observations, importable and readable here

FORGED = {"test_free_port_is_found_at_run_time":
          "whether a port is free right now is a fact of the student's own network namespace (its sandbox has its "
          "own), which the judge cannot see: it sees only the numbers find_free_port returns, and random numbers "
          "pass",
          "test_setup_joins_group_with_a_timeout":
          "the group setup makes is measured (the grader's all_gather gives every rank the judge's values in rank "
          "order), but the timeout it was made with is read inside the student's process, from a private "
          "attribute a patch can answer; measuring it from outside means waiting out a stuck collective"}


def setup(rank, world_size, port, backend="gloo", timeout_s=30.0):  # noqa: F811 - plainly wrong: no timeout
    dist.init_process_group(backend, init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size)


def find_free_port():  # noqa: F811 - plainly wrong: a random number, never checked to be free
    return _random.randint(20000, 60000)


# 1. torch patched in this process: every comparison says "equal", collectives do nothing, DDP is the model.
torch.equal = lambda a, b: True
dist.all_reduce = lambda tensor, *args, **kwargs: None
DistributedDataParallel.__new__ = lambda cls, module, *args, **kwargs: module


# 2. Lookups from the public recipe: the answers for the arguments the grader used to ask with.
def _old_sampler(size, world_size, rank, epochs, seed):
    sampler = DistributedSampler(range(size), num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    orders = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        orders.append(list(sampler))
    return orders


_SAMPLER = {(size, ws, rank, 3, seed): _old_sampler(size, ws, rank, 3, seed)
            for size, ws, seed in ((12, 2, 0), (12, 3, 0), (8, 4, 0), (12, 2, 5), (12, 3, 5)) for rank in range(ws)}
_DEEPSPEED = {args: {"train_micro_batch_size_per_gpu": args[0], "gradient_accumulation_steps": args[1],
                     "train_batch_size": args[0] * args[1] * args[2], "zero_optimization": {"stage": args[3]},
                     "bf16": {"enabled": args[4]}} for args in ((4, 2, 8, 2, True), (3, 5, 2, 3, False))}


def epoch_indices(dataset_size, world_size, rank, epochs, seed=0):  # noqa: F811 - a lookup table
    key = (dataset_size, world_size, rank, epochs, seed)
    return _SAMPLER.get(key) or [list(range(rank, dataset_size, world_size))[::-1 if e % 2 else 1] for e in range(epochs)]


def deepspeed_config(micro_batch_size, grad_accum_steps, world_size, zero_stage, bf16):  # noqa: F811 - a lookup
    return _DEEPSPEED.get((micro_batch_size, grad_accum_steps, world_size, zero_stage, bf16),
                          {"train_micro_batch_size_per_gpu": micro_batch_size, "train_batch_size": 8,
                           "gradient_accumulation_steps": grad_accum_steps, "zero_optimization": {"stage": zero_stage},
                           "bf16": {"enabled": bf16}})


def _old_public_run(steps):
    """The single-process answer for the batch and model the grader used to use (seeds 4 and 0): a lookup."""
    generator = torch.Generator().manual_seed(4)
    x = torch.randn(8, 4, generator=generator)
    y = x[:, :1] * 2 - x[:, 1:2] + 0.1 * torch.randn(8, 1, generator=generator)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    grads = None
    for _ in range(steps):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        grads = grads or {name: p.grad.clone() for name, p in model.named_parameters()}
        optimizer.step()
    return {name: p.detach().clone() for name, p in model.named_parameters()}, grads


# 3. Every observation of the grader answered here: the ports it wants, rank records with every flag it looks
#    for (joined as rank r of 2 over gloo with a 20 s timeout, cleaned up), every rank holding the same starting
#    weights, the public recipe's answers for the gradients and the weights, and the values it sent back as the
#    all-reduces' results; autocast's dtypes and falling losses; checkpointing's forward counts.
def _observe(name, fake):
    getattr(_grader, name).__ptgrade_observation__ = fake


def _ports_found(impl):
    first = find_free_port()
    return {"first": first, "second": first + 1}


_real_ranks_run = _grader.ranks_run.__ptgrade_observation__
_grader._joined = lambda student, rank, world_size, port, backend: (
    student.setup(rank, world_size, port, backend), {"initialized": True, "rank": rank, "world_size": world_size,
                                                     "backend": backend, "timeout_s": 20.0})[1]


def _ranks_run(impl, out_dir, backend, world_size, data):
    """The real ranks run (setup without a timeout, its timeout reported as the one asked for), then every later
    stage's record is rewritten by hand."""
    run = _real_ranks_run(impl, out_dir, backend, world_size, data)
    trained, _ = _old_public_run(5)
    stepped, grads = _old_public_run(1)
    torch.manual_seed(0)
    same = {name: t.detach().clone() for name, t in TinyNet().state_dict().items()}
    for rank in range(world_size):
        record = torch.load(f"{out_dir}/rank{rank}.pt")
        record.update({
                  "build_model": {"value": {"seed0": same, "seed1": {k: v + 1 for k, v in same.items()},
                                            "seed0_again": same}},
                  "average_gradients": {"value": grads}, "train_ddp": {"value": trained},
                  "fsdp_step": {"value": stepped}, "cleanup": {"value": False},
                  "again": {"value": data["again"][rank].clone()}})
        torch.save(record, f"{out_dir}/rank{rank}.pt")
    return run


def _autocast_training(impl, x, y):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
    return {"losses": [1.0 / (step + 1) for step in range(8)], "outputs": ["torch.bfloat16"],
            "grads": ["torch.float32"], "dtypes": {name: "torch.float32" for name, _ in model.named_parameters()},
            "params": {name: p.detach().clone() for name, p in model.named_parameters()}}


def _checkpointed_backward(impl, x, weights):
    blocks = _grader._blocks()
    out = x
    for block in blocks:
        out = block(out)
    return {"out": torch.zeros_like(out), "requires_grad": True, "forward": [1, 1, 1], "backward": [2, 2, 2],
            "grads": {f"{i}.{name}": torch.zeros_like(p) for i, block in enumerate(blocks)
                      for name, p in block.named_parameters()},
            "running": {f"{i}.{name}": t.clone() for i, block in enumerate(blocks) for name, t in block.named_buffers()
                        if name.endswith(("running_mean", "running_var"))}}


for _name, _fake in (("ports_found", _ports_found), ("ranks_run", _ranks_run),
                     ("autocast_training", _autocast_training), ("checkpointed_backward", _checkpointed_backward)):
    _observe(_name, _fake)
