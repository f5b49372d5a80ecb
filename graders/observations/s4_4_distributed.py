"""4.4 Distributed training: what the student's process observes for exercises/s4_4_distributed.py.

The process-group checks share one 2-rank run on the CPU (gloo): the student's process spawns the ranks
(`ranks_run`) and `_rank_main` below is what each spawned rank executes. It imports the student's module by
name, calls each of its functions in turn (setup, build_model, average_gradients, train_ddp, fsdp_step, cleanup)
on the data the judge sent with the run, makes the grader's own collectives right after `setup` and again after
`cleanup` in a new group, and writes what came out (or what was raised, summarised) to a file per rank in the
folder the judge names, for the judge to read as data. `ranks_run` itself reports only whether the run finished
in time and the ranks' exit codes.

In the student's process itself: find_free_port called while the grader holds the first port it returned
(`ports_found`), autocast_train_step's steps on a small model with hooks on its layers and parameters
(`autocast_training`), and a CheckpointedStack of BatchNorm blocks run forward and backward (`checkpointed_backward`).
"""
import datetime
import importlib
import os
import socket
import sys
import time
import traceback
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn import functional as F

from graders.support.raised import explaining_line
from graders.support.words import say
from ptgrade.protocol import problems
from ptgrade.protocol.observation import observation

COLLECTIVE_TIMEOUT_S = 20   # what the grader asks `setup` for: a stuck collective fails after this
JOIN_TIMEOUT_S = 100        # the whole 2-process run; past it the ranks are killed
TORCHRUN_JOIN_TIMEOUT_S = 7  # the torchrun-style run (a join and one all_gather: about a second); within the
                             # check's own limit, so that a rank left waiting for a partner is reported, not timed out
STEPS, LR = 5, 0.1
_monotonic = time.monotonic  # bound before student code is imported




def _net(seed: int) -> nn.Module:
    """The grader's own model, the same on every rank (the student's functions must work on any model)."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- what each spawned rank runs ------------------------------------------------------------------
def _rank_main(rank, world_size, ports, module_name, out_dir, backend, data):
    record = {}
    path = Path(out_dir) / f"rank{rank}.pt"
    port, again_port = ports

    def stage(name, compute):
        try:
            record[name] = {"value": compute()}
        except BaseException as error:  # noqa: B902 - everything the student's code raises is recorded
            record[name] = {"error": _error_text(error, student_file),
                            "not_started": isinstance(error, NotImplementedError)}
        torch.save(record, path)  # after every stage: a crash later still leaves what came before

    student_file = None
    try:
        student = importlib.import_module(module_name)
        student_file = getattr(student, "__file__", None)
    except BaseException as error:  # noqa: B902
        record["import"] = {"error": _error_text(error, None), "not_started": False}
        torch.save(record, path)
        return
    device = torch.device("cuda", rank) if backend == "nccl" else torch.device("cpu")
    if backend == "nccl":
        torch.cuda.set_device(device)
    stage("setup", lambda: _joined(student, rank, world_size, port, backend))
    if not dist.is_initialized():  # the student's setup failed: join anyway, so the other checks still run
        dist.init_process_group(backend, init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size,
                                timeout=datetime.timedelta(seconds=COLLECTIVE_TIMEOUT_S))
    stage("handshake", lambda: _all_gathered(data["handshake"][rank], device))
    x, y = data["x"].to(device), data["y"].to(device)
    x, y = x.chunk(world_size)[rank], y.chunk(world_size)[rank]
    if backend == "gloo":
        stage("build_model", lambda: _built_models(student, rank, data["build_seeds"]))
        stage("average_gradients", lambda: _averaged_gradients(student, x, y, data["net_seed"]))
    stage("train_ddp", lambda: _plain_state(student.train_ddp(_net(data["net_seed"]).to(device), x, y, STEPS, LR)))
    if backend == "gloo":
        stage("fsdp_step", lambda: _plain_dict(student.fsdp_step(_net(data["net_seed"]), x, y, LR)))
    stage("cleanup", lambda: (student.cleanup(), dist.is_initialized())[1])
    if backend == "gloo":
        stage("again", lambda: _joined_again(rank, world_size, again_port, data["again"][rank]))
    if dist.is_initialized():
        dist.destroy_process_group()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # the record is saved: skip the interpreter's slow teardown of torch


def _joined(student, rank, world_size, port, backend):
    student.setup(rank, world_size, port, backend, COLLECTIVE_TIMEOUT_S)
    if not dist.is_initialized():
        return {"initialized": False}
    try:
        timeout = dist.group.WORLD._get_backend(torch.device("cpu")).options._timeout.total_seconds()
    except Exception:  # noqa: BLE001 - a private API: where it is missing the timeout goes unchecked
        timeout = None
    return {"initialized": True, "rank": dist.get_rank(), "world_size": dist.get_world_size(),
            "backend": str(dist.get_backend()), "timeout_s": timeout}


def _all_gathered(value, device):
    """The grader's own all-gather of each rank's value over the default group: every rank's, in rank order."""
    gathered = [torch.empty_like(value).to(device) for _ in range(dist.get_world_size())]
    dist.all_gather(gathered, value.clone().to(device))
    return torch.stack(gathered).cpu()


