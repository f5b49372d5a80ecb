"""4.4 Distributed training: the promises of exercises/s4_4_distributed.py.

The process-group checks share one 2-rank run on the CPU (gloo): the student's process spawns the
ranks (`ranks_run`, an @observation) and `_rank_main` below is what each spawned rank executes. It
imports the student's module by name, calls each of its functions in turn, and writes what came out
(or what was raised) to a file per rank; the grader reads those files as data (torch.load with
weights_only=True) and compares them with a single process computing the same step on the whole
batch, here.
"""
import datetime
import importlib
import os
import socket
import sys
import time
import traceback
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DistributedSampler

from graders.support.assertions import assert_tensor, check, expect_type, not_started
from ptgrade.remote import observation

WORLD_SIZE = 2
COLLECTIVE_TIMEOUT_S = 20   # what the grader asks `setup` for: a stuck collective fails after this
JOIN_TIMEOUT_S = 100        # the whole 2-process run; past it the ranks are killed
STEPS, LR = 5, 0.1
_monotonic = time.monotonic  # bound before student code is imported


def _net() -> nn.Module:
    """The grader's own model, the same on every rank (the student's functions must work on any model)."""
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))


def _batch(device="cpu"):
    generator = torch.Generator().manual_seed(4)
    x = torch.randn(8, 4, generator=generator)
    y = x[:, :1] * 2 - x[:, 1:2] + 0.1 * torch.randn(8, 1, generator=generator)
    return x.to(device), y.to(device)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- what each spawned rank runs ------------------------------------------------------------------
def _rank_main(rank, world_size, port, module_name, out_dir, backend):
    record = {}
    path = Path(out_dir) / f"rank{rank}.pt"

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
    x, y = _batch(device)
    x, y = x.chunk(world_size)[rank], y.chunk(world_size)[rank]
    if backend == "gloo":
        stage("build_model", lambda: _built_models(student, rank))
        stage("average_gradients", lambda: _averaged_gradients(student, x, y))
    stage("train_ddp", lambda: _plain_state(student.train_ddp(_net().to(device), x, y, STEPS, LR)))
    if backend == "gloo":
        stage("fsdp_step", lambda: _plain_dict(student.fsdp_step(_net(), x, y, LR)))
    stage("cleanup", lambda: (student.cleanup(), dist.is_initialized())[1])
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


def _built_models(student, rank):
    torch.rand(rank + 1)  # the ranks have drawn different amounts of randomness before, as real ranks do
    first = _plain_state(student.build_model(0))
    other = _plain_state(student.build_model(1))
    again = _plain_state(student.build_model(0))
    return {"seed0": first, "seed1": other, "seed0_again": again}


def _averaged_gradients(student, x, y):
    model = _net()
    F.mse_loss(model(x), y).backward()
    student.average_gradients(model)
    return {name: p.grad.detach().clone() if type(p.grad) is torch.Tensor else repr(type(p.grad))
            for name, p in model.named_parameters()}


def _plain_state(model):
    model = getattr(model, "module", model)  # a returned DDP wrapper is unwrapped
    if not isinstance(model, nn.Module):
        return f"a {type(model).__qualname__}, not an nn.Module"
    return {name: t.detach().cpu().clone() for name, t in model.state_dict().items()}


def _plain_dict(result):
    if not isinstance(result, dict):
        return f"a {type(result).__qualname__}, not a dict"
    return {str(name): value.detach().cpu().clone() if type(value) is torch.Tensor else
            f"a {type(value).__module__}.{type(value).__qualname__}" for name, value in result.items()}


def _error_text(error, student_file):
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    where = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if student_file and frame.filename == student_file:
            where = f" (line {frame.lineno}: `{(frame.line or '').strip()}`)"
    return f"{type(error).__name__}: {text}{where}" if text else f"{type(error).__name__}{where}"


