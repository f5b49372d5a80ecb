"""4.4 another way: tcp:// rendezvous, one flat all-reduce, a DataLoader over the sampler, DCP full state,
autocast's positional form, checkpoint_sequential; a tcp:// rendezvous built from the torchrun environment
(read with os.getenv), and loss scaling unrolled by hand around the scaler's own unscale_."""
import datetime
import os
import socket

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict
from torch.distributed.fsdp import fully_shard
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.checkpoint import checkpoint_sequential
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


def find_free_port():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    server.close()
    return port


def setup(rank, world_size, port, backend="gloo", timeout_s=30.0):
    dist.init_process_group(backend=backend, init_method=f"tcp://127.0.0.1:{port}", world_size=world_size,
                            rank=rank, timeout=datetime.timedelta(seconds=timeout_s))


def setup_from_env(backend="gloo", timeout_s=30.0):
    place = {name: int(os.getenv(name)) for name in ("RANK", "LOCAL_RANK", "WORLD_SIZE")}
    address = f"tcp://{os.getenv('MASTER_ADDR')}:{int(os.getenv('MASTER_PORT'))}"
    dist.init_process_group(backend=backend, init_method=address, world_size=place["WORLD_SIZE"],
                            rank=place["RANK"], timeout=datetime.timedelta(seconds=float(timeout_s)))
    return place["RANK"], place["LOCAL_RANK"], place["WORLD_SIZE"]


def cleanup():
    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def build_model(seed):
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = TinyNet()
    return model


def epoch_indices(dataset_size, world_size, rank, epochs, seed=0):
    ids = TensorDataset(torch.arange(dataset_size))
    sampler = DistributedSampler(ids, world_size, rank, shuffle=True, seed=seed)
    loader = DataLoader(ids, batch_size=3, sampler=sampler)
    result = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        result.append([int(i) for (batch,) in loader for i in batch])
    return result


def average_gradients(model):
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat, op=dist.ReduceOp.AVG)
    offset = 0
    for g in grads:
        g.copy_(flat[offset:offset + g.numel()].view_as(g))
        offset += g.numel()


def train_ddp(model, x, y, steps, lr):
    wrapped = DDP(model, device_ids=[x.device.index] if x.device.type == "cuda" else None)
    opt = torch.optim.SGD(wrapped.parameters(), lr)
    step = 0
    while step < steps:
        loss = ((wrapped(x) - y) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
    return model


def fsdp_step(model, x, y, lr):
    linears = [m for m in model.modules() if type(m) is nn.Linear]
    for layer in linears:
        fully_shard(layer)
    fully_shard(model)
    opt = torch.optim.SGD(model.parameters(), lr=lr, foreach=False)
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    opt.zero_grad()
    state = get_model_state_dict(model, options=StateDictOptions(full_state_dict=True))
    names = {name for name, _ in model.named_parameters()}
    return {name: tensor.detach().clone() for name, tensor in state.items() if name in names}


def deepspeed_config(micro_batch_size, grad_accum_steps, world_size, zero_stage, bf16):
    config = dict(train_micro_batch_size_per_gpu=micro_batch_size, gradient_accumulation_steps=grad_accum_steps)
    config["train_batch_size"] = world_size * config["train_micro_batch_size_per_gpu"] * grad_accum_steps
    config["zero_optimization"] = dict(stage=zero_stage, overlap_comm=False)
    config["bf16"] = dict(enabled=bool(bf16))
    config["gradient_clipping"] = 1.0
    return config


def autocast_train_step(model, optimizer, x, y):
    with torch.autocast(x.device.type, torch.bfloat16):
        prediction = model(x)
        loss = ((prediction.float() - y) ** 2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return float(loss.detach())


def fp16_scaled_train_step(model, optimizer, scaler, x, y):
    for parameter in model.parameters():
        parameter.grad = None
    with torch.autocast(x.device.type, torch.float16):
        prediction = model(x)
        loss = ((prediction.float() - y) ** 2).mean()
    scaled = scaler.scale(loss)
    scaled.backward()
    scaler.unscale_(optimizer)  # the gradients are divided by the scale here, checked for inf/nan by step
    scaler.step(optimizer)
    scaler.update()
    return float(loss.detach())


class CheckpointedStack(nn.Module):
    """checkpoint_sequential: one segment per block (it keeps the last segment's activations)."""

    def __init__(self, blocks):
        super().__init__()
        self.stages = nn.Sequential(*blocks)

    def forward(self, x):
        return checkpoint_sequential(self.stages, len(self.stages), x, use_reentrant=False)