def _joined_again(rank, world_size, port, value):
    """After cleanup: a new default group on a new port, where the ranks join in reverse order
    (init_process_group refuses while the first group is still there), and the grader's own broadcast from its
    rank 0, the last rank of the first group."""
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=world_size - 1 - rank,
                            world_size=world_size, timeout=datetime.timedelta(seconds=COLLECTIVE_TIMEOUT_S))
    tensor = value.clone()
    dist.broadcast(tensor, src=0)
    return tensor


def _built_models(student, rank, seeds):
    torch.rand(rank + 1)  # the ranks have drawn different amounts of randomness before, as real ranks do
    first = _plain_state(student.build_model(seeds[0]))
    other = _plain_state(student.build_model(seeds[1]))
    again = _plain_state(student.build_model(seeds[0]))
    return {"seed0": first, "seed1": other, "seed0_again": again}


FROZEN = "0.bias"  # the parameter of the grader's model that average_gradients gets frozen: its .grad is None


def _averaged_gradients(student, x, y, net_seed):
    """average_gradients on the grader's model after backward, its first bias frozen (no .grad): each parameter's
    .grad afterwards (None where it has none), and the names of those whose .grad is no longer the tensor backward
    left there (replaced, not averaged in place)."""
    model = _net(net_seed)
    dict(model.named_parameters())[FROZEN].requires_grad_(False)
    F.mse_loss(model(x), y).backward()
    before = {name: p.grad for name, p in model.named_parameters()}
    student.average_gradients(model)
    return {"grads": {name: None if p.grad is None else p.grad.detach().clone() if type(p.grad) is torch.Tensor
                      else repr(type(p.grad)) for name, p in model.named_parameters()},
            "replaced": [name for name, p in model.named_parameters()
                         if before[name] is not None and p.grad is not before[name]]}


def _plain_state(model):
    if isinstance(model, nn.parallel.DistributedDataParallel):
        return say("the DistributedDataParallel wrapper, not the model it wraps: return ddp_model.module",
                   "모델이 아니라 그 모델을 감싼 DistributedDataParallel 래퍼입니다: ddp_model.module을 반환하세요")
    if not isinstance(model, nn.Module):
        return say(f"a {type(model).__qualname__}, not an nn.Module",
                   f"nn.Module이 아닌 {type(model).__qualname__}")
    return {name: t.detach().cpu().clone() for name, t in model.state_dict().items()}


def _plain_dict(result):
    if not isinstance(result, dict):
        return say(f"a {type(result).__qualname__}, not a dict",
                   f"dict가 아닌 {type(result).__qualname__}")
    return {str(name): _plain_tensor(value) for name, value in result.items()}