# -- the spawned run, bounded ---------------------------------------------------------------------
class _Ranks:
    def __init__(self, records, problem):
        self.records, self.problem = records, problem

    def stage(self, name):
        """Each rank's value for a stage; a stage that raised fails here with what it raised."""
        check(self.problem is None, self.problem or "")
        values = []
        for rank, record in enumerate(self.records):
            if "import" in record:
                raise AssertionError(f"a spawned rank could not import your module: {record['import']['error']}\n"
                                     "Hint: spawned processes import your code by its module name, so it must live "
                                     "in a .py file (functions defined in a notebook cannot be spawned) and do no "
                                     "work at import outside `if __name__ == '__main__':`.")
            entry = record.get(name)
            check(entry is not None, f"rank {rank} never finished `{name}`: an earlier step crashed or hung that rank.",
                  "Run `python exercises/s4_4_distributed.py` to see the ranks' own output.")
            if entry.get("not_started"):
                not_started(name)
            check("error" not in entry, f"`{name}` raised on rank {rank}: {entry.get('error')}.")
            values.append(entry["value"])
        return values


def _start_ranks(module_name, out_dir, backend, world_size):
    """(In the student's process) spawn the ranks and wait for them, bounded: what went wrong with the
    run as a whole (or None), and each rank's exit code."""
    context = mp.get_context("spawn")
    port = _free_port()
    processes = [context.Process(target=_rank_main, daemon=True,
                                 args=(rank, world_size, port, module_name, str(out_dir), backend))
                 for rank in range(world_size)]
    problem = None
    try:
        for process in processes:
            process.start()
        deadline = _monotonic() + JOIN_TIMEOUT_S
        for process in processes:
            process.join(max(0.0, deadline - _monotonic()))
        if any(process.is_alive() for process in processes):
            problem = (f"the {world_size}-process run did not finish within {JOIN_TIMEOUT_S} s: a rank is stuck, "
                       "usually in a collective (all_reduce, barrier) that another rank never reached.\n"
                       "Hint: every rank must make the same collective calls in the same order; pass "
                       "`timeout=` to init_process_group so a stuck collective raises instead of waiting.")
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(5)
    return {"problem": problem, "exit_codes": [process.exitcode for process in processes]}


@observation
def ranks_run(impl, out_dir, backend, world_size):
    """A `world_size`-process run of `_rank_main` on the student's module (imported by its name in
    each spawned rank), records written under out_dir: what went wrong with the run as a whole, and
    the ranks' exit codes."""
    return _start_ranks(impl._ptgrade_module.__name__, out_dir, backend, world_size)


def _spawn(impl, out_dir, backend, world_size=WORLD_SIZE):
    run = ranks_run(impl, str(out_dir), backend, world_size)
    problem, exit_codes = run["problem"], run["exit_codes"]
    records = []
    for rank in range(world_size):
        path = Path(out_dir) / f"rank{rank}.pt"
        if not path.exists():
            problem = problem or (f"rank {rank} wrote no results (it exited with code {exit_codes[rank]} "
                                  "before its first step: a crash while importing your module?).")
            records.append({})
        else:
            try:
                records.append(torch.load(path, weights_only=True))
            except Exception as error:  # noqa: BLE001 - a file the grader's rank code did not write
                problem = problem or (f"rank {rank}'s results cannot be read ({type(error).__name__}): something "
                                      "other than the grader wrote them.")
                records.append({})
    return _Ranks(records, problem)


@pytest.fixture(scope="module")
def gloo_ranks(impl, tmp_path_factory):
    return _spawn(impl, tmp_path_factory.mktemp("gloo_ranks"), "gloo")


def _single_process_training(steps):
    model = _net()
    x, y = _batch()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    for _ in range(steps):
        optimizer.zero_grad()
        F.mse_loss(model(x), y).backward()
        optimizer.step()
    return dict(model.named_parameters())


def _compare(got, expected, what, hint):
    got = expect_type(got, dict, what, hint)
    check(sorted(got) == sorted(expected), f"{what} should hold the parameters {sorted(expected)}, got {sorted(got)}.",
          hint)
    for name, want in expected.items():
        check(not isinstance(got[name], str), f"{what}[{name!r}] should be a plain torch.Tensor, got {got[name]}.", hint)
        assert_tensor(got[name], want.detach(), f"{what}[{name!r}]", hint=hint)


