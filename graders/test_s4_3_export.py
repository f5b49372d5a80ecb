"""4.3 ONNX and TorchScript export: the promises of exercises/s4_3_export.py.

Student functions run beside the student's code (the @observation functions of
graders/observations/s4_3_export.py) on a model built there from a seed; expected outputs come from the grader's own copy, built here from the same
seed and run in evaluation mode, so nothing the student does to the model moves the target. Seeds of the
models and inputs the files are judged on are drawn from this run's `run_seed`.

Every file the student's code writes lands in a `student_path` folder and is read here only through
graders/support/student_files.py (regular files inside that folder, bounded, a private copy for parsers that
need a path). ONNX files are checked and run here with onnx and onnxruntime. torch.export's .pt2 archives are
read here as data (the JSON graph and the raw weights; a pickled weight is refused) and run by the judge over
the few ATen operators an eval-mode Classifier needs. TorchScript archives are never loaded here (loading
TorchScript runs code): their code/ text is read for what tracing, scripting and freezing leave in it, and the
modules run in the student's process beside numbers the judge computes.
"""
import copy
import io
import json
import re
import sys
import zipfile

import numpy
import onnx
import onnxruntime
import pytest
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper

from graders.observations.s4_3_export import (
    IN_FEATURES,
    _classifier,
    _conv_net,
    _gated,
    _quant_net,
    exported_program_outputs,
    frozen_conv_net,
    onnx_exported,
    program_saved_and_loaded,
    quantized_net,
    run_onnx_on_layer_output,
    saved_sizes,
    scripted_gated_reloaded,
    traced_gated,
)
from graders.support import errors, student_files
from graders.support.assertions import assert_scalar, assert_tensor, check, expect_tensor, say
from ptgrade.judge.remote import WorkerProblem
from ptgrade.protocol import wire

EXAMPLE_BATCH = 4
ONNX_BATCHES = (1, 3, 9)
PROGRAM_BATCHES = (3, 7)
RUN_ONNX_NAMES = ("pixels", "scan", "readings", "measurements", "signal", "batch_in")  # never "x" nor "input"


def _eval_outputs(model, x):
    reference = copy.deepcopy(model).eval()
    with torch.no_grad():
        return reference(x)


def _inputs(batch, seed):
    return torch.randn(batch, IN_FEATURES, generator=torch.Generator().manual_seed(seed)) * 2 + 1


def _value(attempt, what, hint=""):
    """The value of an _attempt, or the failed check _call would have reported."""
    if "raised" in attempt:
        raise AssertionError(say(f"{what} raised {attempt['raised']}", f"{what}에서 예외가 발생했습니다: {attempt['raised']}")
                             + (say(f"\nHint: {hint}", f"\n힌트: {hint}") if hint else ""))
    return attempt["value"]


# -- files the student's code wrote, read by the judge: regular files inside the student's folder, bounded ---------
MAX_MEMBERS, MAX_MEMBER_BYTES, MAX_ARCHIVE_BYTES = 1000, 64 * 1024 * 1024, 128 * 1024 * 1024
MAX_JSON_BYTES, MAX_CODE_BYTES, MAX_NODES = 8 * 1024 * 1024, 1024 * 1024, 2000


def _seed(run_seed, salt):
    return (run_seed * 7919 + salt) % (2 ** 31)


def _archive(path, within, what, hint):
    """{member name: ZipInfo} and the open zip of the file `path` the student's code wrote (a zip archive: .pt2 and
    TorchScript files are), every member's declared size bounded."""
    data = student_files.read_bytes(path, within)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise AssertionError(say(f"{what} is not a zip archive ({type(error).__name__}).\nHint: {hint}",
                                 f"{what}: zip 압축 파일이 아닙니다({type(error).__name__}).\n힌트: {hint}")) from None
    check(len(members) <= MAX_MEMBERS and all(m.file_size <= MAX_MEMBER_BYTES for m in members)
          and sum(m.file_size for m in members) <= MAX_ARCHIVE_BYTES,
          say(f"{what} holds more than the grader reads ({len(members)} members).",
              f"{what}에는 채점기가 읽는 것보다 많은 것이 들어 있습니다(항목 {len(members)}개)."), hint)
    return archive, {m.filename: m for m in members}


def _member(archive, info, limit):
    """The bytes of one member, read (and inflated) no further than `limit` and its declared size."""
    with archive.open(info) as handle:
        blob = handle.read(min(limit, info.file_size) + 1)
    check(len(blob) <= min(limit, info.file_size), say(f"{info.filename} is larger than it says or than the grader reads.",
                                                       f"{info.filename} 항목의 실제 크기가 기록된 크기나 채점기가 읽는 크기보다 큽니다."))
    return blob


# -- ExportedProgram archives (.pt2), read and run by the judge ---------------------------------------------------
_SCALAR_TYPES = {4: torch.int32, 5: torch.int64, 7: torch.float32, 8: torch.float64}


def _tensor_from(blob: bytes, meta: dict, name: str) -> torch.Tensor:
    """A tensor from the raw storage bytes of a .pt2 weight and its tensor_meta (sizes, strides, offset checked)."""
    dtype = _SCALAR_TYPES.get(meta.get("dtype"))
    check(dtype is not None, say(f"the weight {name} has a dtype the grader does not read ({meta.get('dtype')}).",
                                 f"가중치 {name}의 dtype({meta.get('dtype')})은 채점기가 읽지 않는 dtype입니다."))
    sizes = [int(size["as_int"]) for size in meta["sizes"]]
    strides = [int(stride["as_int"]) for stride in meta["strides"]]
    offset = int(meta.get("storage_offset", {}).get("as_int", 0))
    storage = torch.frombuffer(bytearray(blob), dtype=dtype) if blob else torch.empty(0, dtype=dtype)
    reach = offset + sum((s - 1) * t for s, t in zip(sizes, strides)) if all(sizes) else -1
    check(len(sizes) == len(strides) and offset >= 0 and all(t >= 0 for t in strides) and reach < storage.numel(),
          say(f"the weight {name} does not fit its stored bytes.", f"가중치 {name}의 크기가 저장된 바이트와 맞지 않습니다."))
    return storage.as_strided(sizes, strides, offset).clone()


def _argument(arg: dict, values: dict):
    kind, value = next(iter(arg.items()))
    if kind == "as_tensor":
        check(value["name"] in values, say(f"the graph reads {value['name']} before it is made.",
                                           f"그래프가 {value['name']} 값을 만들기 전에 읽습니다."))
        return values[value["name"]]
    if kind in ("as_bool", "as_float", "as_int"):
        return value
    if kind == "as_none":
        return None
    if kind == "as_ints":
        return [int(v) for v in value]
    raise AssertionError(say(f"the graph holds an argument the grader does not read ({kind}).",
                             f"그래프에 채점기가 읽지 않는 인자({kind})가 있습니다."))


def _run_node(target: str, args: dict, positional: list, training: list):
    """One ATen operator of the exported graph, run by the judge (only those an eval-mode Classifier needs)."""
    if target == "torch.ops.aten.linear.default":
        return F.linear(args["input"], args["weight"], args.get("bias"))
    if target in ("torch.ops.aten.batch_norm.default", "torch.ops.aten._native_batch_norm_legit_no_training.default"):
        if args.get("training"):
            training.append("batch_norm")
        out = F.batch_norm(args["input"], args["running_mean"], args["running_var"], args.get("weight"),
                           args.get("bias"), training=bool(args.get("training")), eps=float(args.get("eps", 1e-5)))
        return out if target.endswith("batch_norm.default") else (out, torch.empty(0), torch.empty(0))
    if target == "torch.ops.aten.relu.default":
        return torch.relu(args["self"])
    if target == "torch.ops.aten.dropout.default":
        if args.get("train"):
            training.append("dropout")
        return args["input"]
    if target in ("torch.ops.aten.clone.default", "torch.ops.aten.alias.default", "torch.ops.aten.detach.default"):
        return args["self"]
    if target == "_operator.getitem":
        return positional[0][int(positional[1])]
    raise AssertionError(say(f"the exported graph runs {target}, which the grader does not run (an eval-mode "
                             "Linear -> BatchNorm1d -> ReLU -> Dropout -> Linear needs linear, batch_norm, relu and "
                             "dropout only).",
                             f"내보낸 그래프가 채점기가 실행하지 않는 연산을 실행합니다: {target}. 평가 모드의 Linear -> "
                             "BatchNorm1d -> ReLU -> Dropout -> Linear에는 linear, batch_norm, relu, dropout만 "
                             "필요합니다."))