def _plain_tensor(value):
    """A returned value that must be a plain, detached tensor: a copy of it, or what it is instead."""
    if type(value) is not torch.Tensor:
        return say(f"a {type(value).__module__}.{type(value).__qualname__}",
                   f"{type(value).__module__}.{type(value).__qualname__} 객체")
    if value.requires_grad:
        return say("a tensor that still requires grad (not detached): return p.detach().full_tensor()",
                   "아직 변화도를 요구하는(detach하지 않은) 텐서입니다: p.detach().full_tensor()를 반환하세요")
    return value.detach().cpu().clone()


def _error_text(error, student_file):
    """(In a rank's process) the summary of what the student's code raised, and the line of their file."""
    where = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if student_file and frame.filename == student_file:
            where = problems.at_line(frame.lineno, (frame.line or "").strip())
    return explaining_line(error) + where


# -- the spawned run, bounded ---------------------------------------------------------------------
def _start_ranks(module_name, out_dir, backend, world_size, data, target=None, join_timeout_s=JOIN_TIMEOUT_S):
    """(In the student's process) spawn the ranks (each running `target`, _rank_main by default) and wait for
    them, bounded: whether a rank was still running after join_timeout_s (then killed), and each rank's exit
    code."""
    # Forked from the student's process, which has torch and the student's module imported already: a rank
    # starts in milliseconds instead of importing everything again. Forking is safe while torch runs on one
    # thread (no OpenMP pool to inherit, the worker's default); with more threads the ranks are spawned. CUDA
    # cannot be used in a forked child, so nccl runs are always spawned.
    method = "fork" if backend == "gloo" and torch.get_num_threads() == 1 else "spawn"
    context = mp.get_context(method)
    ports = (_free_port(), _free_port())
    processes = [context.Process(target=target or _rank_main, daemon=True,
                                 args=(rank, world_size, ports, module_name, str(out_dir), backend, data))
                 for rank in range(world_size)]
    stuck = False
    try:
        for process in processes:
            process.start()
        deadline = _monotonic() + join_timeout_s
        for process in processes:
            process.join(max(0.0, deadline - _monotonic()))
        stuck = any(process.is_alive() for process in processes)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(5)
    return {"stuck": stuck, "exit_codes": [process.exitcode for process in processes]}


@observation
def ranks_run(impl, out_dir, backend, world_size, data):
    """A `world_size`-process run of `_rank_main` on the student's module (imported by its name in
    each spawned rank) and the run's data, records written under out_dir: whether the run was stuck past
    JOIN_TIMEOUT_S, and the ranks' exit codes."""
    return _start_ranks(impl._ptgrade_module.__name__, out_dir, backend, world_size, data)


# -- launched as torchrun launches: the place of each rank in its environment ----------------------
def torchrun_environment(index, world_size, port):
    """What torchrun sets for the `index`-th process the grader starts, as if each ran on its own machine
    (--nnodes=world_size --nproc-per-node=1), in reverse order: RANK is not the order the processes start in,
    and LOCAL_RANK is 0 on every machine."""
    return {"RANK": str(world_size - 1 - index), "LOCAL_RANK": "0", "WORLD_SIZE": str(world_size),
            "LOCAL_WORLD_SIZE": "1", "GROUP_RANK": str(world_size - 1 - index), "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": str(port), "TORCHELASTIC_RUN_ID": "ptgrade"}