# -- checks without processes ---------------------------------------------------------------------
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


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("find_free_port finds a port that is free right now",
                   ko="find_free_port는 지금 비어 있는 포트를 찾습니다")
def test_free_port_is_found_at_run_time(impl):
    facts = ports_found(impl)
    first = facts["first"]
    check(type(first) is int and 1024 <= first < 65536,
          f"find_free_port() should return a port number (an int in 1024..65535), got {first!r}.")
    if "second" in facts:
        second = facts["second"]
        check(type(second) is int and second != first,
              f"find_free_port() returned {second!r} while port {first} was taken: it must find a port free now.",
              "Do not hard-code a port: bind a socket to port 0 and read sock.getsockname()[1].")
    if "unbindable" in facts:
        port, error = facts["unbindable"]
        raise AssertionError(f"find_free_port() returned {port}, which cannot be bound: {error}.\n"
                             "Hint: close the socket (a `with` block) before returning its port.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("Together the ranks visit every sample once per epoch",
                   ko="모든 랭크가 함께 에폭마다 모든 샘플을 한 번씩 방문합니다")
def test_sampler_covers_every_sample_once_per_epoch(impl):
    for world_size, size in ((2, 12), (3, 12), (4, 8)):
        orders = [impl.epoch_indices(size, world_size, rank, 3, seed=0) for rank in range(world_size)]
        for rank, per_epoch in enumerate(orders):
            expect_type(per_epoch, list, f"epoch_indices({size}, {world_size}, {rank}, 3)")
            check(len(per_epoch) == 3, f"epoch_indices(..., epochs=3) should return 3 lists, got {len(per_epoch)}.")
        for epoch in range(3):
            seen = sorted(int(i) for rank in range(world_size) for i in orders[rank][epoch])
            check(seen == list(range(size)),
                  f"epoch {epoch} of a {size}-sample dataset on {world_size} ranks: together the ranks should visit "
                  f"each index once, visited {seen}.",
                  "Pass rank=rank (the argument) to DistributedSampler: a rank read from an unset RANK environment "
                  "variable, or left at 0, makes every rank visit the same slice.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("epoch_indices reshuffles the order every epoch",
                   ko="epoch_indices는 에폭마다 순서를 새로 섞습니다")