class _Program:
    """An ExportedProgram read by the judge from a .pt2 archive: its graph, weights and input shape, run by the judge
    over a handful of ATen operators."""

    def __init__(self, archive, members, what, hint):
        self.what, self.hint = what, hint
        model = [name for name in members if name.endswith("/models/model.json")]
        check(len(model) == 1, say(f"{what} is not a .pt2 archive of torch.export (no models/model.json in it).\n"
                                   "Hint: write it with torch.export.save(program, path); torch.save pickles the "
                                   "object into a file that only your own load function can read.",
                                   f"{what}: torch.export의 .pt2 파일이 아닙니다(models/model.json이 없습니다).\n"
                                   "힌트: torch.export.save(program, path)로 저장하세요. torch.save는 객체를 pickle로 "
                                   "저장하므로 여러분의 load 함수만 그 파일을 읽을 수 있습니다."))
        root = model[0][:-len("models/model.json")]
        try:
            program = json.loads(_member(archive, members[model[0]], MAX_JSON_BYTES))
            config_name = root + "data/weights/model_weights_config.json"
            config = json.loads(_member(archive, members[config_name], MAX_JSON_BYTES))["config"] \
                if config_name in members else {}
            module = program["graph_module"]
            self.graph, self.signature = module["graph"], module["signature"]
            self.weights = {}
            for name, entry in config.items():
                check(not entry.get("use_pickle"), say(f"{what} stores the weight {name} as a pickle, which the grader "
                                                       "never loads.",
                                                       f"{what}: 가중치 {name} 값을 pickle로 저장합니다. 채점기는 "
                                                       "pickle을 읽지 않습니다."), hint)
                blob = _member(archive, members[root + "data/weights/" + str(entry["path_name"])], MAX_MEMBER_BYTES)
                self.weights[name] = _tensor_from(blob, entry["tensor_meta"], name)
            self.inputs = [spec for spec in self.signature["input_specs"]]
            self.nodes = self.graph["nodes"]
            check(len(self.nodes) <= MAX_NODES, say(f"{what}'s graph has {len(self.nodes)} nodes.",
                                                    f"{what}의 그래프에 노드가 {len(self.nodes)}개 있습니다."), hint)
        except (KeyError, TypeError, ValueError, AttributeError, StopIteration) as error:
            raise AssertionError(say(f"the grader could not read {what} as an exported program ({type(error).__name__}: "
                                     f"{str(error)[:200]}).\nHint: {hint}",
                                     f"{what}: 채점기가 내보낸 프로그램으로 읽지 못했습니다({type(error).__name__}: "
                                     f"{str(error)[:200]}).\n힌트: {hint}")) from None

    def user_inputs(self) -> list[str]:
        return [spec["user_input"]["arg"]["as_tensor"]["name"] for spec in self.inputs if "user_input" in spec]

    def batch_is_dynamic(self) -> bool:
        (name,) = self.user_inputs()
        return "as_expr" in self.graph["tensor_values"][name]["sizes"][0]

    def __call__(self, x: torch.Tensor):
        """(the program's output for x, the training-mode operators it ran)."""
        values, training = {}, []
        try:
            names = self.user_inputs()
            check(len(names) == 1, say(f"{self.what} takes {len(names)} inputs; the model takes one.",
                                       f"{self.what}: 입력을 {len(names)}개 받는데 모델은 하나를 받습니다."), self.hint)
            for spec in self.inputs:
                kind, body = next(iter(spec.items()))
                if kind == "user_input":
                    values[body["arg"]["as_tensor"]["name"]] = x
                elif kind in ("parameter", "buffer"):
                    key = body["parameter_name"] if kind == "parameter" else body["buffer_name"]
                    check(key in self.weights, say(f"{self.what} has no stored weight for {key}.",
                                                   f"{self.what}에 {key}의 가중치가 저장되어 있지 않습니다."), self.hint)
                    values[body["arg"]["name"]] = self.weights[key]
                else:
                    raise AssertionError(say(f"{self.what} has an input of a kind the grader does not read ({kind}).",
                                             f"{self.what}에 채점기가 읽지 않는 종류의 입력({kind})이 있습니다."))
            with torch.no_grad():
                for node in self.nodes:
                    positional = [_argument(argument["arg"], values) for argument in node["inputs"]]
                    args = {argument["name"]: value for argument, value in zip(node["inputs"], positional)}
                    out = _run_node(str(node["target"]), args, positional, training)
                    for output in node["outputs"]:
                        kind, body = next(iter(output.items()))
                        if kind == "as_tensor":
                            values[body["name"]] = out
                        elif kind == "as_tensors":
                            for inner, spec in zip(out, body):
                                values[spec["name"]] = inner
            (spec,) = self.signature["output_specs"]
            return values[spec["user_output"]["arg"]["as_tensor"]["name"]], training
        except (KeyError, TypeError, ValueError, IndexError, RuntimeError, StopIteration) as error:
            raise AssertionError(say(f"the grader could not run {self.what} ({type(error).__name__}: {str(error)[:200]})."
                                     f"\nHint: {self.hint}",
                                     f"{self.what}: 채점기가 실행하지 못했습니다({type(error).__name__}: "
                                     f"{str(error)[:200]}).\n힌트: {self.hint}")) from None


def _program_file(path, within, what, hint) -> _Program:
    archive, members = _archive(path, within, what, hint)
    return _Program(archive, members, what, hint)


def _judge_runs_program(program: _Program, model, batches, seed, what, hint, dynamic_hint):
    """The program the judge read gives the eval-mode outputs for every batch size, with no training-mode operator,
    from a dynamic batch dimension."""
    check(program.batch_is_dynamic(), say(f"{what}: the batch dimension of its input is fixed to the example's "
                                          f"({EXAMPLE_BATCH}).\nHint: {dynamic_hint}",
                                          f"{what}: 입력의 배치 차원이 예제의 크기({EXAMPLE_BATCH})로 고정되어 있습니다.\n"
                                          f"힌트: {dynamic_hint}"))
    for batch in batches:
        x = _inputs(batch, seed + batch)
        out, training = program(x)
        check(not training, say(f"{what} runs {', '.join(sorted(set(training)))} in training mode.",
                                f"{what}: {', '.join(sorted(set(training)))} 연산을 학습 모드로 실행합니다."), hint)
        assert_tensor(out, _eval_outputs(model, x), say(f"{what}, run by the grader, for a batch of {batch}",
                                                        f"채점기가 실행한 {what}, 크기 {batch}인 배치"), hint=hint)


# -- TorchScript archives: the judge reads their code as text (it never runs TorchScript: loading it runs code) ---
def _torchscript_code(path, within, what, hint) -> dict:
    """{file: text} of the code/ folder of the TorchScript archive the student's process saved with torch.jit.save."""
    archive, members = _archive(path, within, what, hint)
    code = {name: info for name, info in members.items() if "/code/__torch__/" in name and name.endswith(".py")}
    check(code and any(name.endswith("/data.pkl") for name in members),
          say(f"{what} is not a TorchScript archive (torch.jit.save writes code/__torch__/... and data.pkl; it holds "
              f"{sorted(members)[:6]}).",
              f"{what}: TorchScript 파일이 아닙니다(torch.jit.save는 code/__torch__/...와 data.pkl을 씁니다. 들어 있는 "
              f"것: {sorted(members)[:6]})."), hint)
    return {name: _member(archive, info, MAX_CODE_BYTES).decode("utf-8", "replace") for name, info in code.items()}


def _lines(code: dict) -> list[str]:
    return [line.strip() for text in code.values() for line in text.splitlines()]


# -- ONNX: one export per grader run, shared by the checks below ----------------------------------
@pytest.fixture(scope="module")
def onnx_export(impl, student_path_factory, run_seed):
    """(model, folder, path, seed, problem): the student's export of a Classifier (the grader's copy of which is
    `model`, built from a seed of this run) to `path` in the student's `folder`; problem is the exception it raised."""
    seed = _seed(run_seed, 1)
    model = _classifier(seed)
    folder = student_path_factory.mktemp("onnx")
    (folder / "export").mkdir()  # the file and what the exporter writes beside it (its external data)
    path = folder / "export" / "classifier.onnx"
    try:
        onnx_exported(impl, seed, _inputs(EXAMPLE_BATCH, seed), path)
    except WorkerProblem:  # a timeout or a crash: every check that needs the file reports it
        raise
    except Exception as error:  # noqa: BLE001 - replayed by each check that needs the file
        return model, folder, path, seed, error
    return model, folder, path, seed, None


def _exported_file(onnx_export):
    """(the grader's model, the file the student's code wrote in a private copy of its folder, the run's seed)."""
    model, folder, path, seed, problem = onnx_export
    if problem is not None and errors.passes_through(problem):  # not started, or not the student's mistake
        raise problem
    if problem is not None:
        raise AssertionError(
            say(f"export_onnx(model, example, path) raised {errors.summary(problem)}\n"
                "Hint: the keys of dynamic_shapes must be the names of forward's arguments (this model's "
                "forward(self, features) has the argument `features`), or use a tuple in argument order; "
                "the example batch must be 2 or more.",
                f"export_onnx(model, example, path)에서 예외가 발생했습니다: {errors.summary(problem)}\n"
                "힌트: dynamic_shapes의 키는 forward 인자의 이름이어야 합니다(이 모델의 forward(self, features)에는 "
                "`features` 인자가 있습니다). 아니면 인자 순서대로 tuple을 쓰세요. 예제 배치 크기는 2 이상이어야 합니다."))
    check(student_files.exists(path, folder),
          say(f"export_onnx(model, example, path) wrote no file at {path.name} (or not a regular file).",
              f"export_onnx(model, example, path)가 {path.name}에 파일(일반 파일)을 저장하지 않았습니다."),
          say("torch.onnx.export returns an ONNXProgram; write it with onnx_program.save(path).",
              "torch.onnx.export는 ONNXProgram을 반환합니다. onnx_program.save(path)로 저장하세요."))
    return model, student_files.private_copy(path.parent, folder) / path.name, seed


