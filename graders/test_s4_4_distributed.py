"""4.4 Distributed training: the promises of exercises/s4_4_distributed.py.

The process-group checks share one 2-rank run on the CPU (gloo): the student's process spawns the
ranks (`ranks_run`, an @observation) and `_rank_main` in graders/observations/s4_4_distributed.py is what
each spawned rank executes. It
imports the student's module by name, calls each of its functions in turn, and writes what came out
(or what was raised) to a file per rank in a folder the student's code may write; the judge reads those
files as data (graders/support/student_files.py: regular files inside that folder, bounded, loaded as
torch.load(weights_only=True) would). What a rank reports is never graded alone: every value is compared
with what the judge computes itself, on data drawn from this run's `run_seed` and sent with the run: the
weights and gradients against a single process on the whole batch, each rank's starting weights against
the judge's own TinyNet, and the sums of collectives the grader's own code makes in each rank right after
`setup` and again after `cleanup` (a new group on a new port can be made only once the first is destroyed).
"""
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DistributedSampler

from graders.observations.s4_4_distributed import (
    AMP_LR,
    AMP_STEPS,
    BLOCKS,
    COLLECTIVE_TIMEOUT_S,
    FROZEN,
    JOIN_TIMEOUT_S,
    LR,
    STEPS,
    TORCHRUN_JOIN_TIMEOUT_S,
    WIDTH,
    _amp_net,
    _blocks,
    _free_port,
    _net,
    _running_stats,
    autocast_training,
    checkpointed_backward,
    ports_found,
    ranks_run,
    scaled_training,
    torchrun_environment,
    torchrun_ranks_run,
)
from graders.support import student_files
from graders.support.assertions import assert_tensor, check, expect_type, not_started, say

WORLD_SIZE = 2


def _generator(run_seed: int, salt: int) -> torch.Generator:
    """A generator for this run's data (the recipe is public, the draw is not)."""
    return torch.Generator().manual_seed((run_seed * 7919 + salt) % (2 ** 62))


class _TinyNet(nn.Module):
    """The judge's own copy of the TinyNet the exercise gives (build_model's architecture)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 1)


def _tiny_net_state(seed: int) -> dict:
    """What build_model(seed) must give, computed here: torch.manual_seed(seed), then TinyNet()."""
    state = torch.get_rng_state()
    try:
        torch.manual_seed(seed)
        return {name: t.detach().clone() for name, t in _TinyNet().state_dict().items()}
    finally:
        torch.set_rng_state(state)


def _run_data(run_seed: int, world_size: int = WORLD_SIZE) -> dict:
    """What a run's ranks work on, drawn from run_seed and sent with the run: the batch, the seed of the grader's
    model, the seeds build_model is called with, and each rank's values for the grader's own all-reduces."""
    generator = _generator(run_seed, 1)
    x = torch.randn(8, 4, generator=generator)
    y = x[:, :1] * 2 - x[:, 1:2] + 0.1 * torch.randn(8, 1, generator=generator)
    seeds = torch.randint(0, 2 ** 31 - 1, (3,), generator=generator).tolist()
    return {"x": x, "y": y, "net_seed": seeds[0], "build_seeds": seeds[1:],
            "handshake": torch.randn(world_size, 3, generator=generator),
            "again": torch.randn(world_size, 3, generator=generator)}


# -- the spawned run, bounded ---------------------------------------------------------------------
class _Ranks:
    def __init__(self, records, problem):
        self.records, self.problem = records, problem

    def stage(self, name, hint=""):
        """Each rank's value for a stage; a stage that raised fails here with what it raised (and `hint`)."""
        check(self.problem is None, self.problem or "")
        values = []
        for rank, record in enumerate(self.records):
            if "import" in record:
                raise AssertionError(say(f"a spawned rank could not import your module: {record['import']['error']}\n"
                                         "Hint: spawned processes import your code by its module name, so it must live "
                                         "in a .py file (functions defined in a notebook cannot be spawned) and do no "
                                         "work at import outside `if __name__ == '__main__':`.",
                                         f"생성된 랭크가 여러분의 모듈을 import하지 못했습니다: {record['import']['error']}\n"
                                         "힌트: 생성된 프로세스는 모듈 이름으로 코드를 import하므로 코드는 .py 파일에 있어야 하고(노트북에서 "
                                         "정의한 함수로는 프로세스를 생성할 수 없습니다), import할 때 `if __name__ == '__main__':` 밖에서 "
                                         "아무 작업도 하지 않아야 합니다."))
            entry = record.get(name)
            check(isinstance(entry, dict), say(f"rank {rank} never finished `{name}`: an earlier step crashed or hung that rank.",
                                         f"랭크 {rank}에서 `{name}` 실행이 끝나지 않았습니다: 앞 단계에서 그 랭크가 죽었거나 멈췄습니다."),
                  say("Run `python exercises/s4_4_distributed.py` to see the ranks' own output.",
                      "`python exercises/ko/s4_4_distributed.py`를 실행해 각 랭크의 출력을 직접 보세요."))
            if entry.get("not_started"):
                not_started(name)
            check("error" not in entry, say(f"`{name}` raised on rank {rank}: {entry.get('error')}.",
                                            f"랭크 {rank}의 `{name}`에서 예외가 발생했습니다: {entry.get('error')}."),
                  hint(entry.get("error", "")) if callable(hint) else hint)
            values.append(entry["value"])
        return values


def _stuck(world_size, join_timeout_s=JOIN_TIMEOUT_S):
    """What went wrong with a run whose ranks were still running after join_timeout_s (and were killed)."""
    return say(f"the {world_size}-process run did not finish within {join_timeout_s} s: a rank is stuck, "
               "usually in a collective (all_reduce, barrier) that another rank never reached.\n"
               "Hint: every rank must make the same collective calls in the same order; pass "
               "`timeout=` to init_process_group so a stuck collective raises instead of waiting.",
               f"프로세스 {world_size}개의 실행이 {join_timeout_s}초 안에 끝나지 않았습니다: 어떤 랭크가 멈춰 있습니다. "
               "보통 다른 랭크가 도달하지 못한 집합 연산(all_reduce, barrier 등)에서 멈춥니다.\n"
               "힌트: 모든 랭크는 같은 집합 연산을 같은 순서로 호출해야 합니다. init_process_group에 `timeout=`을 "
               "넘기면 멈춘 집합 연산이 계속 기다리는 대신 예외를 발생시킵니다.")


def _spawn(impl, out_dir, backend, data, world_size=WORLD_SIZE, run_ranks=ranks_run):
    if run_ranks is ranks_run:
        run, join_timeout_s = ranks_run(impl, str(out_dir), backend, world_size, data), JOIN_TIMEOUT_S
    else:
        run, join_timeout_s = run_ranks(impl, str(out_dir), world_size, data), TORCHRUN_JOIN_TIMEOUT_S
    problem, exit_codes = (_stuck(world_size, join_timeout_s) if run["stuck"] else None), run["exit_codes"]
    check(isinstance(exit_codes, list) and len(exit_codes) == world_size,
          say("the run of the ranks reported nothing the grader can read.",
              "랭크 실행에서 채점기가 읽을 수 있는 결과가 하나도 나오지 않았습니다."))
    records = []
    for rank in range(world_size):
        path = Path(out_dir) / f"rank{rank}.pt"
        if not student_files.exists(path, out_dir):
            problem = problem or (say(f"rank {rank} wrote no results (it exited with code {exit_codes[rank]} "
                                      "before its first step: a crash while importing your module?).",
                                      f"랭크 {rank}에서 쓴 결과가 하나도 없습니다(첫 단계 전에 끝났고 종료 코드는 {exit_codes[rank]}입니다: "
                                      "여러분의 모듈을 import하다가 비정상 종료되었을까요?)."))
            records.append({})
        else:
            try:
                record = student_files.load_tensors(path, out_dir)
                check(isinstance(record, dict), say("not a dict", "dict가 아님"))
            except AssertionError as error:  # a file the grader's rank code did not write
                problem = problem or (say(f"rank {rank}'s results cannot be read ({str(error)[:200]}): something "
                                          "other than the grader wrote them.",
                                          f"랭크 {rank}의 결과를 읽을 수 없습니다({str(error)[:200]}): 채점기가 아닌 다른 무언가가 "
                                          "그 파일을 썼습니다."))
                record = {}
            records.append(record)
    return _Ranks(records, problem)


