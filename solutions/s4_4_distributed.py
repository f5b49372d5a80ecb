"""Reference solution for 4.4 (the task is in exercises/s4_4_distributed.py)."""
import datetime
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.distributed.fsdp import fully_shard
from torch.nn import functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.checkpoint import checkpoint
from torch.utils.data import DistributedSampler


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


def find_free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(rank, world_size, port, backend="gloo", timeout_s=30.0):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group(backend, rank=rank, world_size=world_size,
                            timeout=datetime.timedelta(seconds=timeout_s))


def setup_from_env(backend="gloo", timeout_s=30.0):
    rank, local_rank = int(os.environ["RANK"]), int(os.environ["LOCAL_RANK"])
    world_size = int(os.environ["WORLD_SIZE"])
    dist.init_process_group(backend, rank=rank, world_size=world_size,
                            timeout=datetime.timedelta(seconds=timeout_s))
    return rank, local_rank, world_size


def cleanup():
    dist.destroy_process_group()


def build_model(seed):
    torch.manual_seed(seed)
    return TinyNet()


def epoch_indices(dataset_size, world_size, rank, epochs, seed=0):
    sampler = DistributedSampler(range(dataset_size), num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    orders = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        orders.append(list(sampler))
    return orders


def average_gradients(model):
    world_size = dist.get_world_size()
    for parameter in model.parameters():
        if parameter.grad is not None:
            dist.all_reduce(parameter.grad, op=dist.ReduceOp.SUM)
            parameter.grad /= world_size


def train_ddp(model, x, y, steps, lr):
    ddp_model = DistributedDataParallel(model, device_ids=[x.device.index] if x.is_cuda else None)
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        F.mse_loss(ddp_model(x), y).backward()
        optimizer.step()
    return ddp_model.module


def fsdp_step(model, x, y, lr):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            fully_shard(module)
    fully_shard(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    F.mse_loss(model(x), y).backward()
    optimizer.step()
    return {name: parameter.detach().full_tensor() for name, parameter in model.named_parameters()}


def deepspeed_config(micro_batch_size, grad_accum_steps, world_size, zero_stage, bf16):
    return {
        "train_micro_batch_size_per_gpu": micro_batch_size,
        "gradient_accumulation_steps": grad_accum_steps,
        "train_batch_size": micro_batch_size * grad_accum_steps * world_size,
        "zero_optimization": {"stage": zero_stage},
        "bf16": {"enabled": bf16},
    }


def autocast_train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    with torch.autocast(device_type=x.device.type, dtype=torch.bfloat16):
        loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def fp16_scaled_train_step(model, optimizer, scaler, x, y):
    optimizer.zero_grad()
    with torch.autocast(device_type=x.device.type, dtype=torch.float16):
        loss = F.mse_loss(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()


class CheckpointedStack(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x):
        for block in self.blocks:
            x = checkpoint(block, x, use_reentrant=False)
        return x


def demo(rank, world_size, port):
    setup(rank, world_size, port)
    try:
        generator = torch.Generator().manual_seed(0)
        x, y = torch.randn(8, 4, generator=generator), torch.randn(8, 1, generator=generator)
        model = train_ddp(build_model(seed=0), x.chunk(world_size)[rank], y.chunk(world_size)[rank], 20, 0.1)
        if rank == 0:
            print("epoch orders of rank 0:", epoch_indices(8, world_size, rank, epochs=2))
            with torch.no_grad():
                print("loss after DDP training:", F.mse_loss(model(x), y).item())
    finally:
        cleanup()


if __name__ == "__main__":
    mp.spawn(demo, args=(2, find_free_port()), nprocs=2, join=True)