def _session(path):
    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _onnx_matches_eager(model, path, seed):
    """onnxruntime, in the judge, runs the exported file on batches of several sizes drawn for this run and gives the
    eval-mode outputs of the grader's copy of the model."""
    _external_data_stays_beside(path)
    try:
        session = _session(path)
        name = session.get_inputs()[0].name
    except Exception as error:  # noqa: BLE001 - whatever makes the file unusable
        raise AssertionError(say(f"onnxruntime could not open the exported model: {str(error).splitlines()[0][:200]}",
                                 f"onnxruntime이 내보낸 모델을 열지 못했습니다: {str(error).splitlines()[0][:200]}")) from None
    for batch in ONNX_BATCHES:
        x = _inputs(batch, seed + 10 + batch)
        try:
            (out, *_) = session.run(None, {name: x.numpy()})
        except Exception as error:  # noqa: BLE001 - onnxruntime's shape errors
            raise AssertionError(
                say(f"onnxruntime could not run the exported model on a batch of {batch}: "
                    f"{str(error).splitlines()[0][:200]}\nHint: the batch dimension was fixed to the example's; "
                    "make dimension 0 dynamic with dynamic_shapes.",
                    f"onnxruntime이 내보낸 모델을 크기 {batch}인 배치로 실행하지 못했습니다: "
                    f"{str(error).splitlines()[0][:200]}\n힌트: 배치 차원이 예제의 크기로 고정되었습니다. "
                    "dynamic_shapes로 0번 차원을 동적으로 만드세요.")) from None
        assert_tensor(torch.from_numpy(numpy.asarray(out)), _eval_outputs(model, x),
                      say(f"onnxruntime output of the exported model for a batch of {batch}",
                          f"크기 {batch}인 배치에 대한 내보낸 모델의 onnxruntime 출력"), atol=1e-4,
                      hint=say("Compare against the model in eval mode: call model.eval() before exporting.",
                               "평가 모드의 모델과 비교합니다: 내보내기 전에 model.eval()을 호출하세요."))


def _external_data_stays_beside(path) -> None:
    """Every initializer stored outside the model file names a file beside it in the judge's copy (no folder, no
    '..'): nothing the judge's parsers read leaves that copy."""
    try:
        proto = onnx.load(str(path), load_external_data=False)
    except Exception:  # noqa: BLE001 - reported by _onnx_proto, which reads it again
        return
    for tensor in list(proto.graph.initializer):
        if tensor.data_location != onnx.TensorProto.EXTERNAL:
            continue
        location = next((entry.value for entry in tensor.external_data if entry.key == "location"), "")
        check(location and "/" not in location and "\\" not in location and location not in (".", "..")
              and (path.parent / location).is_file(),
              say(f"the ONNX file keeps the weight {tensor.name} in {location!r}, which is not a file beside it.",
                  f"ONNX 파일이 가중치 {tensor.name} 값을 바로 옆의 파일이 아닌 {location!r}에 둡니다."),
              say("Save the ONNXProgram with onnx_program.save(path).",
                  "ONNXProgram을 onnx_program.save(path)로 저장하세요."))


def _onnx_proto(path):
    """The ONNX model in the judge's private copy, read and checked by onnx; a failed check saying why not."""
    _external_data_stays_beside(path)
    try:
        proto = onnx.load(str(path))
        onnx.checker.check_model(str(path))
    except Exception as error:  # noqa: BLE001 - whatever makes the file unreadable
        raise AssertionError(
            say(f"The file export_onnx wrote is not a valid ONNX model: onnx says {type(error).__name__}: "
                f"{str(error).splitlines()[0][:200] if str(error) else ''}\n"
                "Hint: save the ONNXProgram with onnx_program.save(path); torch.save pickles Python objects "
                "and does not write ONNX.",
                f"export_onnx가 저장한 파일은 올바른 ONNX 모델이 아닙니다: onnx의 오류는 {type(error).__name__}: "
                f"{str(error).splitlines()[0][:200] if str(error) else ''}\n"
                "힌트: ONNXProgram을 onnx_program.save(path)로 저장하세요. torch.save는 Python 객체를 pickle로 저장할 뿐 "
                "ONNX를 쓰지 않습니다.")) from None
    return proto


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("export_onnx writes a file that passes the ONNX checker",
                   ko="export_onnx는 ONNX 검사기를 통과하는 파일을 저장합니다")
def test_onnx_file_loads_and_passes_the_checker(impl, onnx_export):
    model, path, seed = _exported_file(onnx_export)
    proto = _onnx_proto(path)
    check(len(proto.graph.input) == 1 and len(proto.graph.output) == 1,
          say(f"The ONNX graph should have one input and one output, got {len(proto.graph.input)} inputs and "
              f"{len(proto.graph.output)} outputs.",
              f"ONNX 그래프에는 입력 하나와 출력 하나가 있어야 하는데 입력 {len(proto.graph.input)}개, "
              f"출력 {len(proto.graph.output)}개가 있습니다."), say("Export with args=(example,): one tensor in, one out.",
                                                     "args=(example,)로 내보내세요: 텐서 하나를 받아 하나를 내보냅니다."))
    _onnx_matches_eager(model, path, seed)  # a valid file of something else is not the export


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("The exported ONNX model has a dynamic batch dimension",
                   ko="내보낸 ONNX 모델의 배치 차원은 동적입니다")
def test_onnx_batch_dimension_is_dynamic(impl, onnx_export):
    model, path, seed = _exported_file(onnx_export)
    dims = _onnx_proto(path).graph.input[0].type.tensor_type.shape.dim
    shape = [d.dim_param or d.dim_value for d in dims]
    check(len(dims) == 2 and dims[0].dim_param != "" and dims[1].dim_value == IN_FEATURES,
          say(f"The ONNX input's shape should be [<symbolic batch>, {IN_FEATURES}], got {shape}.",
              f"ONNX 입력의 shape는 [<기호 배치 크기>, {IN_FEATURES}]여야 하는데 {shape}입니다."),
          say(f"Without dynamic_shapes the batch is fixed to the example's ({EXAMPLE_BATCH}): pass "
              "dynamic_shapes={'features': {0: torch.export.Dim('batch')}} to torch.onnx.export.",
              f"dynamic_shapes가 없으면 배치 크기가 예제의 크기({EXAMPLE_BATCH})로 고정됩니다: torch.onnx.export에 "
              "dynamic_shapes={'features': {0: torch.export.Dim('batch')}}를 넘기세요."))
    _onnx_matches_eager(model, path, seed)  # a symbolic batch on a file that computes something else earns nothing


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("ONNX Runtime matches eager outputs for several batch sizes",
                   ko="ONNX Runtime은 여러 배치 크기에서 eager 모드와 같은 출력을 냅니다")
def test_onnx_runtime_matches_eager_for_several_batch_sizes(impl, onnx_export):
    model, path, seed = _exported_file(onnx_export)
    _onnx_matches_eager(model, path, seed)


def _constant(proto, name):
    """The value of an initializer or Constant node output called `name`, or None."""
    for tensor in proto.graph.initializer:
        if tensor.name == name:
            return numpy_helper.to_array(tensor)
    for node in proto.graph.node:
        if node.op_type == "Constant" and name in node.output:
            return numpy_helper.to_array(helper.get_attribute_value(node.attribute[0]))
    return None


@pytest.mark.points(1)
@pytest.mark.export
@pytest.mark.title("The ONNX graph holds no training-mode operations",
                   ko="ONNX 그래프에는 학습 모드 연산이 없습니다")
def test_onnx_graph_has_no_training_mode_ops(impl, onnx_export):
    model, path, seed = _exported_file(onnx_export)
    proto = _onnx_proto(path)
    training = []
    for node in proto.graph.node:
        if node.op_type == "Dropout" and len(node.input) >= 3 and node.input[2]:
            flag = _constant(proto, node.input[2])
            if flag is None or bool(numpy.asarray(flag).any()):
                training.append(f"Dropout {node.name or ''}".strip())
        if node.op_type == "BatchNormalization" and any(
                a.name == "training_mode" and helper.get_attribute_value(a) for a in node.attribute):
            training.append(f"BatchNormalization {node.name or ''}".strip())
    check(not training, say(f"The exported ONNX graph still runs in training mode: {', '.join(training)} "
                            "with training_mode set.",
                            f"내보낸 ONNX 그래프가 아직 학습 모드로 실행됩니다: {', '.join(training)}에 training_mode가 "
                            "설정되어 있습니다."),
          say("The model was exported in training mode (dropout active, batch statistics); call model.eval() "
              "before torch.onnx.export.",
              "모델을 학습 모드(드롭아웃 활성, 배치 통계 사용)로 내보냈습니다. torch.onnx.export 전에 "
              "model.eval()을 호출하세요."))
    _onnx_matches_eager(model, path, seed)  # no training node in a file that computes something else earns nothing