@pytest.fixture(scope="module")
def gloo_data(run_seed):
    return _run_data(run_seed)


@pytest.fixture(scope="module")
def gloo_ranks(impl, student_path_factory, gloo_data):
    return _spawn(impl, student_path_factory.mktemp("gloo_ranks"), "gloo", gloo_data)


def _single_process_training(data, steps):
    """The judge's own single process: `steps` SGD steps of the grader's model on the whole batch."""
    model = _net(data["net_seed"])
    x, y = data["x"], data["y"]
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    for _ in range(steps):
        optimizer.zero_grad()
        F.mse_loss(model(x), y).backward()
        optimizer.step()
    return dict(model.named_parameters())


def _compare(got, expected, what, hint):
    got = expect_type(got, dict, what, hint)
    check(sorted(got) == sorted(expected), say(f"{what} should hold the parameters {sorted(expected)}, got {sorted(got)}.",
                                               f"{what}에 있어야 할 매개변수는 {sorted(expected)}인데 실제로는 {sorted(got)}입니다."),
          hint)
    for name, want in expected.items():
        check(not isinstance(got[name], str), say(f"{what}[{name!r}] should be a plain torch.Tensor, got {got[name]}.",
                                                  f"{what}[{name!r}]: 일반 torch.Tensor여야 하는데 {got[name]}입니다."), hint)
        assert_tensor(got[name], want.detach(), f"{what}[{name!r}]", hint=hint)


# -- checks without processes ---------------------------------------------------------------------


@pytest.mark.points(1)
@pytest.mark.distributed
@pytest.mark.title("find_free_port finds a port that is free right now",
                   ko="find_free_port는 지금 비어 있는 포트를 찾습니다")