def test_sampler_reshuffles_each_epoch(impl):
    for world_size, rank, seed in ((2, 0, 0), (2, 1, 0), (3, 2, 5)):
        got = impl.epoch_indices(12, world_size, rank, 3, seed=seed)
        sampler = DistributedSampler(range(12), num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
        expected = []
        for epoch in range(3):
            sampler.set_epoch(epoch)
            expected.append(list(sampler))
        got = [[int(i) for i in order] for order in expect_type(got, list, "epoch_indices(...)")]
        check(len({tuple(order) for order in got}) == len(got),
              f"epoch_indices(12, {world_size}, {rank}, 3, seed={seed}) repeats an epoch's order: {got}.",
              "Call sampler.set_epoch(epoch) before each epoch: without it DistributedSampler shuffles the same "
              "way every epoch.")
        check(got == expected,
              f"epoch_indices(12, {world_size}, {rank}, 3, seed={seed}): expected DistributedSampler's orders "
              f"{expected}, got {got}.",
              "Build DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed) once "
              "and call set_epoch(epoch) before iterating it each epoch.")


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("deepspeed_config gives batch sizes that agree",
                   ko="deepspeed_config의 배치 크기 설정이 서로 맞아떨어집니다")
def test_deepspeed_config_batch_sizes_agree(impl):
    for micro, accum, world_size, stage, bf16 in ((4, 2, 8, 2, True), (3, 5, 2, 3, False)):
        config = expect_type(impl.deepspeed_config(micro, accum, world_size, stage, bf16), dict, "deepspeed_config(...)")
        expected = {"train_micro_batch_size_per_gpu": micro, "gradient_accumulation_steps": accum,
                    "train_batch_size": micro * accum * world_size, "zero_optimization": {"stage": stage},
                    "bf16": {"enabled": bf16}}
        for key, want in expected.items():
            got = config.get(key)
            if isinstance(want, dict) and isinstance(got, dict):
                got = {k: got.get(k) for k in want}
            check(got == want, f"deepspeed_config(micro_batch_size={micro}, grad_accum_steps={accum}, "
                               f"world_size={world_size}, zero_stage={stage}, bf16={bf16})[{key!r}]: expected "
                               f"{want!r}, got {got!r}.",
                  "train_batch_size counts every sample of one optimizer step over all ranks: micro batch size x "
                  "accumulation steps x world size.")


# -- checks on the 2-process gloo run --------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.device
@pytest.mark.title("setup joins the process group with the given timeout",
                   ko="setup은 주어진 타임아웃으로 프로세스 그룹에 참여합니다")
def test_setup_joins_group_with_a_timeout(impl, gloo_ranks):
    for rank, facts in enumerate(gloo_ranks.stage("setup")):
        check(facts["initialized"], f"after setup({rank}, ...) on rank {rank}, dist.is_initialized() is False.",
              "Call dist.init_process_group inside setup.")
        check((facts["rank"], facts["world_size"], facts["backend"]) == (rank, WORLD_SIZE, "gloo"),
              f"setup({rank}, {WORLD_SIZE}, port, 'gloo') joined as rank {facts['rank']} of {facts['world_size']} "
              f"with backend {facts['backend']!r}; expected rank {rank} of {WORLD_SIZE} with 'gloo'.")
        timeout = facts["timeout_s"]
        check(timeout is None or abs(timeout - COLLECTIVE_TIMEOUT_S) < 1e-3,
              f"setup(..., timeout_s={COLLECTIVE_TIMEOUT_S}) made a process group whose timeout is {timeout} s.",
              "Pass timeout=datetime.timedelta(seconds=timeout_s) to init_process_group; the default timeout "
              "(30 minutes) lets a stuck collective hang the job.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("build_model gives every rank the same starting weights",
                   ko="build_model은 모든 랭크에 같은 초기 가중치를 줍니다")
def test_ranks_start_from_identical_weights(impl, gloo_ranks):
    built = gloo_ranks.stage("build_model")
    hint = ("Call torch.manual_seed(seed) (the same seed on every rank, not seed + rank) right before creating "
            "the model, so the weights depend on the seed alone.")
    for name, want in built[0]["seed0"].items():
        assert_tensor(built[1]["seed0"].get(name), want, f"build_model(0)'s {name} on rank 1 against rank 0", hint=hint)
        assert_tensor(built[0]["seed0_again"].get(name), want, f"build_model(0)'s {name}, built a second time",
                      hint=hint)
    check(any(not torch.equal(built[0]["seed1"][k], v) for k, v in built[0]["seed0"].items()),
          "build_model(1) and build_model(0) gave the same weights: the seed should decide them.", hint)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("average_gradients averages the gradients across ranks",
                   ko="average_gradients는 랭크 간 변화도의 평균을 구합니다")
def test_hand_allreduce_averages_gradients(impl, gloo_ranks):
    model = _net()
    x, y = _batch()
    F.mse_loss(model(x), y).backward()
    expected = {name: p.grad for name, p in model.named_parameters()}
    hint = ("After backward each rank holds the gradient of its own half; all_reduce with ReduceOp.SUM adds them, "
            "so divide by the world size once (ReduceOp.AVG already divides: summing without dividing, or "
            "dividing twice, scales the step).")
    for rank, grads in enumerate(gloo_ranks.stage("average_gradients")):
        _compare(grads, expected, f"the gradients on rank {rank} after average_gradients", hint)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("DDP training matches one process on the whole batch",
                   ko="DDP 학습은 전체 배치로 학습한 단일 프로세스와 일치합니다")
def test_ddp_matches_single_process_full_batch(impl, gloo_ranks):
    expected = _single_process_training(STEPS)
    hint = ("DistributedDataParallel averages the gradients across ranks during backward: use the mean loss on "
            "this rank's part and do not divide it by the world size or average again (that averages twice).")
    for rank, state in enumerate(gloo_ranks.stage("train_ddp")):
        check(not isinstance(state, str), f"train_ddp should return the trained nn.Module, got {state}.")
        _compare(state, expected, f"the weights on rank {rank} after {STEPS} DDP steps (single process on the whole "
                                  "batch as reference)", hint)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("fsdp_step matches an unsharded training step",
                   ko="fsdp_step은 샤딩하지 않은 학습 단계와 일치합니다")
def test_fsdp_step_matches_unsharded_step(impl, gloo_ranks):
    expected = _single_process_training(1)
    hint = ("Shard with fully_shard (each Linear, then the root), take one SGD step on the mean loss, and return "
            "p.full_tensor() for each named parameter: to_local() gives only this rank's slice.")
    for rank, params in enumerate(gloo_ranks.stage("fsdp_step")):
        check(not isinstance(params, str), f"fsdp_step should return a dict of tensors, got {params}.", hint)
        _compare(params, expected, f"fsdp_step's parameters on rank {rank} (an unsharded step on the whole batch "
                                   "as reference)", hint)


@pytest.mark.points(1)
@pytest.mark.device
@pytest.mark.title("cleanup destroys the process group",
                   ko="cleanup은 프로세스 그룹을 해제합니다")
def test_cleanup_destroys_process_group(impl, gloo_ranks):
    for rank, still_initialized in enumerate(gloo_ranks.stage("cleanup")):
        check(not still_initialized, f"after cleanup() on rank {rank}, dist.is_initialized() is still True.",
              "Call dist.destroy_process_group() in cleanup: a group left open leaks its sockets and threads.")


# -- with CUDA ------------------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("DDP over NCCL on the GPU matches a single process",
                   ko="GPU에서 NCCL로 실행한 DDP는 단일 프로세스와 일치합니다")