def _save_affine_onnx(path, input_name, weight, bias):
    """An ONNX file the grader writes itself: scores = input @ weight + bias, its input named `input_name`."""
    graph = helper.make_graph(
        [helper.make_node("MatMul", [input_name, "weight"], ["product"]),
         helper.make_node("Add", ["product", "bias"], ["scores"])],
        "affine",
        [helper.make_tensor_value_info(input_name, onnx.TensorProto.FLOAT, ["batch", weight.shape[0]])],
        [helper.make_tensor_value_info("scores", onnx.TensorProto.FLOAT, ["batch", weight.shape[1]])],
        [numpy_helper.from_array(weight.numpy(), "weight"), numpy_helper.from_array(bias.numpy(), "bias")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(path))
    return path


def _outputs_as_one_tensor():
    """The mistake of wrapping session.run's whole result (a list, one array per output) in one tensor."""
    return (say("session.run's list of outputs made into one tensor, with a leading dimension of 1",
                "session.run이 반환한 출력 목록을 통째로 텐서로 만들어, 맨 앞에 크기 1인 차원이 생겼습니다"),
            say("session.run returns a list with one array per output: take its first element, then torch.from_numpy.",
                "session.run은 출력마다 배열 하나씩 담은 리스트를 반환합니다: 그 첫 번째 요소를 골라 "
                "torch.from_numpy로 변환하세요."))


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("run_onnx feeds the input under the session's input name",
                   ko="run_onnx는 세션의 입력 이름으로 입력을 전달합니다")
def test_run_onnx_feeds_the_sessions_input_name(impl, tmp_path, run_seed):
    """The grader writes the model (in its own folder, which the student's process reads): its weights and its input's
    name are drawn for this run, so only running the file gives the answer."""
    generator = torch.Generator().manual_seed(_seed(run_seed, 2))
    weight = torch.randn(3, 2, generator=generator)
    bias = torch.randn(2, generator=generator)
    input_name = RUN_ONNX_NAMES[int(torch.randint(len(RUN_ONNX_NAMES), (1,), generator=generator))]
    path = _save_affine_onnx(tmp_path / "affine.onnx", input_name, weight, bias)
    listed = _outputs_as_one_tensor()
    for batch in (2, 5):
        x = torch.randn(batch, 3, generator=generator)
        out = errors.calling(say(f"run_onnx(path, x) for a model whose input is named {input_name!r}, batch {batch}",
                                 f"입력 이름이 {input_name!r}인 모델과 크기 {batch}인 배치에 대한 run_onnx(path, x)"),
                             say("Do not hard-code the input name: read it from session.get_inputs()[0].name.",
                                 "입력 이름을 코드에 고정해 쓰지 마세요: session.get_inputs()[0].name에서 읽으세요."),
                             impl.run_onnx, path, x)
        out = expect_tensor(out, say(f"run_onnx(path, x) for a batch of {batch}",
                                     f"크기 {batch}인 배치에 대한 run_onnx(path, x)"),
                            say("onnxruntime returns NumPy arrays; convert with torch.from_numpy(...).",
                                "onnxruntime은 NumPy 배열을 반환합니다. torch.from_numpy(...)로 변환하세요."))
        assert_tensor(out, x @ weight + bias, say(f"run_onnx(path, x) for x of shape {(batch, 3)}",
                                                  f"shape가 {(batch, 3)}인 x에 대한 run_onnx(path, x)"),
                      hint=say("Return the session's first output, converted with torch.from_numpy.",
                               "세션의 첫 번째 출력을 torch.from_numpy로 변환해 반환하세요."),
                      mistakes={listed: (x @ weight + bias).unsqueeze(0)})


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("run_onnx takes a tensor that requires grad, as a model's output does",
                   ko="run_onnx는 모델의 출력처럼 변화도를 추적하는 텐서도 받습니다")
def test_run_onnx_takes_a_tensor_that_requires_grad(impl, tmp_path, run_seed):
    """The docstring's promise: `x` may require grad (the output of a layer before the exported part); NumPy holds no
    autograd graph, so `.numpy()` refuses such a tensor until it is detached. x is made as a layer's output beside the
    student's code (not a leaf, so autograd cannot simply be switched off on it)."""
    generator = torch.Generator().manual_seed(_seed(run_seed, 3))
    weight = torch.randn(3, 2, generator=generator)
    path = _save_affine_onnx(tmp_path / "linear.onnx", "x", weight, torch.zeros(2))
    listed = _outputs_as_one_tensor()
    inputs, layer = torch.randn(4, 3, generator=generator), torch.randn(3, 3, generator=generator)
    what = say("run_onnx(path, x) for an x that requires grad (the output of a layer)",
               "변화도를 추적하는 x(계층의 출력)에 대한 run_onnx(path, x)")
    hint = say("NumPy cannot hold autograd's graph: x.detach().cpu().numpy() before handing x to onnxruntime.",
               "NumPy는 autograd 그래프를 담을 수 없습니다: onnxruntime에 넘기기 전에 x.detach().cpu().numpy()를 쓰세요.")
    out, error = errors.attempt(run_onnx_on_layer_output, impl, path, inputs, layer)
    if error is not None:
        switched_off = "requires_grad flags of leaf" in errors.summary(error)  # only words the message
        raise errors.raised(what, error, say(
            "x.requires_grad_(False) (or x.requires_grad = False) switches autograd off on x itself, which PyTorch "
            "allows only on a leaf tensor, and x here is the output of a layer. Leave x as it is and give onnxruntime "
            "a detached copy: x.detach().cpu().numpy().",
            "x.requires_grad_(False)(또는 x.requires_grad = False)는 x 자체의 autograd를 끄는데, PyTorch는 이를 잎 "
            "텐서에서만 허용하고 여기서 x는 계층의 출력입니다. x는 그대로 두고 onnxruntime에는 분리한 복사본 "
            "x.detach().cpu().numpy()를 넘기세요.") if switched_off else hint)
    expected = inputs @ layer @ weight
    assert_tensor(expect_tensor(out, "run_onnx(path, x)", hint), expected, what, hint=hint,
                  mistakes={listed: expected.unsqueeze(0)})


def _script_kind(facts, what, hint):
    check(facts["script"], say(f"{what} should be a ScriptModule, got {facts['type']}.",
                               f"{what}: ScriptModule이어야 하는데 {facts['type']}입니다."), hint)


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("trace_model records only the example input's branch",
                   ko="trace_model은 예제 입력이 지나간 분기만 기록합니다")
def test_trace_freezes_the_example_branch(impl, student_path):
    """Traced on an example of each sign in turn (h.mean() > 0, then < 0): each trace records the branch its own
    example takes, so a trace made on any other input records the wrong one in one of the two."""
    model, positive, negative = _gated()
    branches = {"h * 2": lambda x: _eval_outputs(model.linear, x) * 2, "-h": lambda x: -_eval_outputs(model.linear, x)}
    for example, other, took, missed, sign, other_sign, name in (
            (positive, negative, "h * 2", "-h", "h.mean() > 0", "h.mean() < 0", "traced.pt"),
            (negative, positive, "-h", "h * 2", "h.mean() < 0", "h.mean() > 0", "traced_negative.pt")):
        _trace_records_its_example_branch(impl, model, student_path, name, example, other, (took, missed),
                                          (sign, other_sign), branches)


def _trace_records_its_example_branch(impl, model, folder, name, example, other, took_missed, signs, branches):
    """trace_model(model, example) gives the eval-mode output on `example`, the branch `example` took (`took`) on
    `other`, whose eager branch is `missed`, and saves as a TorchScript archive whose code has no `if`."""
    (took, missed), (sign, other_sign) = took_missed, signs
    path = folder / name
    facts = traced_gated(impl, example, other, path)
    _value(facts["made"], "trace_model(model, example)")
    _script_kind(facts, "trace_model(model, example)", say("Return what torch.jit.trace returns.",
                                                           "torch.jit.trace가 반환한 것을 반환하세요."))
    on_example, on_other = facts["outputs"]
    what = say(f"the GatedNet traced on an example with {sign}, run on that example",
               f"{sign}인 예제로 trace한 GatedNet을 그 예제로 실행한 결과")
    elsewhere = (say(f"the {missed} branch, which the example does not take: the trace was made on some other input, "
                     "not on the example given",
                     f"예제가 지나가지 않는 {missed} 분기입니다: 주어진 예제가 아닌 다른 입력으로 trace했습니다"),
                 say("Trace on the example passed in, torch.jit.trace(model, (example,)): the trace records the branch "
                     "of the input it runs, and a dummy input (torch.rand, torch.randn) may take the other one.",
                     "전달받은 예제로 trace하세요(torch.jit.trace(model, (example,))): trace는 실행한 입력이 지나간 "
                     "분기를 기록하므로 임의의 더미 입력(torch.rand, torch.randn)은 다른 분기를 지날 수 있습니다."))
    with torch.no_grad():
        assert_tensor(_value(on_example, what), _eval_outputs(model, example), what,
                      hint=say("Dropout is still active in the trace: call model.eval() before torch.jit.trace.",
                               "trace에서 드롭아웃이 아직 활성화되어 있습니다: torch.jit.trace 전에 model.eval()을 "
                               "호출하세요."),
                      mistakes={elsewhere: branches[missed](example)})
        frozen = branches[took](other)  # the example's branch, applied to the other input
        other_what = say(f"the traced GatedNet on an input with {other_sign}",
                         f"trace한 GatedNet을 {other_sign}인 입력으로 실행한 결과")
        got = expect_tensor(_value(on_other, other_what), other_what)
        eager = _eval_outputs(model, other)
    both = tuple(got.shape) == tuple(eager.shape) and torch.allclose(got, eager, atol=1e-5)  # what a script gives
    check(tuple(got.shape) == tuple(frozen.shape) and torch.allclose(got, frozen, atol=1e-5)
          and not torch.allclose(got, eager, atol=1e-3),
          say(f"On an input whose {other_sign}, a trace of GatedNet made on an example with {sign} should still "
              f"return {took} (the frozen branch: {frozen[0, :3].tolist()} ...); got {got.reshape(-1)[:3].tolist()} ..., "
              f"eager gives {eager[0, :3].tolist()} ...."
              + (" The module returned follows both branches, as torch.jit.script compiles them: it was scripted, "
                 "not traced." if both else ""),
              f"{sign}인 예제로 만든 GatedNet의 trace는 {other_sign}인 입력에서도 {took} 값을 반환해야 합니다(고정된 "
              f"분기: {frozen[0, :3].tolist()} ...). 결과는 {got.reshape(-1)[:3].tolist()} ...이고, "
              f"eager 결과는 {eager[0, :3].tolist()} ...입니다."
              + (" 반환한 모듈은 torch.jit.script가 컴파일한 것처럼 두 분기를 모두 따릅니다: trace가 아니라 script를 "
                 "했습니다." if both else "")),
          say("trace_model must use torch.jit.trace on the example given: it records one path through the `if` (to see "
              "what tracing gets wrong; to_torchscript is where scripting belongs).",
              "trace_model은 주어진 예제로 torch.jit.trace를 써야 합니다: trace는 `if`를 지나는 경로 하나만 기록합니다"
              "(trace가 무엇을 놓치는지 보려는 것이고, script는 to_torchscript에서 씁니다)."))
    # what was saved, read by the judge as text: a TorchScript archive whose code took one path
    _value(facts["saved"], "torch.jit.save(trace_model(model, example), path)")
    saved = say("the saved trace", "저장한 trace")
    code = _torchscript_code(path, folder, saved, say("Return what torch.jit.trace returns.",
                                                      "torch.jit.trace가 반환한 것을 반환하세요."))
    branch = next((line for line in _lines(code) if line.startswith("if ")), "")
    check(not branch, say(f"{saved}'s code still branches ({branch}): a trace records the one path the example took.",
                          f"{saved}의 코드에 아직 분기가 있습니다({branch}): trace는 예제가 지나간 경로 하나만 기록합니다."),
          say("Use torch.jit.trace(model, (example,)).", "torch.jit.trace(model, (example,))를 쓰세요."))


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("to_torchscript keeps both branches, even after reloading",
                   ko="to_torchscript는 다시 불러온 뒤에도 두 분기를 모두 유지합니다")
def test_torchscript_follows_both_branches_after_reload(impl, student_path):
    model, positive, negative = _gated()
    path = student_path / "gated.pt"
    facts = scripted_gated_reloaded(impl, positive, negative, path)
    _value(facts["made"], "to_torchscript(model, example)")
    _script_kind(facts, "to_torchscript(model, example)",
                 say("Return a TorchScript module (torch.jit.script's result), not the nn.Module itself.",
                     "nn.Module 자체가 아니라 TorchScript 모듈(torch.jit.script의 결과)을 반환하세요."))
    _value(facts["saved"], "torch.jit.save(to_torchscript(model, example), path)")
    on_example, on_negative = facts["outputs"]
    what = say("the reloaded TorchScript GatedNet on its example (h.mean() > 0)",
               "다시 불러온 TorchScript GatedNet을 예제(h.mean() > 0)로 실행한 결과")
    assert_tensor(_value(on_example, what), _eval_outputs(model, positive), what,
                  hint=say("Dropout is still active: call model.eval() before converting.",
                           "드롭아웃이 아직 활성화되어 있습니다: 변환하기 전에 model.eval()을 호출하세요."))
    what = say("the reloaded TorchScript GatedNet on an input with h.mean() < 0",
               "다시 불러온 TorchScript GatedNet을 h.mean() < 0인 입력으로 실행한 결과")
    assert_tensor(_value(on_negative, what), _eval_outputs(model, negative), what,
                  hint=say("It returned the example's branch: a trace froze the `if`. Use torch.jit.script, "
                           "which compiles the source and keeps the control flow.",
                           "예제의 분기를 반환했습니다: trace가 `if`를 고정했습니다. 소스 코드를 컴파일해 제어 흐름을 유지하는 "
                           "torch.jit.script를 쓰세요."))
    # what was saved, read by the judge as text: a TorchScript archive whose code kept the `if`
    what = say("the saved TorchScript module", "저장한 TorchScript 모듈")
    code = _torchscript_code(path, student_path, what, say("Return torch.jit.script(model.eval()).",
                                                           "torch.jit.script(model.eval())을 반환하세요."))
    check(any(line.startswith("if ") for line in _lines(code)),
          say(f"{what}'s code has no branch left: torch.jit.script compiles the source and keeps the `if`.",
              f"{what}의 코드에 분기가 남아 있지 않습니다: torch.jit.script는 소스를 컴파일해 `if`를 유지합니다."),
          say("Use torch.jit.script, not torch.jit.trace.", "torch.jit.trace가 아니라 torch.jit.script를 쓰세요."))


def _program_kind(facts, what, hint):
    module = facts.get("type") == "GraphModule"  # what program.module() gives; the name only words the message
    check(facts["program"], say(f"{what} should be a ExportedProgram, got {facts['type']}"
                                + (": that is what .module() returns, the callable made from the program." if module
                                   else "."),
                                f"{what}: ExportedProgram이어야 하는데 {facts['type']}입니다"
                                + (": 이것은 .module()이 반환하는, 프로그램으로 만든 호출 가능한 모듈입니다." if module
                                   else ".")),
          say("Return the ExportedProgram itself; whoever runs it calls .module() when they need a callable.",
              "ExportedProgram 자체를 반환하세요. 실행하는 쪽이 호출 가능한 모듈이 필요할 때 .module()을 부릅니다.")
          if module else hint)


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("export_program accepts batch sizes other than the example's",
                   ko="export_program은 예제와 다른 배치 크기도 받습니다")
def test_exported_program_accepts_other_batch_sizes(impl, student_path, run_seed):
    seed = _seed(run_seed, 4)
    model = _classifier(seed=seed)
    inputs = [_inputs(batch, seed + 20 + batch) for batch in PROGRAM_BATCHES]
    path = student_path / "program.pt2"
    facts = exported_program_outputs(impl, seed, _inputs(EXAMPLE_BATCH, seed + 1), inputs, path=path)
    _value(facts["made"], "export_program(model, example)",
           hint=say("Use dynamic_shapes keyed by forward's argument name ('features'); example batch >= 2.",
                    "forward 인자 이름('features')을 키로 하는 dynamic_shapes를 쓰세요. 예제 배치 크기는 2 이상이어야 합니다."))
    _program_kind(facts, "export_program(model, example)", say("Return what torch.export.export returns.",
                                                               "torch.export.export가 반환한 것을 반환하세요."))
    for batch, x, attempt in zip(PROGRAM_BATCHES, inputs, facts["outputs"]):
        out = _value(attempt, say(f"program.module()(x) for a batch of {batch}",
                                  f"크기 {batch}인 배치에 대한 program.module()(x)"),
                     hint=say(f"The batch dimension was fixed to the example's ({EXAMPLE_BATCH}): pass dynamic_shapes="
                              "{'features': {0: torch.export.Dim('batch')}} to torch.export.export.",
                              f"배치 차원이 예제의 크기({EXAMPLE_BATCH})로 고정되었습니다: torch.export.export에 dynamic_shapes="
                              "{'features': {0: torch.export.Dim('batch')}}를 넘기세요."))
        assert_tensor(out, _eval_outputs(model, x), say(f"the exported program's output for a batch of {batch}",
                                                        f"크기 {batch}인 배치에 대한 내보낸 프로그램의 출력"),
                      hint=say("The program recorded training-mode dropout and batch statistics: call model.eval() "
                               "before torch.export.export.",
                               "프로그램이 학습 모드의 드롭아웃과 배치 통계를 기록했습니다: torch.export.export 전에 "
                               "model.eval()을 호출하세요."))
    # the program itself, saved with torch.export.save and read and run by the judge
    _value(facts["saved"], "torch.export.save(export_program(model, example), path)")
    dynamic = say("pass dynamic_shapes={'features': {0: torch.export.Dim('batch')}} to torch.export.export.",
                  "torch.export.export에 dynamic_shapes={'features': {0: torch.export.Dim('batch')}}를 넘기세요.")
    program = _program_file(path, student_path, say("the exported program", "내보낸 프로그램"),
                            say("Return what torch.export.export returns.", "torch.export.export가 반환한 것을 반환하세요."))
    _judge_runs_program(program, model, PROGRAM_BATCHES, seed + 40, say("the exported program", "내보낸 프로그램"),
                        say("Call model.eval() before torch.export.export.",
                            "torch.export.export 전에 model.eval()을 호출하세요."), dynamic)


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("save_program writes a .pt2 archive torch.export.load reads",
                   ko="save_program은 torch.export.load로 읽을 수 있는 .pt2 파일을 저장합니다")
def test_saved_program_is_a_pt2_archive(impl, student_path, run_seed):
    """The file save_program wrote is read and run by the judge (graph and raw weights, no pickle); load_program's
    program must give the same outputs."""
    seed = _seed(run_seed, 5)
    model = _classifier(seed=seed).eval()
    example = _inputs(EXAMPLE_BATCH, seed + 2)
    path = student_path / "classifier.pt2"
    x = _inputs(6, seed + 30)
    facts = program_saved_and_loaded(impl, seed, example, path, x)
    _value(facts["saved"], "save_program(program, path)")
    hint = say("Write it with torch.export.save(program, path).", "torch.export.save(program, path)로 저장하세요.")
    program = _program_file(path, student_path, say("the file save_program wrote", "save_program이 저장한 파일"), hint)
    _judge_runs_program(program, model, (6, 2, 9), seed + 50, say("the saved program", "저장한 프로그램"), hint, hint)
    _value(facts["loaded"], "load_program(path)")
    _program_kind(facts, "load_program(path)", say("Return torch.export.load(path).",
                                                   "torch.export.load(path)를 반환하세요."))
    assert_tensor(_value(facts["theirs"], "load_program(path).module()(x)"), _eval_outputs(model, x),
                  say("load_program(path).module()(x) for a batch of 6",
                      "크기 6인 배치에 대한 load_program(path).module()(x)"))


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("export_program exports a CUDA model that matches eager",
                   ko="export_program은 CUDA 모델을 내보내고, 그 결과는 eager 모드와 일치합니다")
def test_exported_program_from_a_cuda_model(impl):
    model = _classifier(seed=6).cuda()
    x = _inputs(5, 31).cuda()
    facts = exported_program_outputs(impl, 6, _inputs(EXAMPLE_BATCH, 3).cuda(), [x], cuda=True)
    _value(facts["made"], say("export_program(model, example) for a CUDA model",
                              "CUDA 모델에 대한 export_program(model, example)"))
    _program_kind(facts, "export_program(model, example)", say("Return what torch.export.export returns.",
                                                               "torch.export.export가 반환한 것을 반환하세요."))
    assert_tensor(_value(facts["outputs"][0], say("the exported CUDA program for a batch of 5",
                                                  "크기 5인 배치에 대한 내보낸 CUDA 프로그램")),
                  _eval_outputs(model, x), say("the exported CUDA program for a batch of 5",
                                               "크기 5인 배치에 대한 내보낸 CUDA 프로그램"),
                  atol=1e-4, hint=say("Export on the device the model lives on, in eval mode.",
                                      "모델이 있는 장치에서, 평가 모드로 내보내세요."))


# -- TorchScript freezing: the optimisation step TorchScript deployment ended with ----------------
FREEZE_BATCHES = (2, 5)
TRAINING_OPERATORS = ("aten::batch_norm", "aten::native_batch_norm", "aten::_batch_norm_impl_index",
                      "aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::alpha_dropout")


def _images(batch, seed):
    return torch.randn(batch, 3, 6, 6, generator=torch.Generator().manual_seed(seed)) * 2 + 1


def _frozen_facts(impl, seed, folder):
    """(model, inputs, facts, code): the grader's copy of the model, the inputs, what frozen_conv_net saw and the
    code of the archive it saved (read by the judge as text)."""
    model = _conv_net(seed)
    inputs = [_images(batch, 40 + batch) for batch in FREEZE_BATCHES]
    path = folder / "frozen.pt"
    facts = frozen_conv_net(impl, seed, _images(4, 39), inputs, path)
    _value(facts["made"], "freeze_for_inference(model, example)",
           hint=say("torch.jit.freeze only takes a module in evaluation mode: call model.eval() before "
                    "torch.jit.script or torch.jit.trace.",
                    "torch.jit.freeze는 평가 모드의 모듈만 받습니다: torch.jit.script나 torch.jit.trace 전에 "
                    "model.eval()을 호출하세요."))
    _script_kind(facts, "freeze_for_inference(model, example)",
                 say("Return the ScriptModule torch.jit.freeze returns (it takes a scripted or traced module).",
                     "torch.jit.freeze가 반환한 ScriptModule을 반환하세요(freeze는 script하거나 trace한 모듈을 받습니다)."))
    _value(facts["saved"], "torch.jit.save(freeze_for_inference(model, example), path)")
    code = _torchscript_code(path, folder, say("the saved frozen module", "동결해 저장한 모듈"),
                             say("Return what torch.jit.freeze returns.", "torch.jit.freeze가 반환한 것을 반환하세요."))
    return model, inputs, facts, code


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("freeze_for_inference inlines the weights and folds BatchNorm",
                   ko="freeze_for_inference는 가중치를 인라인하고 BatchNorm을 접어 넣습니다")
def test_frozen_module_inlines_weights_and_folds_batch_norm(impl, student_path):
    model, inputs, facts, code = _frozen_facts(impl, 7, student_path)
    training = [op for op in facts["operators"] if op in TRAINING_OPERATORS]
    check(not training,
          say(f"The frozen graph still runs {', '.join(training)}: frozen in evaluation mode, BatchNorm after a "
              "convolution is folded into it and dropout disappears; this graph kept the training-mode operators.",
              f"동결된 그래프가 아직 다음 연산을 실행합니다: {', '.join(training)}. 평가 모드에서 동결하면 합성곱 뒤의 "
              "BatchNorm은 합성곱에 접혀 들어가고 드롭아웃은 사라지는데, 이 그래프에는 학습 모드 연산이 남아 있습니다."),
          say("The module was traced or scripted in training mode (a trace records training=True as a constant, "
              "and eval() afterwards does not change it): call model.eval() first.",
              "모듈을 학습 모드에서 trace하거나 script했습니다(trace는 training=True를 상수로 기록하므로 나중에 "
              "eval()을 호출해도 바뀌지 않습니다): 먼저 model.eval()을 호출하세요."))
    check(not facts["parameters"] and not facts["reads"],
          say(f"freeze_for_inference returned a ScriptModule that is not frozen: it still holds the parameters "
              f"{facts['parameters'][:6]} and its graph reads the attributes {facts['reads'][:6]} (prim::GetAttr).",
              f"freeze_for_inference가 동결되지 않은 ScriptModule을 반환했습니다. 남아 있는 매개변수: "
              f"{facts['parameters'][:6]}, 그래프가 읽는 속성(prim::GetAttr): {facts['reads'][:6]}."),
          say("torch.jit.script and torch.jit.trace keep the weights as attributes; torch.jit.freeze(scripted) "
              "inlines them as constants. Return what freeze returns.",
              "torch.jit.script와 torch.jit.trace는 가중치를 속성으로 둡니다. torch.jit.freeze(scripted)가 가중치를 "
              "상수로 인라인합니다. freeze가 반환한 것을 반환하세요."))
    # the same, read by the judge in the saved archive's code: no parameters, no attribute reads, no training ops
    lines = _lines(code)
    kept = [line for line in lines if (line.startswith("__parameters__ = [") and line != "__parameters__ = []")
            or re.search(r"\bself\.\w", line) or "batch_norm" in line or "dropout" in line]
    check(not kept, say(f"the saved module's code is not frozen: it still reads {kept[:3]}.",
                        f"저장한 모듈의 코드가 동결되지 않았습니다. 아직 읽는 값: {kept[:3]}."),
          say("Return torch.jit.freeze(torch.jit.script(model.eval())).",
              "torch.jit.freeze(torch.jit.script(model.eval()))를 반환하세요."))
    _frozen_outputs_match(model, inputs, facts)  # a frozen module of something else earns nothing


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("The frozen module gives the eval-mode model's outputs",
                   ko="동결된 모듈은 평가 모드 모델과 같은 출력을 냅니다")
def test_frozen_module_matches_eval_mode_outputs(impl, student_path):
    model, inputs, facts, _ = _frozen_facts(impl, 8, student_path)
    _frozen_outputs_match(model, inputs, facts)


def _frozen_outputs_match(model, inputs, facts):
    """The frozen C++ module's outputs are the eval-mode model's (computed here)."""
    for batch, x, attempt in zip(FREEZE_BATCHES, inputs, facts["outputs"]):
        what = say(f"the frozen module's output for a batch of {batch}",
                   f"크기 {batch}인 배치에 대한 동결된 모듈의 출력")
        assert_tensor(_value(attempt, what), _eval_outputs(model, x), what, rtol=1e-4, atol=1e-4,
                      hint=say("Compare against the model in eval mode: call model.eval() before scripting or "
                               "tracing; freezing keeps the behaviour the module had when it was traced or scripted.",
                               "평가 모드의 모델과 비교합니다: script나 trace 전에 model.eval()을 호출하세요. 동결은 "
                               "trace나 script할 때의 동작을 그대로 유지합니다."))


# -- dynamic quantization: the file read, run and measured by the judge -------------------------------------------
QUANT_BATCH = 256
QUANT_ATOL, QUANT_AGREEMENT, QUANT_SIZE_RATIO = 0.05, 0.9, 0.4
MAX_STATE_ELEMENTS = 1_000_000


def _quant_setup(seed):
    """(the grader's eval-mode float QuantNet, its own dynamic int8 quantization, the float state_dict's size in
    bytes as torch.save writes it): everything the quantization checks compare with, computed here."""
    model = _quant_net(seed).eval()
    quantized = torch.ao.quantization.quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8)
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return model, quantized, len(buffer.getvalue())