def test_free_port_is_found_at_run_time(impl):
    hard_coded = say("Do not hard-code a port: bind a socket to port 0 and read sock.getsockname()[1].",
                     "포트를 코드에 고정해 쓰지 마세요: 소켓을 포트 0에 bind하고 sock.getsockname()[1]을 읽으세요.")
    ports = [impl.find_free_port() for _ in range(3)]
    for port in ports:
        check(type(port) is int and 1024 <= port < 65536,
              say(f"find_free_port() should return a port number (an int in 1024..65535), got {port!r}.",
                  f"find_free_port()는 포트 번호(1024..65535 사이의 int)를 반환해야 하는데 {port!r}입니다."))
    check(len(set(ports)) > 1, say(f"find_free_port() returned {ports[0]} three times in a row: the system picks a new "
                                   "free port each time a socket binds port 0.",
                                   f"find_free_port()가 세 번 연속 같은 포트 {ports[0]}번을 반환했습니다: 소켓이 포트 0에 bind할 "
                                   "때마다 시스템은 새로운 빈 포트를 고릅니다."), hard_coded)
    # Whether a port is free is a fact of the student's own network namespace, seen only there (reported).
    facts = ports_found(impl)
    first = facts["first"]
    check(type(first) is int and 1024 <= first < 65536,
          say(f"find_free_port() should return a port number (an int in 1024..65535), got {first!r}.",
              f"find_free_port()는 포트 번호(1024..65535 사이의 int)를 반환해야 하는데 {first!r}입니다."))
    check("second" in facts or "unbindable" in facts,
          say("find_free_port() could not be called a second time while its first port was held.",
              "첫 번째 포트를 잡아 둔 동안 find_free_port()를 다시 호출할 수 없었습니다."))
    if "second" in facts:
        second = facts["second"]
        check(type(second) is int and second != first,
              say(f"find_free_port() returned {second!r} while port {first} was taken: it must find a port free now.",
                  f"포트 {first}번이 사용 중인데 find_free_port()의 반환값이 {second!r}입니다: 지금 비어 있는 포트를 "
                  f"찾아야 합니다."),
              say("Do not hard-code a port: bind a socket to port 0 and read sock.getsockname()[1].",
                  "포트를 코드에 고정해 쓰지 마세요: 소켓을 포트 0에 bind하고 sock.getsockname()[1]을 읽으세요."))
    if "unbindable" in facts:
        port, error = facts["unbindable"]
        raise AssertionError(say(f"find_free_port() returned {port}, which cannot be bound: {error}.\n"
                                 "Hint: close the socket (a `with` block) before returning its port.",
                                 f"find_free_port()가 bind할 수 없는 포트 {port}번을 반환했습니다: {error}.\n"
                                 "힌트: 포트를 반환하기 전에 소켓을 닫으세요(`with` 블록)."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("Together the ranks visit every sample once per epoch",
                   ko="모든 랭크가 함께 에폭마다 모든 샘플을 한 번씩 방문합니다")
def test_sampler_covers_every_sample_once_per_epoch(impl, run_seed):
    generator = _generator(run_seed, 2)
    for world_size in (2, 3, 4):
        size = world_size * int(torch.randint(2, 6, (1,), generator=generator))  # every rank gets as many
        seed = int(torch.randint(0, 1000, (1,), generator=generator))
        orders = [impl.epoch_indices(size, world_size, rank, 3, seed=seed) for rank in range(world_size)]
        for rank, per_epoch in enumerate(orders):
            expect_type(per_epoch, list, f"epoch_indices({size}, {world_size}, {rank}, 3)")
            check(len(per_epoch) == 3, say(f"epoch_indices(..., epochs=3) should return 3 lists, got {len(per_epoch)}.",
                                           f"epoch_indices(..., epochs=3)는 리스트 3개를 반환해야 하는데 {len(per_epoch)}개입니다."))
            for order in per_epoch:
                kinds = sorted({type(i).__name__ for i in order}) if isinstance(order, list) else []
                check(isinstance(order, list) and kinds in ([], ["int"]),
                      say(f"epoch_indices({size}, {world_size}, {rank}, 3) should give each epoch as a list of ints, "
                          f"got a {type(order).__name__}" + (f" of {', '.join(kinds)}" if kinds else "")
                          + (": a DataLoader batches the indices into tensors; list(sampler) gives the ints."
                             if "Tensor" in kinds else "."),
                          f"epoch_indices({size}, {world_size}, {rank}, 3)는 에폭마다 int 리스트를 반환해야 하는데 "
                          f"{type(order).__name__}({', '.join(kinds)})입니다"
                          + (": DataLoader는 인덱스를 텐서 배치로 묶습니다. list(sampler)는 int를 줍니다."
                             if "Tensor" in kinds else ".")),
                      say("Each epoch: sampler.set_epoch(epoch), then list(sampler).",
                          "에폭마다 sampler.set_epoch(epoch)를 호출한 다음 list(sampler)를 쓰세요."))
        for epoch in range(3):
            seen = sorted(int(i) for rank in range(world_size) for i in orders[rank][epoch])
            check(seen == list(range(size)),
                  say(f"epoch {epoch} of a {size}-sample dataset on {world_size} ranks: together the ranks should visit "
                      f"each index once, visited {seen}.",
                      f"샘플 {size}개짜리 데이터셋, 랭크 {world_size}개, 에폭 {epoch}: 랭크들이 함께 각 인덱스를 한 번씩 "
                      f"방문해야 하는데 실제로 방문한 인덱스는 {seen}입니다."),
                  say("Pass rank=rank (the argument) to DistributedSampler: a rank read from an unset RANK environment "
                      "variable, or left at 0, makes every rank visit the same slice.",
                      "DistributedSampler에 rank=rank(인자)를 넘기세요: 설정되지 않은 RANK 환경 변수에서 읽은 랭크나 0으로 "
                      "남겨 둔 랭크를 쓰면 모든 랭크가 같은 부분을 방문합니다."))
        # Any partition covers the data; the one promised is DistributedSampler's shuffled one (its first epoch
        # here; the later ones are the next check's).
        for rank in range(world_size):
            first = [int(i) for i in orders[rank][0]]
            expected = _sampler_orders(size, world_size, rank, seed, epochs=1)[0]
            check(first == expected,
                  say(f"epoch_indices({size}, {world_size}, {rank}, 3, seed={seed}): the first epoch should be "
                      f"DistributedSampler's shuffled order {expected}, got {first}.",
                      f"epoch_indices({size}, {world_size}, {rank}, 3, seed={seed}): 첫 에폭은 DistributedSampler가 섞은 "
                      f"순서 {first}입니다. 기댓값은 {expected}입니다."),
                  say("Build DistributedSampler(range(dataset_size), num_replicas=world_size, rank=rank, shuffle=True, "
                      "seed=seed) and list its indices each epoch.",
                      "DistributedSampler(range(dataset_size), num_replicas=world_size, rank=rank, shuffle=True, "
                      "seed=seed)를 만들고 에폭마다 그 인덱스를 나열하세요."))


def _sampler_orders(size, world_size, rank, seed, epochs=3):
    """What DistributedSampler gives this rank, epoch after epoch, computed here."""
    sampler = DistributedSampler(range(size), num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    orders = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        orders.append(list(sampler))
    return orders


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("epoch_indices reshuffles the order every epoch",
                   ko="epoch_indices는 에폭마다 순서를 새로 섞습니다")
def test_sampler_reshuffles_each_epoch(impl, run_seed):
    generator = _generator(run_seed, 3)
    cases = []
    while len(cases) < 3:  # seeds whose epochs differ for every rank, so a sampler without set_epoch shows
        seed = int(torch.randint(0, 1000, (1,), generator=generator))
        world_size, rank = ((2, 0), (2, 1), (3, 2))[len(cases)]
        expected = _sampler_orders(12, world_size, rank, seed)
        if len({tuple(order) for order in expected}) == len(expected):
            cases.append((world_size, rank, seed, expected))
    for world_size, rank, seed, expected in cases:
        got = impl.epoch_indices(12, world_size, rank, 3, seed=seed)
        got = [[int(i) for i in order] for order in expect_type(got, list, "epoch_indices(...)")]
        check(len({tuple(order) for order in got}) == len(got),
              say(f"epoch_indices(12, {world_size}, {rank}, 3, seed={seed}) repeats an epoch's order: {got}.",
                  f"epoch_indices(12, {world_size}, {rank}, 3, seed={seed})가 같은 에폭 순서를 되풀이합니다: {got}."),
              say("Call sampler.set_epoch(epoch) before each epoch: without it DistributedSampler shuffles the same "
                  "way every epoch.",
                  "에폭마다 시작 전에 sampler.set_epoch(epoch)를 호출하세요: 그러지 않으면 DistributedSampler는 "
                  "에폭마다 똑같이 섞습니다."))
        check(got == expected,
              say(f"epoch_indices(12, {world_size}, {rank}, 3, seed={seed}): expected DistributedSampler's orders "
                  f"{expected}, got {got}.",
                  f"epoch_indices(12, {world_size}, {rank}, 3, seed={seed}): DistributedSampler의 순서 "
                  f"{got}입니다. 기댓값은 {expected}입니다."),
              say("Build DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed) once "
                  "and call set_epoch(epoch) before iterating it each epoch.",
                  "DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)를 한 번 만들고, "
                  "에폭마다 순회하기 전에 set_epoch(epoch)를 호출하세요."))


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("deepspeed_config gives batch sizes that agree",
                   ko="deepspeed_config의 배치 크기 설정이 서로 맞아떨어집니다")
def test_deepspeed_config_batch_sizes_agree(impl, run_seed):
    generator = _generator(run_seed, 4)
    drawn = [int(v) for v in torch.randint(2, 9, (6,), generator=generator)]
    for micro, accum, world_size, stage, bf16 in ((drawn[0], drawn[1], drawn[2], 2, True),
                                                  (drawn[3], drawn[4], drawn[5], 3, False)):
        config = expect_type(impl.deepspeed_config(micro, accum, world_size, stage, bf16), dict, "deepspeed_config(...)")
        expected = {"train_micro_batch_size_per_gpu": micro, "gradient_accumulation_steps": accum,
                    "train_batch_size": micro * accum * world_size, "zero_optimization": {"stage": stage},
                    "bf16": {"enabled": bf16}}
        for key, want in expected.items():
            got = config.get(key)
            if isinstance(want, dict) and isinstance(got, dict):
                got = {k: got.get(k) for k in want}
            check(got == want, say(f"deepspeed_config(micro_batch_size={micro}, grad_accum_steps={accum}, "
                                   f"world_size={world_size}, zero_stage={stage}, bf16={bf16})[{key!r}]: expected "
                                   f"{want!r}, got {got!r}.",
                                   f"deepspeed_config(micro_batch_size={micro}, grad_accum_steps={accum}, "
                                   f"world_size={world_size}, zero_stage={stage}, bf16={bf16})[{key!r}]: "
                                   f"{got!r}입니다. 기댓값은 {want!r}입니다."),
                  say("train_batch_size counts every sample of one optimizer step over all ranks: micro batch size x "
                      "accumulation steps x world size.",
                      "train_batch_size는 모든 랭크에서 옵티마이저 한 단계에 쓰는 샘플 전체의 수입니다: "
                      "마이크로 배치 크기 x 누적 단계 수 x 월드 크기."))


# -- checks on the 2-process gloo run --------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.distributed
@pytest.mark.title("setup joins the process group with the given timeout",
                   ko="setup은 주어진 타임아웃으로 프로세스 그룹에 참여합니다")
def test_setup_joins_group_with_a_timeout(impl, gloo_ranks, gloo_data):
    joined = gloo_ranks.stage("setup")
    for rank, facts in enumerate(joined):
        check(facts["initialized"], say(f"after setup({rank}, ...) on rank {rank}, dist.is_initialized() is False.",
                                        f"랭크 {rank}에서 setup({rank}, ...) 호출 뒤에도 dist.is_initialized()가 False입니다."),
              say("Call dist.init_process_group inside setup.",
                  "setup 안에서 dist.init_process_group을 호출하세요."))
        check((facts["rank"], facts["world_size"], facts["backend"]) == (rank, WORLD_SIZE, "gloo"),
              say(f"setup({rank}, {WORLD_SIZE}, port, 'gloo') joined as rank {facts['rank']} of {facts['world_size']} "
                  f"with backend {facts['backend']!r}; expected rank {rank} of {WORLD_SIZE} with 'gloo'.",
                  f"setup({rank}, {WORLD_SIZE}, port, 'gloo') 호출로 참여한 프로세스의 백엔드는 {facts['backend']!r}, 랭크는 "
                  f"{facts['world_size']}개 중 {facts['rank']}입니다. 기댓값은 백엔드 'gloo', {WORLD_SIZE}개 중 랭크 {rank}입니다."))
        timeout = facts["timeout_s"]
        check(timeout is None or abs(timeout - COLLECTIVE_TIMEOUT_S) < 1e-3,
              say(f"setup(..., timeout_s={COLLECTIVE_TIMEOUT_S}) made a process group whose timeout is {timeout} s.",
                  f"setup(..., timeout_s={COLLECTIVE_TIMEOUT_S}) 호출로 만든 프로세스 그룹의 타임아웃이 {timeout}초입니다."),
              say("Pass timeout=datetime.timedelta(seconds=timeout_s) to init_process_group; the default timeout "
                  "(30 minutes) lets a stuck collective hang the job.",
                  "init_process_group에 timeout=datetime.timedelta(seconds=timeout_s)를 넘기세요. 기본 타임아웃(30분)이면 "
                  "멈춘 집합 연산 때문에 작업 전체가 멈춥니다."))
    # What the ranks say about their group is shown above; that it connects them, each as its own rank, is
    # measured: the grader's own all_gather right after setup must give every rank the values the judge sent each
    # rank, in rank order.
    expected = gloo_data["handshake"]
    for rank, gathered in enumerate(gloo_ranks.stage("handshake")):
        assert_tensor(gathered, expected, say(f"the values an all_gather the grader made right after setup gave rank "
                                              f"{rank}, in rank order",
                                              f"setup 직후 채점기가 실행한 all_gather가 랭크 {rank}에 준 값(랭크 순서)"),
                      hint=say("setup must join every rank to one group: the same address and port on every rank, its "
                               "own rank and the world size.",
                               "setup은 모든 랭크를 한 그룹에 넣어야 합니다: 모든 랭크에서 같은 주소와 포트, 자기 랭크, "
                               "월드 크기를 쓰세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("build_model gives every rank the same starting weights",
                   ko="build_model은 모든 랭크에 같은 초기 가중치를 줍니다")
def test_ranks_start_from_identical_weights(impl, gloo_ranks, gloo_data):
    built = gloo_ranks.stage("build_model")
    hint = say("Call torch.manual_seed(seed) (the same seed on every rank, not seed + rank) right before creating "
               "the model, so the weights depend on the seed alone.",
               "모델을 만들기 직전에 torch.manual_seed(seed)를 호출하세요(seed + rank가 아니라 모든 랭크에서 같은 시드). "
               "그래야 가중치가 시드로만 정해집니다.")
    first, other = gloo_data["build_seeds"]
    # The judge's own TinyNet, seeded: what every rank must hold, whatever it drew before.
    for rank, models in enumerate(built):
        check(isinstance(models, dict), say(f"build_model on rank {rank} reported nothing the grader can read.",
                                            f"랭크 {rank}의 build_model에서 채점기가 읽을 수 있는 결과가 나오지 않았습니다."))
        for key, seed, what in (("seed0", first, say(f"build_model({first}) on rank {rank}",
                                                     f"랭크 {rank}의 build_model({first})")),
                                ("seed0_again", first, say(f"build_model({first}) built a second time on rank {rank}",
                                                           f"랭크 {rank}에서 두 번째로 만든 build_model({first})")),
                                ("seed1", other, say(f"build_model({other}) on rank {rank}",
                                                     f"랭크 {rank}의 build_model({other})"))):
            got = models.get(key)
            check(isinstance(got, dict), say(f"{what} should return a TinyNet, got {got}.",
                                             f"{what}: TinyNet을 반환해야 하는데 {got}입니다."), hint)
            _compare(got, _tiny_net_state(seed), say(f"{what} against torch.manual_seed({seed}); TinyNet()",
                                                     f"torch.manual_seed({seed}); TinyNet()과 비교한 {what}"), hint)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("average_gradients averages the gradients across ranks",
                   ko="average_gradients는 랭크 간 변화도의 평균을 구합니다")
def test_hand_allreduce_averages_gradients(impl, gloo_ranks, gloo_data):
    # the grader's model with its first bias frozen: that parameter has no .grad, which average_gradients must skip
    model = _net(gloo_data["net_seed"])
    dict(model.named_parameters())[FROZEN].requires_grad_(False)
    F.mse_loss(model(gloo_data["x"]), gloo_data["y"]).backward()
    expected = {name: p.grad for name, p in model.named_parameters() if name != FROZEN}
    hint = say("After backward each rank holds the gradient of its own half; all_reduce with ReduceOp.SUM adds them, "
               "so divide by the world size once (ReduceOp.AVG already divides: summing without dividing, or "
               "dividing twice, scales the step).",
               "역전파 뒤 각 랭크는 배치 중 자기 몫인 절반에 대한 변화도를 가집니다. ReduceOp.SUM으로 all_reduce하면 "
               "더해지므로 월드 크기로 한 번 나누세요(ReduceOp.AVG는 이미 나눕니다: 나누지 않고 더하기만 하거나 "
               "두 번 나누면 갱신 크기가 달라집니다).")
    skip = say("Skip parameters whose .grad is None (a frozen parameter, or one the loss does not use, has none): "
               "dist.all_reduce(None) raises. Test `if p.grad is not None:` before reducing.",
               "변화도(.grad)가 None인 매개변수는 건너뛰세요(동결된 매개변수나 손실에 쓰이지 않는 매개변수에는 .grad가 "
               "없습니다): dist.all_reduce(None)은 예외를 발생시킵니다. 집계하기 전에 `if p.grad is not None:`으로 "
               "확인하세요.")
    seen = gloo_ranks.stage("average_gradients", lambda error: skip if "None" in error or "of type torch.Tensor" in error
                              else hint)
    for rank, reported in enumerate(seen):
        grads = expect_type(reported, dict, say(f"what rank {rank} reported", f"랭크 {rank}의 보고"))
        got = grads.get("grads") if isinstance(grads.get("grads"), dict) else {}
        check(got.get(FROZEN, "missing") is None,
              say(f"after average_gradients on rank {rank} the frozen parameter {FROZEN} has a .grad: parameters "
                  "without a gradient must be left as they are.",
                  f"랭크 {rank}에서 average_gradients 뒤 동결된 매개변수에 .grad가 생겼습니다({FROZEN}). 변화도가 "
                  "없는 매개변수는 그대로 두어야 합니다."), skip)
        _compare({name: g for name, g in got.items() if name != FROZEN}, expected,
                 say(f"the gradients on rank {rank} after average_gradients", f"average_gradients 뒤 랭크 {rank}의 변화도"),
                 hint)
        replaced = grads.get("replaced")
        check(replaced == [],
              say(f"average_gradients on rank {rank} replaced the .grad of {replaced} with new tensors instead of "
                  "averaging them in place.",
                  f"랭크 {rank}에서 average_gradients가 .grad를 제자리에서 평균하지 않고 새 텐서로 바꿨습니다"
                  f"({replaced})."),
              say("all_reduce works in place on p.grad; divide it in place too (p.grad /= world_size or "
                  "p.grad.div_(world_size)), not p.grad = p.grad / world_size.",
                  "all_reduce는 p.grad를 제자리에서 바꿉니다. 나누기도 제자리에서 하세요(p.grad /= world_size 또는 "
                  "p.grad.div_(world_size)). p.grad = p.grad / world_size는 새 텐서를 만듭니다."))


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("DDP training matches one process on the whole batch",
                   ko="DDP 학습은 전체 배치로 학습한 단일 프로세스와 일치합니다")
def test_ddp_matches_single_process_full_batch(impl, gloo_ranks, gloo_data):
    expected = _single_process_training(gloo_data, STEPS)
    hint = say("DistributedDataParallel averages the gradients across ranks during backward: use the mean loss on "
               "this rank's part and do not divide it by the world size or average again (that averages twice).",
               "DistributedDataParallel은 역전파 중에 랭크 간 변화도의 평균을 냅니다: 이 랭크 몫의 평균 손실을 쓰고, "
               "월드 크기로 나누거나 다시 평균하지 마세요(평균을 두 번 내게 됩니다).")
    for rank, state in enumerate(gloo_ranks.stage("train_ddp")):
        check(not isinstance(state, str), say(f"train_ddp should return the trained nn.Module, got {state}.",
                                              f"train_ddp는 학습한 nn.Module을 반환해야 하는데 {state}입니다."))
        _compare(state, expected, say(f"the weights on rank {rank} after {STEPS} DDP steps (single process on the whole "
                                      "batch as reference)",
                                      f"DDP {STEPS}단계 뒤 랭크 {rank}의 가중치(전체 배치로 학습한 단일 프로세스가 기준)"), hint)


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("fsdp_step matches an unsharded training step",
                   ko="fsdp_step은 샤딩하지 않은 학습 단계와 일치합니다")
def test_fsdp_step_matches_unsharded_step(impl, gloo_ranks, gloo_data):
    expected = _single_process_training(gloo_data, 1)
    hint = say("Shard with fully_shard (each Linear, then the root), take one SGD step on the mean loss, and return "
               "p.detach().full_tensor() for each named parameter: to_local() gives only this rank's slice.",
               "fully_shard로 샤딩하고(각 Linear, 그다음 루트 모듈), 평균 손실로 SGD 한 단계를 진행한 뒤, 이름 붙은 "
               "매개변수마다 p.detach().full_tensor()를 반환하세요: to_local()은 이 랭크의 조각만 줍니다.")
    for rank, params in enumerate(gloo_ranks.stage("fsdp_step")):
        check(not isinstance(params, str), say(f"fsdp_step should return a dict of tensors, got {params}.",
                                               f"fsdp_step은 텐서의 dict를 반환해야 하는데 {params}입니다."), hint)
        _compare(params, expected, say(f"fsdp_step's parameters on rank {rank} (an unsharded step on the whole batch "
                                       "as reference)",
                                       f"랭크 {rank}에서 fsdp_step의 매개변수(전체 배치로 샤딩 없이 진행한 한 단계가 기준)"), hint)


@pytest.mark.points(1)
@pytest.mark.distributed
@pytest.mark.title("cleanup destroys the process group",
                   ko="cleanup은 프로세스 그룹을 해제합니다")
def test_cleanup_destroys_process_group(impl, gloo_ranks, gloo_data):
    hint = say("Call dist.destroy_process_group() in cleanup: a group left open leaks its sockets and threads.",
               "cleanup에서 dist.destroy_process_group()을 호출하세요: 열어 둔 그룹은 소켓과 스레드를 계속 붙잡고 있습니다.")
    for rank, still_initialized in enumerate(gloo_ranks.stage("cleanup")):
        check(not still_initialized, say(f"after cleanup() on rank {rank}, dist.is_initialized() is still True.",
                                         f"랭크 {rank}에서 cleanup()을 호출한 뒤에도 dist.is_initialized()가 True입니다."),
              hint)
    # Measured: after cleanup the grader makes a new default group on a new port with the ranks in reverse order
    # (init_process_group refuses while the old one exists) and broadcasts from its rank 0; every rank must get
    # the value the judge sent the last rank (in a group that was never destroyed it would be the first's).
    expected = gloo_data["again"][WORLD_SIZE - 1]
    for rank, received in enumerate(gloo_ranks.stage("again")):
        assert_tensor(received, expected, say(f"what rank {rank} received from a broadcast in the new group the grader "
                                              "made after cleanup, with the ranks in reverse order",
                                              f"cleanup 뒤 채점기가 랭크 순서를 뒤집어 새로 만든 그룹에서 랭크 {rank}번 프로세스가 "
                                              "broadcast로 받은 값"),
                      hint=hint)


# -- launched by torchrun: each rank's place read from its environment ------------------------------
@pytest.mark.points(2)
@pytest.mark.distributed
@pytest.mark.title("setup_from_env joins the group as torchrun's environment says",
                   ko="setup_from_env는 torchrun이 설정한 환경 변수대로 그룹에 참여합니다")
def test_setup_from_env_joins_as_torchrun_says(impl, student_path_factory, run_seed):
    """Two processes whose environment is set as torchrun sets it for two machines of one process each, in reverse
    order (the first process started is RANK 1; LOCAL_RANK is 0 on both): what setup_from_env returned and the
    group it made, which the grader's own all_gather measures (every rank must get each rank's value in RANK
    order)."""
    values = torch.randn(WORLD_SIZE, 3, generator=_generator(run_seed, 6))
    ranks = _spawn(impl, student_path_factory.mktemp("torchrun_ranks"), "gloo", {"torchrun": values},
                   run_ranks=torchrun_ranks_run)
    env_text = "; ".join(" ".join(f"{k}={v}" for k, v in torchrun_environment(index, WORLD_SIZE, "<port>").items()
                                  if k in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "MASTER_PORT"))
                         for index in range(WORLD_SIZE))
    hint = say("Read RANK (the global rank), LOCAL_RANK and WORLD_SIZE from os.environ with int(...), pass rank and "
               "world_size to dist.init_process_group with timeout=datetime.timedelta(seconds=timeout_s) (MASTER_ADDR "
               "and MASTER_PORT are read by the default init_method, env://), and return (rank, local_rank, "
               "world_size). LOCAL_RANK is the index on one machine: with one process per machine it is 0 "
               "everywhere, and two processes that both join as rank 0 cannot form a group.",
               "os.environ에서 RANK(전역 랭크), LOCAL_RANK, WORLD_SIZE를 int(...)로 읽고, rank와 world_size를 "
               "timeout=datetime.timedelta(seconds=timeout_s)와 함께 dist.init_process_group에 넘긴 뒤(MASTER_ADDR와 "
               "MASTER_PORT는 기본 init_method인 env://가 읽습니다) (rank, local_rank, world_size)를 반환하세요. "
               "LOCAL_RANK는 한 머신 안에서의 번호입니다: 머신마다 프로세스가 하나면 모두 0이고, 둘 다 랭크 0으로 "
               "참여하는 프로세스 두 개는 그룹을 만들 수 없습니다.")
    try:
        joined = ranks.stage("setup_from_env")
    except AssertionError as error:
        check(False, say(f"{error}\nThe environments were: {env_text}.", f"{error}\n환경 변수: {env_text}."), hint)
    for index, facts in enumerate(joined):
        rank = WORLD_SIZE - 1 - index
        returned = facts["returned"]
        check(returned == [rank, 0, WORLD_SIZE],
              say(f"setup_from_env() in the process whose environment says RANK={rank} LOCAL_RANK=0 "
                  f"WORLD_SIZE={WORLD_SIZE} returned {returned}; expected ({rank}, 0, {WORLD_SIZE}) as ints"
                  + (": environment values are strings, convert them with int(...)." if isinstance(returned, list)
                     and any(isinstance(v, str) for v in returned) else "."),
                  f"환경 변수가 RANK={rank} LOCAL_RANK=0 WORLD_SIZE={WORLD_SIZE}인 프로세스에서 setup_from_env()의 "
                  f"반환값은 {returned}입니다. 기댓값은 int ({rank}, 0, {WORLD_SIZE})입니다"
                  + (": 환경 변수 값은 문자열이므로 int(...)로 바꾸세요." if isinstance(returned, list)
                     and any(isinstance(v, str) for v in returned) else ".")), hint)
        check(facts["initialized"] and (facts["rank"], facts["world_size"]) == (rank, WORLD_SIZE),
              say(f"after setup_from_env() with RANK={rank}, the process joined as rank {facts.get('rank')} of "
                  f"{facts.get('world_size')}; expected rank {rank} of {WORLD_SIZE}.",
                  f"RANK={rank}일 때 setup_from_env() 뒤 프로세스는 {facts.get('world_size')}개 중 랭크 "
                  f"{facts.get('rank')}(으)로 참여했습니다. 기댓값은 {WORLD_SIZE}개 중 랭크 {rank}입니다."), hint)
        timeout = facts["timeout_s"]
        check(timeout is None or abs(timeout - COLLECTIVE_TIMEOUT_S) < 1e-3,
              say(f"setup_from_env(timeout_s={COLLECTIVE_TIMEOUT_S}) made a process group whose timeout is {timeout} s.",
                  f"setup_from_env(timeout_s={COLLECTIVE_TIMEOUT_S}) 호출로 만든 프로세스 그룹의 타임아웃이 "
                  f"{timeout}초입니다."),
              say("Pass timeout=datetime.timedelta(seconds=timeout_s) to init_process_group.",
                  "init_process_group에 timeout=datetime.timedelta(seconds=timeout_s)를 넘기세요."))
    expected = values.flip(0)  # row r: the value of the process whose RANK is r
    for index, gathered in enumerate(ranks.stage("gathered")):
        assert_tensor(gathered, expected, say(f"what the grader's all_gather gave the process with RANK="
                                              f"{WORLD_SIZE - 1 - index}, in rank order",
                                              f"채점기의 all_gather가 RANK={WORLD_SIZE - 1 - index}인 프로세스에 준 값"
                                              "(랭크 순서)"), hint=hint)


# -- with CUDA ------------------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.gpu
@pytest.mark.distributed
@pytest.mark.title("DDP over NCCL on the GPU matches a single process",
                   ko="GPU에서 NCCL로 실행한 DDP는 단일 프로세스와 일치합니다")
def test_ddp_over_nccl_matches_single_process(impl, student_path, run_seed):
    # NCCL wants one GPU per rank: on a one-GPU machine this is a 1-rank run (still NCCL, DDP and CUDA).
    world_size = min(WORLD_SIZE, torch.cuda.device_count())
    data = _run_data(run_seed, world_size)
    ranks = _spawn(impl, student_path, "nccl", data, world_size)
    ranks.stage("setup")
    expected = _single_process_training(data, STEPS)
    for rank, state in enumerate(ranks.stage("train_ddp")):
        check(not isinstance(state, str), say(f"train_ddp should return the trained nn.Module, got {state}.",
                                              f"train_ddp는 학습한 nn.Module을 반환해야 하는데 {state}입니다."))
        _compare(state, expected, say(f"the weights on GPU rank {rank} after {STEPS} DDP steps over NCCL",
                                      f"NCCL로 DDP {STEPS}단계를 진행한 뒤 GPU 랭크 {rank}의 가중치"),
                 say("Pass device_ids=[x.device.index] to DistributedDataParallel for a CUDA model.",
                     "CUDA 모델에는 DistributedDataParallel에 device_ids=[x.device.index]를 넘기세요."))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.distributed
@pytest.mark.title("DeepSpeed accepts the config deepspeed_config builds",
                   ko="DeepSpeed는 deepspeed_config가 만든 설정을 받아들입니다")
def test_deepspeed_accepts_the_config(impl, monkeypatch):
    deepspeed = pytest.importorskip("deepspeed", reason=say("DeepSpeed is not installed",
                                                            "DeepSpeed가 설치되어 있지 않습니다"))
    config = impl.deepspeed_config(2, 2, 1, 2, torch.cuda.is_bf16_supported())
    config["optimizer"] = {"type": "SGD", "params": {"lr": LR}}
    port = _free_port()
    for key, value in {"RANK": "0", "LOCAL_RANK": "0", "WORLD_SIZE": "1", "MASTER_ADDR": "127.0.0.1",
                       "MASTER_PORT": str(port)}.items():
        monkeypatch.setenv(key, value)
    model = _net(0).cuda()
    engine, _, _, _ = deepspeed.initialize(model=model, model_parameters=model.parameters(), config=config)
    try:
        check(engine.train_batch_size() == config["train_batch_size"] == 4,
              say(f"DeepSpeed's train batch size is {engine.train_batch_size()}, the config says "
                  f"{config['train_batch_size']}; expected 4 (2 x 2 x 1).",
                  f"DeepSpeed의 학습 배치 크기는 {engine.train_batch_size()}, 설정의 train_batch_size는 {config['train_batch_size']}입니다. "
                  f"4(2 x 2 x 1)여야 합니다."))
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


# -- large-model training in one process: mixed precision and activation checkpointing ------------
def _amp_batch(run_seed):
    generator = _generator(run_seed, 5)
    x = torch.randn(64, 8, generator=generator)
    return x, x[:, :1] * 1.5 - x[:, 2:3] + 0.1 * torch.randn(64, 1, generator=generator)


def _autocast_reference(x, y, autocast=True):
    """(losses, parameters) of AMP_STEPS bfloat16-autocast SGD steps on the grader's own _amp_net() (or the same
    steps in float32 throughout, with autocast=False)."""
    model = _amp_net()
    optimizer = torch.optim.SGD(model.parameters(), lr=AMP_LR)
    losses = []
    for _ in range(AMP_STEPS):
        optimizer.zero_grad()
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=autocast):
            loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, {name: p.detach().clone() for name, p in model.named_parameters()}


@pytest.mark.points(3)
@pytest.mark.numerics
@pytest.mark.title("autocast_train_step computes in bfloat16 and keeps float32 weights",
                   ko="autocast_train_step은 bfloat16으로 계산하고 가중치는 float32로 유지합니다")
def test_autocast_step_runs_matmuls_in_bf16_with_fp32_weights(impl, run_seed):
    x, y = _amp_batch(run_seed)
    seen = autocast_training(impl, x, y)
    check("raised" not in seen, say(f"autocast_train_step raised {seen.get('raised')}",
                                    f"autocast_train_step에서 예외가 발생했습니다: {seen.get('raised')}"),
          say("Run the forward pass and the loss inside torch.autocast(device_type=x.device.type, "
              "dtype=torch.bfloat16); the data and the model stay float32.",
              "순전파와 손실 계산을 torch.autocast(device_type=x.device.type, dtype=torch.bfloat16) 안에서 "
              "실행하세요. 데이터와 모델은 float32 그대로 둡니다."))
    cast = {name: dtype for name, dtype in seen["dtypes"].items() if dtype != "torch.float32"}
    check(not cast,
          say(f"After autocast_train_step the parameters are {cast}: the model was cast to a 16-bit type. Mixed "
              "precision keeps float32 master weights (and float32 gradients) and lowers only the computation.",
              f"autocast_train_step 뒤 매개변수가 {cast}입니다: 모델을 16비트 타입으로 캐스팅했습니다. 혼합 정밀도는 "
              "float32 마스터 가중치(와 float32 변화도)를 유지하고 계산만 낮은 정밀도로 합니다."),
          say("Do not call model.to(torch.bfloat16) or model.bfloat16(): torch.autocast chooses the type of each "
              "operation inside its block.",
              "model.to(torch.bfloat16)나 model.bfloat16()을 호출하지 마세요: torch.autocast가 블록 안에서 연산마다 "
              "타입을 고릅니다."))
    check(seen["outputs"] == ["torch.bfloat16"],
          say(f"The model's Linear layers produced {seen['outputs']} inside autocast_train_step; under bfloat16 "
              "autocast they compute in torch.bfloat16: the step ran without autocast.",
              f"autocast_train_step 안에서 모델의 Linear 계층 출력이 {seen['outputs']}입니다. bfloat16 autocast에서는 "
              "torch.bfloat16으로 계산합니다: autocast 없이 단계를 실행했습니다."),
          say("Wrap the forward pass and the loss in `with torch.autocast(device_type=x.device.type, "
              "dtype=torch.bfloat16):`.",
              "순전파와 손실 계산을 `with torch.autocast(device_type=x.device.type, dtype=torch.bfloat16):`로 "
              "감싸세요."))
    check(seen["grads"] == ["torch.float32"],
          say(f"The gradients that reached the parameters were {seen['grads']}; they should be torch.float32.",
              f"매개변수에 도달한 변화도가 {seen['grads']}입니다. torch.float32여야 합니다."),
          say("Call loss.backward() on the loss autocast computed, with float32 parameters.",
              "매개변수는 float32로 둔 채, autocast가 계산한 손실에 loss.backward()를 호출하세요."))
    losses, params = _autocast_reference(x, y)
    returned = seen["losses"]
    check(all(isinstance(loss, (int, float)) for loss in returned),
          say(f"autocast_train_step should return the loss as a Python float, got {returned[:2]}.",
              f"autocast_train_step은 손실을 Python float로 반환해야 하는데 {returned[:2]}입니다."),
          say("Return loss.item().", "loss.item()을 반환하세요."))
    check(returned[-1] < 0.5 * returned[0] and all(abs(a - b) <= 0.02 * abs(b) + 1e-3 for a, b in zip(returned, losses)),
          say(f"Over {AMP_STEPS} SGD steps (lr={AMP_LR}) the losses returned were "
              f"{[round(v, 4) for v in returned]}; bfloat16 autocast training gives {[round(v, 4) for v in losses]}.",
              f"SGD {AMP_STEPS}단계(lr={AMP_LR}) 동안 반환된 손실은 {[round(v, 4) for v in returned]}입니다. bfloat16 "
              f"autocast 학습에서 나오는 손실은 {[round(v, 4) for v in losses]}입니다."),
          say("Each call is one step: optimizer.zero_grad(), the autocast forward and mean MSE loss, "
              "loss.backward(), optimizer.step(), and the loss of that forward pass.",
              "호출 한 번이 한 단계입니다: optimizer.zero_grad(), autocast 순전파와 평균 MSE 손실, loss.backward(), "
              "optimizer.step(), 그리고 그 순전파의 손실을 반환합니다."))
    got = seen["params"] if isinstance(seen.get("params"), dict) else {}
    for name, want in params.items():
        assert_tensor(got.get(name), want, say(f"{name} after {AMP_STEPS} autocast steps",
                                               f"autocast {AMP_STEPS}단계 뒤의 {name}"),
                      rtol=2e-2, atol=2e-2)
    # What the hooks saw (above) comes from the student's process; that the steps ran in bfloat16 is measured:
    # the weights must be those of bfloat16 autocast training, much nearer to them than float32 training ends.
    _, float32 = _autocast_reference(x, y, autocast=False)
    apart = max(float((params[name] - float32[name]).abs().max()) for name in params)
    off = max(float((got[name].float() - params[name]).abs().max()) for name in params)
    check(off <= 0.2 * apart,
          say(f"after {AMP_STEPS} steps the weights are {off:.2e} away from bfloat16 autocast training's (at most); "
              f"float32 training ends {apart:.2e} away from it, so these steps did not compute in bfloat16 under "
              "autocast with float32 master weights.",
              f"{AMP_STEPS}단계 뒤 가중치가 bfloat16 autocast 학습의 가중치와 (최대) {off:.2e}만큼 다릅니다. float32 "
              f"학습은 {apart:.2e}만큼 다르므로, 이 단계들은 float32 마스터 가중치로 autocast 안에서 bfloat16으로 계산한 "
              "것이 아닙니다."),
          say("Run the forward pass and the loss inside torch.autocast(device_type=x.device.type, "
              "dtype=torch.bfloat16); the data and the model stay float32.",
              "순전파와 손실 계산을 torch.autocast(device_type=x.device.type, dtype=torch.bfloat16) 안에서 "
              "실행하세요. 데이터와 모델은 float32 그대로 둡니다."))


_SCALE, _GROWTH = 2.0 ** 12, 2  # the GradScaler the grader hands fp16_scaled_train_step: its first scale, and
                                 # the steps without overflow after which it doubles


def _scaled_batches(run_seed):
    """This run's batches for fp16_scaled_train_step: first one whose targets are so far off that, at a scale of
    2 ** 12, the gradient reaching the last layer's float16 output overflows (inf), then four ordinary ones."""
    x, y = _amp_batch(run_seed)
    generator = _generator(run_seed, 7)
    far = torch.full_like(y, 2000.0) + 100 * torch.rand(y.shape, generator=generator)
    return [(x, far)] + [(x[i::4], y[i::4]) for i in range(4)]


def _scaled_reference(batches, scaled=True):
    """The judge's own float16 autocast steps on _amp_net() with SGD(lr=AMP_LR): with its own GradScaler("cpu")
    (or without any scaling): after each step, (loss, scale, parameters)."""
    model = _amp_net()
    optimizer = torch.optim.SGD(model.parameters(), lr=AMP_LR)
    scaler = torch.amp.GradScaler("cpu", init_scale=_SCALE, growth_interval=_GROWTH)
    steps = []
    for x, y in batches:
        optimizer.zero_grad()
        with torch.autocast(device_type="cpu", dtype=torch.float16):
            loss = F.mse_loss(model(x), y)
        if scaled:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            loss.backward()
            if all(torch.isfinite(p.grad).all() for p in model.parameters()):
                optimizer.step()
        steps.append((loss.item(), scaler.get_scale() if scaled else 1.0,
                      {name: p.detach().clone() for name, p in model.named_parameters()}))
    return steps


@pytest.fixture(scope="module")
def scaled_run(impl, run_seed):
    batches = _scaled_batches(run_seed)
    expected = _scaled_reference(batches)
    start = {name: p.detach() for name, p in _amp_net().named_parameters()}
    if expected[0][1] != _SCALE / 2 or any(not torch.equal(expected[0][2][k], v) for k, v in start.items()):
        raise RuntimeError("the grader's overflowing batch did not overflow in its own run")  # the kit's problem
    return batches, expected, scaled_training(impl, batches, _SCALE, _GROWTH)


_SCALER_HINT = say("optimizer.zero_grad(); the forward pass and the loss inside torch.autocast(device_type="
                   "x.device.type, dtype=torch.float16); scaler.scale(loss).backward(); scaler.step(optimizer); "
                   "scaler.update(); return loss.item().",
                   "optimizer.zero_grad(). 순전파와 손실 계산은 torch.autocast(device_type=x.device.type, "
                   "dtype=torch.float16) 안에서. 그다음 scaler.scale(loss).backward(), scaler.step(optimizer), "
                   "scaler.update(), 그리고 loss.item()을 반환하세요.")


def _scaled_steps(seen, count):
    steps = seen["steps"]
    for index, step in enumerate(steps[:count]):
        check("raised" not in step, say(f"fp16_scaled_train_step raised on call {index + 1}: {step.get('raised')}",
                                        f"fp16_scaled_train_step의 {index + 1}번째 호출에서 예외가 발생했습니다: "
                                        f"{step.get('raised')}"), _SCALER_HINT)
    check(len(steps) >= count, say("fp16_scaled_train_step did not answer every call.",
                                   "fp16_scaled_train_step이 모든 호출에 답하지 않았습니다."))
    return steps


def _check_loss(got, want, scale, what):
    check(isinstance(got, (int, float)), say(f"{what}: fp16_scaled_train_step should return the loss as a Python "
                                             f"float, got {got}.",
                                             f"{what}: fp16_scaled_train_step은 손실을 Python float로 반환해야 하는데 "
                                             f"{got}입니다."), say("Return loss.item().", "loss.item()을 반환하세요."))
    scaled = abs(got - want * scale) <= 1e-3 * abs(want * scale)
    check(abs(got - want) <= 1e-3 * abs(want) + 1e-6,
          say(f"{what}: returned the loss {got:.6g}; the float16 autocast loss is {want:.6g}"
              + (f": that is the scaled loss (x {scale:g})." if scaled else "."),
              f"{what}: 반환한 손실이 {got:.6g}입니다. float16 autocast 손실은 {want:.6g}입니다"
              + (f": 스케일링한 손실(x {scale:g})입니다." if scaled else ".")),
          say("Return loss.item(), the loss before scaler.scale multiplies it.",
              "scaler.scale이 곱하기 전의 손실, loss.item()을 반환하세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("fp16_scaled_train_step skips a step whose gradients overflow and lowers the scale",
                   ko="fp16_scaled_train_step은 변화도가 오버플로한 단계를 건너뛰고 스케일을 낮춥니다")
def test_fp16_scaled_step_skips_an_overflowing_step(impl, scaled_run):
    """The first batch overflows float16 at the scale 2 ** 12 (checked in the judge's own run): the weights must
    stay exactly as they were and the scale must halve."""
    batches, expected, seen = scaled_run
    step = _scaled_steps(seen, 1)[0]
    want_loss, want_scale, _ = expected[0]
    got = step["params"]
    start = {name: p.detach() for name, p in _amp_net().named_parameters()}
    finite = all(type(got.get(name)) is torch.Tensor and bool(torch.isfinite(got[name]).all()) for name in start)
    check(finite,
          say("After a step whose float16 gradients overflowed, the weights hold inf or nan: the overflowed "
              "gradients were applied.",
              "float16 변화도가 오버플로한 단계 뒤 가중치에 inf나 nan이 있습니다: 오버플로한 변화도가 적용되었습니다."),
          say("Call scaler.step(optimizer), not optimizer.step(): it unscales the gradients and skips the step when "
              "any of them is inf or nan.",
              "optimizer.step()이 아니라 scaler.step(optimizer)를 호출하세요: 변화도를 원래 크기로 되돌리고, 하나라도 "
              "inf나 nan이면 단계를 건너뜁니다."))
    for name, want in start.items():
        assert_tensor(got[name], want, say(f"{name} after a step whose gradients overflowed (the step must be "
                                           "skipped: the weights unchanged)",
                                           f"변화도가 오버플로한 단계 뒤의 {name}(단계를 건너뛰어야 하므로 가중치는 그대로)"),
                      rtol=0, atol=0, hint=say("Let scaler.step(optimizer) decide whether the step is taken.",
                                               "단계를 진행할지는 scaler.step(optimizer)가 정하게 하세요."))
    check(step["scale"] == want_scale,
          say(f"after the step that overflowed, scaler.get_scale() is {step['scale']:g}; expected {want_scale:g} "
              f"(the scale {_SCALE:g} halved)"
              + (": scaler.update() was not called, so the scale is never lowered." if step["scale"] == _SCALE
                 else "."),
              f"오버플로한 단계 뒤 scaler.get_scale()이 {step['scale']:g}입니다. 기댓값은 {want_scale:g}"
              f"(스케일 {_SCALE:g}의 절반)입니다"
              + (": scaler.update()를 호출하지 않아 스케일이 줄지 않습니다." if step["scale"] == _SCALE else ".")),
          say("Call scaler.update() after scaler.step(optimizer), every step.",
              "단계마다 scaler.step(optimizer) 뒤에 scaler.update()를 호출하세요."))
    _check_loss(step["loss"], want_loss, _SCALE, say("the step that overflowed", "오버플로한 단계"))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("fp16_scaled_train_step computes in float16 and matches the same steps without scaling",
                   ko="fp16_scaled_train_step은 float16으로 계산하고, 스케일링 없이 진행한 같은 단계와 일치합니다")
def test_fp16_scaled_step_matches_an_unscaled_step(impl, scaled_run):
    """After the skipped step, four ordinary ones: the judge's own GradScaler run gives the weights (the same, to
    rounding, as the same float16 autocast steps without any scaling: the scale is a power of two), the losses and
    the scale, which doubles after every 2 steps without overflow."""
    batches, expected, seen = scaled_run
    steps = _scaled_steps(seen, len(batches))
    check(seen["outputs"] == ["torch.float16"],
          say(f"The model's Linear layers produced {seen['outputs']} inside fp16_scaled_train_step; under float16 "
              "autocast they compute in torch.float16"
              + (": the step used bfloat16." if "torch.bfloat16" in seen["outputs"] else "."),
              f"fp16_scaled_train_step 안에서 모델의 Linear 계층 출력이 {seen['outputs']}입니다. float16 autocast에서는 "
              "torch.float16으로 계산합니다" + (": 단계가 bfloat16을 썼습니다." if "torch.bfloat16" in seen["outputs"]
                                               else ".")),
          say("Wrap the forward pass and the loss in `with torch.autocast(device_type=x.device.type, "
              "dtype=torch.float16):`; the model stays float32.",
              "순전파와 손실 계산을 `with torch.autocast(device_type=x.device.type, dtype=torch.float16):`로 감싸세요. "
              "모델은 float32 그대로 둡니다."))
    cast = {name: dtype for name, dtype in seen["dtypes"].items() if dtype != "torch.float32"}
    check(not cast and seen["grads"] == ["torch.float32"],
          say(f"after fp16_scaled_train_step the parameters are {cast or 'float32'} and their gradients "
              f"{seen['grads']}: float16 mixed precision keeps float32 weights and gradients.",
              f"fp16_scaled_train_step 뒤 매개변수는 {cast or 'float32'}, 그 변화도는 {seen['grads']}입니다: float16 "
              "혼합 정밀도는 가중치와 변화도를 float32로 유지합니다."),
          say("Do not cast the model: torch.autocast chooses each operation's type.",
              "모델을 캐스팅하지 마세요: torch.autocast가 연산마다 타입을 고릅니다."))
    unscaled = _scaled_reference(batches[1:], scaled=False)  # the first step is skipped
    for index in range(1, len(batches)):
        want_loss, want_scale, _ = expected[index]
        what = say(f"ordinary step {index}", f"일반 단계 {index}")
        _check_loss(steps[index]["loss"], want_loss, expected[index - 1][1], what)
        check(steps[index]["scale"] == want_scale,
              say(f"{what}: scaler.get_scale() is {steps[index]['scale']:g}; expected {want_scale:g} (the scale "
                  f"doubles after {_GROWTH} steps in a row without overflow).",
                  f"{what}: scaler.get_scale()이 {steps[index]['scale']:g}입니다. 기댓값은 {want_scale:g}입니다(오버플로 "
                  f"없는 단계가 {_GROWTH}번 이어지면 스케일이 두 배가 됩니다)."),
              say("Call scaler.update() once after every scaler.step(optimizer).",
                  "scaler.step(optimizer)마다 그 뒤에 scaler.update()를 한 번 호출하세요."))
    got = steps[-1]["params"]
    for name, want in expected[-1][2].items():
        assert_tensor(got.get(name), want, say(f"{name} after the skipped step and {len(batches) - 1} ordinary ones",
                                               f"건너뛴 단계와 일반 단계 {len(batches) - 1}개 뒤의 {name}"),
                      rtol=1e-4, atol=1e-6, hint=_SCALER_HINT)
    # the judge's own sanity: scaling by a power of two changes nothing in a step that does not overflow
    apart = max(float((expected[-1][2][k] - unscaled[-1][2][k]).abs().max()) for k in unscaled[-1][2])
    if apart > 1e-5:
        raise RuntimeError(f"the judge's scaled and unscaled float16 steps differ by {apart:.2e}")


def _stack_data(run_seed):
    generator = _generator(run_seed, 12)
    return torch.randn(5, WIDTH, generator=generator), torch.randn(5, WIDTH, generator=generator)


def _expected_running_stats(x, runs):
    """The running statistics of the grader's blocks when block i's forward runs runs[i] times on its input."""
    blocks = _blocks()
    with torch.no_grad():
        for block, times in zip(blocks, runs):
            for _ in range(times):
                out = block(x)
            x = out
    return _running_stats(blocks)


@pytest.mark.points(2)
@pytest.mark.gradients
@pytest.mark.title("CheckpointedStack gives the same gradients, recomputing each block",
                   ko="CheckpointedStack은 블록마다 다시 계산하며 같은 변화도를 냅니다")
def test_checkpointed_stack_recomputes_blocks_with_same_gradients(impl, run_seed):
    x, weights = _stack_data(run_seed)
    seen = checkpointed_backward(impl, x, weights)
    check("raised" not in seen, say(f"CheckpointedStack(blocks)(x) and backward raised {seen.get('raised')}",
                                    f"CheckpointedStack(blocks)(x)와 역전파에서 예외가 발생했습니다: {seen.get('raised')}"),
          say("Keep the given __init__ (self.blocks) and in forward pass each block and its input to "
              "torch.utils.checkpoint.checkpoint(block, h, use_reentrant=False).",
              "주어진 __init__(self.blocks)을 그대로 두고, forward에서 각 블록과 그 입력을 "
              "torch.utils.checkpoint.checkpoint(block, h, use_reentrant=False)에 넘기세요."))
    blocks = _blocks()
    out = x
    for block in blocks:
        out = block(out)
    (out * weights).sum().backward()
    assert_tensor(seen["out"], out.detach(), say("CheckpointedStack's output", "CheckpointedStack의 출력"),
                  hint=say("Apply the blocks in order, each to the previous block's output.",
                           "블록을 차례로, 각각 앞 블록의 출력에 적용하세요."))
    check(seen["requires_grad"],
          say("CheckpointedStack's output does not require grad for an input that does not (a batch of data): "
              "nothing will reach the blocks' parameters. That is the reentrant checkpoint, the one used when "
              "use_reentrant is left out or True.",
              "requires_grad가 아닌 입력(데이터 배치)에 대해 CheckpointedStack의 출력이 requires_grad가 아닙니다: "
              "블록의 매개변수에 아무것도 전달되지 않습니다. 이는 use_reentrant를 생략하거나 True로 줄 때 쓰이는 재진입(reentrant) "
              "체크포인트의 동작입니다."),
          say("Call checkpoint(block, h, use_reentrant=False).", "checkpoint(block, h, use_reentrant=False)를 호출하세요."))
    for i, block in enumerate(blocks):
        for name, p in block.named_parameters():
            key = f"{i}.{name}"
            what = say(f"the gradient of block {i}'s {name}", f"블록 {i}의 {name}에 대한 변화도")
            check(seen["grads"][key] is not None, say(f"{what} is None after backward.", f"{what}: 역전파 뒤에도 None입니다."),
                  say("Checkpoint every block with use_reentrant=False.",
                      "모든 블록을 use_reentrant=False로 체크포인트하세요."))
            assert_tensor(seen["grads"][key], p.grad, what,
                          hint=say("Checkpointing must not change the gradients: pass the block and its input to "
                                   "checkpoint and use what it returns.",
                                   "체크포인팅은 변화도를 바꾸면 안 됩니다: 블록과 그 입력을 checkpoint에 넘기고 그 반환값을 "
                                   "쓰세요."))
    # How often each block ran is measured by its BatchNorm's running statistics, computed here for one run and
    # for two (the counts a pre-hook saw, from the student's process, are shown). checkpoint_sequential keeps the
    # last segment's activations (backward starts there): the last block may run once.
    running = seen.get("running") if isinstance(seen.get("running"), dict) else {}

    def ran(runs):
        expected = _expected_running_stats(x, runs)
        return all(type(running.get(key)) is torch.Tensor and running[key].shape == want.shape
                   and torch.allclose(running[key].float(), want, rtol=1e-4, atol=1e-6) for key, want in expected.items())
    never = ran([1] * BLOCKS)
    check(ran([2] * BLOCKS) or ran([2] * (BLOCKS - 1) + [1]),
          say(f"Each block's forward should run once in forward and once more in backward (the recomputation "
              f"checkpointing trades for memory), which updates each block's BatchNorm running statistics twice; they "
              f"show {'one run of every block' if never else 'neither'} (a hook counted {seen['forward']} runs after "
              f"forward, {seen['backward']} after backward). "
              + ("No block was recomputed: nothing was checkpointed." if never else ""),
              f"각 블록의 순전파는 순전파 때 한 번, 역전파 때 한 번 더(체크포인팅이 메모리와 맞바꾸는 재계산) 실행되어야 "
              f"하고, 그러면 블록마다 BatchNorm의 누적 통계가 두 번 갱신됩니다. 그런데 통계를 보면 "
              f"{'모든 블록이 한 번씩만 실행되었습니다' if never else '한 번 실행과도 두 번 실행과도 맞지 않습니다'}(훅이 센 횟수: 순전파 뒤 "
              f"{seen['forward']}, 역전파 뒤 {seen['backward']}). "
              + ("다시 계산된 블록이 없습니다: 아무것도 체크포인트되지 않았습니다." if never else "")),
          say("Run each block through torch.utils.checkpoint.checkpoint(block, h, use_reentrant=False) instead of "
              "calling it directly.",
              "각 블록을 직접 호출하지 말고 torch.utils.checkpoint.checkpoint(block, h, use_reentrant=False)로 "
              "실행하세요."))