def test_ddp_over_nccl_matches_single_process(impl, tmp_path):
    # NCCL wants one GPU per rank: on a one-GPU machine this is a 1-rank run (still NCCL, DDP and CUDA).
    ranks = _spawn(impl, tmp_path, "nccl", min(WORLD_SIZE, torch.cuda.device_count()))
    ranks.stage("setup")
    expected = _single_process_training(STEPS)
    for rank, state in enumerate(ranks.stage("train_ddp")):
        check(not isinstance(state, str), f"train_ddp should return the trained nn.Module, got {state}.")
        _compare(state, expected, f"the weights on GPU rank {rank} after {STEPS} DDP steps over NCCL",
                 "Pass device_ids=[x.device.index] to DistributedDataParallel for a CUDA model.")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("DeepSpeed accepts the config deepspeed_config builds",
                   ko="DeepSpeed는 deepspeed_config가 만든 설정을 받아들입니다")
def test_deepspeed_accepts_the_config(impl, monkeypatch):
    deepspeed = pytest.importorskip("deepspeed", reason="DeepSpeed is not installed")
    config = impl.deepspeed_config(2, 2, 1, 2, torch.cuda.is_bf16_supported())
    config["optimizer"] = {"type": "SGD", "params": {"lr": LR}}
    port = _free_port()
    for key, value in {"RANK": "0", "LOCAL_RANK": "0", "WORLD_SIZE": "1", "MASTER_ADDR": "127.0.0.1",
                       "MASTER_PORT": str(port)}.items():
        monkeypatch.setenv(key, value)
    model = _net().cuda()
    engine, _, _, _ = deepspeed.initialize(model=model, model_parameters=model.parameters(), config=config)
    try:
        check(engine.train_batch_size() == config["train_batch_size"] == 4,
              f"DeepSpeed's train batch size is {engine.train_batch_size()}, the config says "
              f"{config['train_batch_size']}; expected 4 (2 x 2 x 1).")
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