def _saved_state(path, within, what, hint):
    """(the state_dict in the file the student's process wrote, read as torch.load(weights_only=True) reads it,
    every record stored and every tensor bounded; the file's size in bytes, measured here)."""
    data = student_files.read_bytes(path, within)
    try:
        wire.check_archive(data)
        state = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as error:  # noqa: BLE001 - whatever makes the file unreadable as weights
        raise AssertionError(say(f"{what} cannot be read as a state_dict by torch.load(weights_only=True) "
                                 f"({type(error).__name__}).\nHint: {hint}",
                                 f"{what}: torch.load(weights_only=True)로 state_dict를 읽을 수 없습니다"
                                 f"({type(error).__name__}).\n힌트: {hint}")) from None
    check(isinstance(state, dict), say(f"{what} holds a {type(state).__name__}, not a state_dict.",
                                       f"{what}: state_dict가 아니라 {type(state).__name__} 값이 들어 있습니다."), hint)
    tensors = [v for value in state.values() for v in (value if isinstance(value, tuple) else (value,))
               if isinstance(v, torch.Tensor)]
    check(sum(t.numel() for t in tensors) <= MAX_STATE_ELEMENTS,
          say(f"{what} describes more values than the grader reads.",
              f"{what}: 채점기가 읽는 것보다 많은 값이 들어 있습니다."), hint)
    return state, len(data)