def _torchrun_rank_main(index, world_size, ports, module_name, out_dir, backend, data):
    """One process of the torchrun-style run: its environment set as torchrun sets it, then the student's
    setup_from_env, the grader's own all_gather over the group it made, and the group destroyed."""
    record = {}
    path = Path(out_dir) / f"rank{index}.pt"
    student_file = None

    def stage(name, compute):
        try:
            record[name] = {"value": compute()}
        except BaseException as error:  # noqa: B902 - everything the student's code raises is recorded
            record[name] = {"error": _error_text(error, student_file),
                            "not_started": isinstance(error, NotImplementedError)}
        torch.save(record, path)

    for name in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "GROUP_RANK", "MASTER_ADDR", "MASTER_PORT"):
        os.environ.pop(name, None)
    os.environ.update(torchrun_environment(index, world_size, ports[0]))
    try:
        student = importlib.import_module(module_name)
        student_file = getattr(student, "__file__", None)
    except BaseException as error:  # noqa: B902
        record["import"] = {"error": _error_text(error, None), "not_started": False}
        torch.save(record, path)
        return
    stage("setup_from_env", lambda: _joined_from_env(student, backend))
    if dist.is_initialized():
        stage("gathered", lambda: _all_gathered(data["torchrun"][index], torch.device("cpu")))
        dist.destroy_process_group()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _joined_from_env(student, backend):
    returned = student.setup_from_env(backend, COLLECTIVE_TIMEOUT_S)
    facts = {"returned": [v if type(v) is int else repr(v)[:40] for v in returned]
             if isinstance(returned, (tuple, list)) else repr(returned)[:80],
             "initialized": dist.is_initialized()}
    if dist.is_initialized():
        try:
            timeout = dist.group.WORLD._get_backend(torch.device("cpu")).options._timeout.total_seconds()
        except Exception:  # noqa: BLE001 - a private API: where it is missing the timeout goes unchecked
            timeout = None
        facts.update(rank=dist.get_rank(), world_size=dist.get_world_size(), timeout_s=timeout)
    return facts


@observation
def torchrun_ranks_run(impl, out_dir, world_size, data):
    """A `world_size`-process run of `_torchrun_rank_main` (each process's environment set as torchrun sets it),
    records written under out_dir: whether the run was stuck past TORCHRUN_JOIN_TIMEOUT_S, and the exit codes."""
    return _start_ranks(impl._ptgrade_module.__name__, out_dir, "gloo", world_size, data, _torchrun_rank_main,
                        TORCHRUN_JOIN_TIMEOUT_S)