def _linear_names(model):
    return [name for name, module in model.named_modules() if type(module) is torch.nn.Linear]


def _int8_weights_of(state, model, what, passed_in=False):
    """Each Linear of the grader's float `model` is stored in `state` as an int8 weight within half a quantization
    step of the float weight, with the float bias. `passed_in` (the function returned the model it was given) only
    words the message."""
    qint8 = say("Quantize with torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8).",
                "torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)로 양자화하세요.")
    for name in _linear_names(model):
        linear = model.get_submodule(name)
        packed, dtype = state.get(f"{name}._packed_params._packed_params"), state.get(f"{name}._packed_params.dtype")
        check(f"{name}.weight" not in state,
              say(f"{what}: the Linear {name} is still a float Linear (its state_dict holds {name}.weight)"
                  + (": quantize_linear_int8 returned the very model it was given." if passed_in else "."),
                  f"{what}: {name} 계층이 아직 float Linear입니다(state_dict에 {name}.weight 항목이 있습니다)"
                  + (": quantize_linear_int8이 받은 모델을 그대로 반환했습니다." if passed_in else ".")),
              say("quantize_dynamic returns a new model and leaves the one passed as it was (unless inplace=True): "
                  "return what it returns.",
                  "quantize_dynamic은 새 모델을 반환하고, 넘긴 모델은 그대로 둡니다(inplace=True가 아니면): 그 반환값을 "
                  "반환하세요.") if passed_in else qint8)
        check(isinstance(packed, tuple) and len(packed) == 2,
              say(f"{what} holds no packed quantized weight for the Linear {name}.",
                  f"{what}에 Linear {name}의 패킹된 양자화 가중치가 없습니다."), qint8)
        check(dtype == torch.qint8,
              say(f"{what}: the Linear {name} was quantized with dtype {dtype}, not torch.qint8"
                  + (" (float16 dynamic quantization keeps float weights, so the file does not shrink)."
                     if dtype == torch.float16 else "."),
                  f"{what}: {name} 계층을 torch.qint8이 아닌 dtype {dtype} 값으로 양자화했습니다"
                  + ("(float16 동적 양자화는 가중치를 float로 두므로 파일이 작아지지 않습니다)."
                     if dtype == torch.float16 else ".")), qint8)
        weight, bias = packed
        check(isinstance(weight, torch.Tensor) and weight.is_quantized and weight.dtype == torch.qint8
              and weight.shape == linear.weight.shape,
              say(f"{what}: the weight of the Linear {name} is not a qint8 tensor of shape "
                  f"{tuple(linear.weight.shape)}.",
                  f"{what}: Linear {name}의 가중치가 shape가 {tuple(linear.weight.shape)}인 qint8 텐서가 아닙니다."),
              qint8)
        step = (weight.q_scale() if weight.qscheme() in (torch.per_tensor_affine, torch.per_tensor_symmetric)
                else float(weight.q_per_channel_scales().max()))
        error = float((weight.dequantize() - linear.weight.detach()).abs().max())
        check(error <= step / 2 + 1e-6,
              say(f"{what}: the int8 weight of the Linear {name} is {error:.4g} away from the float weight, more "
                  f"than half a quantization step ({step / 2:.4g}): it is not this model's weight, quantized.",
                  f"{what}: Linear {name}의 int8 가중치가 float 가중치와 {error:.4g}만큼 떨어져 있어 양자화 간격의 "
                  f"절반({step / 2:.4g})보다 큽니다: 이 모델의 가중치를 양자화한 것이 아닙니다."), qint8)
        assert_tensor(bias, linear.bias.detach(), say(f"{what}: the bias of the Linear {name}",
                                                      f"{what}: Linear {name}의 편향"), hint=qint8)


def _close_to_float(out, expected, what, hint):
    """Within QUANT_ATOL of the float model's outputs, the same class on QUANT_AGREEMENT of the rows."""
    out = expect_tensor(out, what, hint)
    check(out.shape == expected.shape and out.dtype == torch.float32,
          say(f"{what}: expected float32 outputs of shape {tuple(expected.shape)}, got {out.dtype} of shape "
              f"{tuple(out.shape)}.",
              f"{what}: shape가 {tuple(expected.shape)}인 float32 출력이어야 하는데 {out.dtype}, shape "
              f"{tuple(out.shape)}입니다."), hint)
    gap = float((out - expected).abs().max())
    agreement = float((out.argmax(1) == expected.argmax(1)).float().mean())
    check(gap <= QUANT_ATOL and agreement >= QUANT_AGREEMENT,
          say(f"{what}: the outputs are up to {gap:.3g} from the eval-mode float model's (allowed {QUANT_ATOL}) and "
              f"pick its class on {agreement:.0%} of the inputs (at least {QUANT_AGREEMENT:.0%} needed).",
              f"{what}: 출력이 평가 모드 float 모델의 출력과 최대 {gap:.3g}만큼 다르고(허용 {QUANT_ATOL}), 입력의 "
              f"{agreement:.0%}에서만 같은 클래스를 고릅니다({QUANT_AGREEMENT:.0%} 이상이어야 합니다)."), hint)


def _quantized_facts(impl, folder, run_seed, salt):
    seed = _seed(run_seed, salt)
    model, quantized, float_bytes = _quant_setup(seed)
    inputs = _inputs(QUANT_BATCH, seed + 1)
    path = folder / "quantized.pt"
    facts = quantized_net(impl, seed, inputs, path)
    _value(facts["made"], "quantize_linear_int8(model)")
    check(facts["module"], say(f"quantize_linear_int8(model) should return an nn.Module, got {facts['type']}.",
                               f"quantize_linear_int8(model): nn.Module을 반환해야 하는데 {facts['type']}입니다."),
          say("Return what quantize_dynamic returns.", "quantize_dynamic이 반환한 것을 반환하세요."))
    return seed, model, quantized, float_bytes, inputs, path, facts


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("quantize_linear_int8's model stays within 0.05 of the float model's outputs",
                   ko="quantize_linear_int8이 만든 모델의 출력은 float 모델의 출력과 0.05 이내로 가깝습니다")