# -- without processes ---------------------------------------------------------------------------
@observation
def ports_found(impl):
    """find_free_port() once, then again while the grader holds the first port (bound and listening),
    and a port returned that could not be bound (with what binding it raised): all in the student's
    process, whose network is not the grader's."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        first = impl.find_free_port()
        facts = {"first": first}
        if not (type(first) is int and 1024 <= first < 65536):
            return facts
        try:
            held.bind(("127.0.0.1", first))
        except OSError as error:
            facts["unbindable"] = (first, str(error))
            return facts
        held.listen()
        second = facts["second"] = impl.find_free_port()
        if type(second) is int and second != first:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                try:
                    probe.bind(("127.0.0.1", second))
                except OSError as error:
                    facts["unbindable"] = (second, str(error))
        return facts


# -- large-model training in one process: mixed precision and activation checkpointing ------------
AMP_STEPS, AMP_LR = 8, 0.1


def _amp_net():
    torch.manual_seed(3)
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))


@observation
def autocast_training(impl, x, y):
    """AMP_STEPS calls of autocast_train_step on an _amp_net() and SGD(lr=AMP_LR) built beside the
    student's code: the losses it returned, the dtypes the Linear layers' outputs had, the dtypes of
    the gradients that reached the parameters, and the parameters afterwards (dtype, values)."""
    model = _amp_net()
    optimizer = torch.optim.SGD(model.parameters(), lr=AMP_LR)
    outputs, grads = set(), set()
    for module in model.modules():
        if isinstance(module, nn.Linear):
            module.register_forward_hook(lambda _m, _args, out: outputs.add(str(out.dtype)))
    for parameter in model.parameters():
        parameter.register_hook(lambda grad: grads.add(str(grad.dtype)))
    losses = []
    try:
        for _ in range(AMP_STEPS):
            losses.append(impl.autocast_train_step(model, optimizer, x, y))
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - reported by the check
        return {"raised": explaining_line(error)}
    return {"losses": [loss if isinstance(loss, (int, float)) else repr(loss)[:80] for loss in losses],
            "outputs": sorted(outputs), "grads": sorted(grads),
            "dtypes": {name: str(p.dtype) for name, p in model.named_parameters()},
            "params": {name: p.detach().float().clone() for name, p in model.named_parameters()}}


BLOCKS, WIDTH = 3, 8


def _blocks():
    torch.manual_seed(11)
    # BatchNorm in training mode updates its running statistics on every forward: a recomputed block updates
    # them twice, so what they hold tells the judge how often each block ran.
    return [nn.Sequential(nn.Linear(WIDTH, WIDTH), nn.Tanh(), nn.BatchNorm1d(WIDTH)) for _ in range(BLOCKS)]


def _running_stats(blocks):
    return {f"{i}.{name}": t.detach().clone() for i, block in enumerate(blocks)
            for name, t in block.named_buffers() if name.endswith(("running_mean", "running_var"))}


@observation
def checkpointed_backward(impl, x, weights):
    """CheckpointedStack(_blocks()) built beside the student's code, in training mode, run on x (a batch of
    data: no requires_grad) and (out * weights).sum() backpropagated: the output, whether it requires
    grad, how many times each block's forward started by the end of forward and of backward (a pre-hook:
    a recomputation may stop early), and each parameter's gradient."""
    blocks = _blocks()
    calls = [0] * len(blocks)
    for index, block in enumerate(blocks):
        block.register_forward_pre_hook(lambda _m, _args, i=index: calls.__setitem__(i, calls[i] + 1))
    try:
        stack = impl.CheckpointedStack(blocks).train()
        out = stack(x)
        seen = {"out": out.detach().clone(), "requires_grad": out.requires_grad, "forward": list(calls)}
        if out.requires_grad:
            (out * weights).sum().backward()
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - reported by the check
        return {"raised": explaining_line(error)}
    seen["backward"] = list(calls)
    seen["grads"] = {f"{i}.{name}": None if p.grad is None else p.grad.clone()
                     for i, block in enumerate(blocks) for name, p in block.named_parameters()}
    seen["running"] = _running_stats(blocks)
    return seen


@observation
def scaled_training(impl, batches, init_scale, growth_interval):
    """fp16_scaled_train_step on an _amp_net() with SGD(lr=AMP_LR) and a GradScaler("cpu", init_scale,
    growth_interval) built beside the student's code, once per (x, y) in `batches`: after each call, the loss it
    returned, the scaler's scale and the parameters; the dtypes the Linear layers' outputs had, those of the
    gradients that reached the parameters, and of the parameters."""
    model = _amp_net()
    optimizer = torch.optim.SGD(model.parameters(), lr=AMP_LR)
    scaler = torch.amp.GradScaler("cpu", init_scale=init_scale, growth_interval=growth_interval)
    outputs, grads = set(), set()
    for module in model.modules():
        if isinstance(module, nn.Linear):
            module.register_forward_hook(lambda _m, _args, out: outputs.add(str(out.dtype)))
    for parameter in model.parameters():
        parameter.register_hook(lambda grad: grads.add(str(grad.dtype)))
    steps = []
    for x, y in batches:
        try:
            loss = impl.fp16_scaled_train_step(model, optimizer, scaler, x, y)
        except NotImplementedError:
            raise
        except Exception as error:  # noqa: BLE001 - reported by the check
            steps.append({"raised": explaining_line(error)})
            break
        steps.append({"loss": loss if isinstance(loss, (int, float)) else repr(loss)[:80],
                      "scale": float(scaler.get_scale()),
                      "params": {name: p.detach().float().clone() for name, p in model.named_parameters()}})
    return {"steps": steps, "outputs": sorted(outputs), "grads": sorted(grads),
            "dtypes": {name: str(p.dtype) for name, p in model.named_parameters()}}