def test_quantized_outputs_stay_close_to_float(impl, student_path, run_seed):
    _, model, _, _, inputs, _, facts = _quantized_facts(impl, student_path, run_seed, 11)
    what = say(f"the quantized model's outputs on a batch of {QUANT_BATCH}",
               f"크기 {QUANT_BATCH}인 배치에 대한 양자화한 모델의 출력")
    with torch.no_grad():
        expected = model(inputs)
    _close_to_float(_value(facts["outputs"], what), expected, what,
                    say("Return quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8), in eval mode (dropout "
                        "off): int8 weights move each output by a few thousandths, not more.",
                        "quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)을 평가 모드로(드롭아웃을 끄고) "
                        "반환하세요: int8 가중치는 각 출력을 천분의 몇 정도만 바꿉니다."))


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("The quantized state_dict holds int8 Linear weights, is under 40% of the float size, and runs "
                   "close to the float model",
                   ko="양자화한 state_dict에는 int8 Linear 가중치가 들어 있고, float 크기의 40% 미만이며, float 모델에 "
                      "가깝게 동작합니다")
def test_quantized_state_is_int8_and_smaller(impl, student_path, run_seed):
    seed, model, quantized, float_bytes, _, path, facts = _quantized_facts(impl, student_path, run_seed, 12)
    _value(facts["saved"], "torch.save(quantize_linear_int8(model).state_dict(), path)")
    what = say("the quantized model's saved state_dict", "양자화한 모델을 저장한 state_dict")
    hint = say("Return quantize_dynamic(model.eval(), {nn.Linear}, dtype=torch.qint8).",
               "quantize_dynamic(model.eval(), {nn.Linear}, dtype=torch.qint8)을 반환하세요.")
    state, size = _saved_state(path, student_path, what, hint)
    _int8_weights_of(state, model, what, passed_in=facts.get("passed_in", False))
    check(size <= QUANT_SIZE_RATIO * float_bytes,
          say(f"{what} is {size} bytes, {size / float_bytes:.0%} of the float state_dict's {float_bytes} (at most "
              f"{QUANT_SIZE_RATIO:.0%} expected).",
              f"{what}: {size}바이트로, float state_dict {float_bytes}바이트의 {size / float_bytes:.0%}입니다"
              f"({QUANT_SIZE_RATIO:.0%} 이하여야 합니다)."), hint)
    # the weights in the file, run by the judge in its own quantized model, on inputs the student never saw
    try:
        quantized.load_state_dict(state)
    except (RuntimeError, KeyError, TypeError, ValueError) as error:
        raise AssertionError(say(f"{what} does not load into the grader's quantized model: {str(error)[:200]}",
                                 f"{what}: 채점기의 양자화 모델에 불러올 수 없습니다: {str(error)[:200]}")
                             + say(f"\nHint: {hint}", f"\n힌트: {hint}")) from None
    x = _inputs(QUANT_BATCH, seed + 2)
    with torch.no_grad():
        _close_to_float(quantized(x), model(x), say("the saved quantized weights, run by the grader",
                                                    "채점기가 실행한, 저장된 양자화 가중치"), hint)


@pytest.mark.points(1)
@pytest.mark.numerics
@pytest.mark.title("quantize_linear_int8 leaves the float model as it was",
                   ko="quantize_linear_int8은 float 모델을 그대로 둡니다")
def test_quantizing_leaves_the_float_model(impl, student_path, run_seed):
    _, model, quantized, _, inputs, _, facts = _quantized_facts(impl, student_path, run_seed, 13)
    what = say("the float model's outputs after quantize_linear_int8(model) (in eval mode)",
               "quantize_linear_int8(model) 호출 뒤 float 모델의 출력(평가 모드)")
    with torch.no_grad():
        expected, in_place = model(inputs), quantized(inputs)
    assert_tensor(_value(facts["float_after"], what), expected, what, atol=1e-5,
                  hint=say("Quantize a copy: quantize_dynamic returns a new model unless inplace=True.",
                           "복사본을 양자화하세요: quantize_dynamic은 inplace=True가 아니면 새 모델을 반환합니다."),
                  mistakes={(say("the float model was quantized in place (inplace=True), so its Linears are int8 now",
                                 "float 모델을 제자리에서(inplace=True) 양자화해 그 Linear가 이제 int8입니다"),
                             say("Leave inplace at its default (False): the float model is the baseline the quantized "
                                 "one is compared with.",
                                 "inplace는 기본값(False)으로 두세요: float 모델은 양자화한 모델과 비교할 기준입니다.")):
                            in_place})


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("saved_size writes the state_dict and returns the file's size in bytes",
                   ko="saved_size는 state_dict를 저장하고 그 파일의 크기를 바이트 단위로 반환합니다")
def test_saved_size_is_the_files_bytes(impl, student_path, run_seed):
    seed = _seed(run_seed, 14)
    model, quantized, _ = _quant_setup(seed)
    paths = {"float": student_path / "float.pt", "quantized": student_path / "quantized.pt"}
    # path: str | Path, so one call gets a pathlib.Path and the other a str
    facts = saved_sizes(impl, seed, paths["float"], str(paths["quantized"]))
    hint = say("torch.save(model.state_dict(), path), then return os.path.getsize(path).",
               "torch.save(model.state_dict(), path) 다음에 os.path.getsize(path)를 반환하세요.")
    as_str = say("path may be a str as well as a pathlib.Path (path: str | Path), and this call got a str: "
                 "os.path.getsize(path) takes both, path.stat() only a Path (or wrap it first: Path(path)).",
                 "path는 pathlib.Path뿐 아니라 str일 수도 있고(path: str | Path), 이번 호출의 path는 str입니다: "
                 "os.path.getsize(path)는 둘 다 받지만 path.stat()은 Path에만 있습니다(먼저 Path(path)로 감싸도 "
                 "됩니다).")
    for kind, module, ko, given in (("float", model, "float", "Path"), ("quantized", quantized, "양자화한", "str")):
        call = say(f"saved_size(model, path) on the {kind} model (path given as a {given})",
                   f"{ko} 모델에 대한 saved_size(model, path)(path의 타입: {given})")
        named = given == "str" and "'str' object has no attribute" in str(facts[kind].get("raised", ""))
        returned = _value(facts[kind], call, as_str if named else "")  # the raised text only words the hint
        state, size = _saved_state(paths[kind], student_path, say(f"the file saved_size wrote for the {kind} model",
                                                                  f"saved_size가 {ko} 모델에 대해 저장한 파일"),
                                   say("Save model.state_dict(), not the module: torch.save(model) pickles its class.",
                                       "모듈이 아니라 model.state_dict()를 저장하세요: torch.save(model)은 클래스까지 "
                                       "pickle로 저장합니다."))
        check(sorted(state) == sorted(module.state_dict()),
              say(f"the file saved_size wrote for the {kind} model holds the keys {sorted(state)[:4]}, not the "
                  "model's state_dict.",
                  f"saved_size가 {ko} 모델에 대해 저장한 파일은 모델의 state_dict가 아닙니다(키: {sorted(state)[:4]})."), hint)
        parameter_bytes = sum(p.numel() * p.element_size() for p in module.parameters())
        assert_scalar(returned, size, say(f"{call}, against the size of the file it wrote",
                                          f"{call}, 저장한 파일의 크기와 비교"), rtol=0, atol=0.5, hint=hint,
                      mistakes={say("the size in kilobytes (bytes / 1024)", "킬로바이트 단위의 크기(바이트 / 1024)"):
                                size / 1024,
                                say("the size in megabytes", "메가바이트 단위의 크기"): size / 1e6,
                                say("the size in mebibytes (bytes / 2**20)", "메비바이트 단위의 크기(바이트 / 2**20)"):
                                size / 2 ** 20,
                                (say("sys.getsizeof(model), the size of the Python object alone, not of its weights",
                                     "가중치가 아니라 Python 객체 자체의 크기인 sys.getsizeof(model)"),
                                 say("sys.getsizeof counts the object's own few dozen bytes, never the tensors it "
                                     "holds: save the state_dict and measure the file.",
                                     "sys.getsizeof는 객체 자신의 몇십 바이트만 셀 뿐, 객체가 가진 텐서는 세지 않습니다: "
                                     "state_dict를 저장하고 그 파일의 크기를 재세요.")): sys.getsizeof(module),
                                (say("the number of parameters, not bytes", "바이트 수가 아니라 매개변수의 개수"),
                                 say("Count bytes: the saved file's size, which os.path.getsize(path) gives.",
                                     "바이트를 세세요: 저장한 파일의 크기는 os.path.getsize(path)가 줍니다.")):
                                sum(p.numel() for p in module.parameters()),
                                (say("the bytes of model.parameters()", "model.parameters()의 바이트 수"),
                                 say("A dynamically quantized Linear keeps its int8 weights in packed parameters that "
                                     "parameters() does not list: measure the saved file.",
                                     "동적 양자화한 Linear는 int8 가중치를 parameters()가 나열하지 않는 패킹된 매개변수에 "
                                     "둡니다: 저장한 파일의 크기를 재세요.")): parameter_bytes})
