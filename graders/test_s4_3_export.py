"""4.3 ONNX and TorchScript export: the promises of exercises/s4_3_export.py.

Student functions run beside the student's code (the @observation functions below) on a model
built there from a seed; expected outputs come from the grader's own copy, built here from the same
seed and run in evaluation mode, so nothing the student does to the model moves the target. The
ONNX files the student's code writes are checked and run here with onnx and onnxruntime; TorchScript
and torch.export files are loaded and run in the student's process, never here.
"""
import copy
import re

import numpy
import onnx
import onnxruntime
import pytest
import torch
from onnx import helper, numpy_helper
from torch import nn

from graders.support.assertions import assert_tensor, check, expect_tensor
from ptgrade.remote import WorkerProblem, observation

IN_FEATURES = 10
EXAMPLE_BATCH = 4
ONNX_BATCHES = (1, 3, 9)
PROGRAM_BATCHES = (3, 7)


class Classifier(nn.Module):
    """BatchNorm + Dropout, so training and evaluation mode give different outputs."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(IN_FEATURES, 12)
        self.norm = nn.BatchNorm1d(12)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(12, 3)

    def forward(self, features):
        return self.out(self.dropout(torch.relu(self.norm(self.hidden(features)))))


class GatedNet(nn.Module):
    """A branch on tensor values: what torch.jit.trace cannot record."""

    def __init__(self, size=5):
        super().__init__()
        self.linear = nn.Linear(size, size)
        self.dropout = nn.Dropout(0.3)

    def forward(self, x):
        h = self.dropout(self.linear(x))
        if h.mean() > 0:
            return h * 2
        return -h


def _classifier(seed=0):
    """A Classifier in training mode whose BatchNorm running statistics are far from (0, 1)."""
    torch.manual_seed(seed)
    model = Classifier()
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _ in range(5):
            model(torch.randn(16, IN_FEATURES, generator=generator) * 2 + 1)
    return model.train()


def _gated():
    torch.manual_seed(1)
    model = GatedNet()
    with torch.no_grad():
        model.linear.weight.mul_(0.2).add_(torch.eye(5))
        model.linear.bias.zero_()
    generator = torch.Generator().manual_seed(2)
    positive = torch.rand(3, 5, generator=generator) + 1  # h.mean() > 0: the `h * 2` branch
    return model.train(), positive, -positive             # h.mean() < 0: the `-h` branch


def _eval_outputs(model, x):
    reference = copy.deepcopy(model).eval()
    with torch.no_grad():
        return reference(x)


def _inputs(batch, seed):
    return torch.randn(batch, IN_FEATURES, generator=torch.Generator().manual_seed(seed)) * 2 + 1


def _summary(error):
    """`Type: the line that explains it` (the exporter puts its cause under '## Exception summary')."""
    lines = [line.strip() for line in re.sub(r"\x1b\[[0-9;]*m", "", str(error)).splitlines() if line.strip()]
    if "## Exception summary" in lines and lines.index("## Exception summary") + 1 < len(lines):
        return lines[lines.index("## Exception summary") + 1][:400]
    return f"{type(error).__name__}: {lines[0][:300] if lines else ''}"


def _call(what, function, *args, hint=""):
    """Call student code; an exception other than NotImplementedError becomes a failed check."""
    try:
        return function(*args)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - any crash in student code is reported as a failure
        raise AssertionError(f"{what} raised {_summary(error)}" + (f"\nHint: {hint}" if hint else "")) from None


def _attempt(function, *args):
    """(In the student's process) {"value": function(*args)} or {"raised": what it raised, summarised};
    NotImplementedError goes through (the check is not started)."""
    try:
        return {"value": function(*args)}
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - reported by the check, as _call does
        return {"raised": _summary(error)}


def _value(attempt, what, hint=""):
    """The value of an _attempt, or the failed check _call would have reported."""
    if "raised" in attempt:
        raise AssertionError(f"{what} raised {attempt['raised']}" + (f"\nHint: {hint}" if hint else ""))
    return attempt["value"]


# -- ONNX: one export per grader run, shared by the checks below ----------------------------------
@observation
def onnx_exported(impl, seed, example, path):
    """export_onnx(model, example, path) on a _classifier(seed) built beside the student's code."""
    impl.export_onnx(_classifier(seed), example, path)


@pytest.fixture(scope="module")
def onnx_export(impl, tmp_path_factory):
    """(model, path, problem): the student's export of a Classifier (the grader's copy of which is
    `model`); problem is the exception it raised."""
    model = _classifier()
    path = tmp_path_factory.mktemp("onnx") / "classifier.onnx"
    try:
        onnx_exported(impl, 0, _inputs(EXAMPLE_BATCH, 0), path)
    except WorkerProblem:  # a timeout or a crash: every check that needs the file reports it
        raise
    except Exception as error:  # noqa: BLE001 - replayed by each check that needs the file
        return model, path, error
    return model, path, None


def _exported_file(onnx_export):
    model, path, problem = onnx_export
    if isinstance(problem, NotImplementedError):
        raise problem
    if problem is not None:
        raise AssertionError(
            f"export_onnx(model, example, path) raised {_summary(problem)}\n"
            "Hint: the keys of dynamic_shapes must be the names of forward's arguments (this model's "
            "forward(self, features) has the argument `features`), or use a tuple in argument order; "
            "the example batch must be 2 or more.")
    check(path.is_file(), f"export_onnx(model, example, path) wrote no file at {path.name}.",
          "torch.onnx.export returns an ONNXProgram; write it with onnx_program.save(path).")
    return model, path


def _session(path):
    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("export_onnx writes a file that passes the ONNX checker",
                   ko="export_onnx는 ONNX 검사기를 통과하는 파일을 저장합니다")
def test_onnx_file_loads_and_passes_the_checker(impl, onnx_export):
    _, path = _exported_file(onnx_export)
    try:
        proto = onnx.load(str(path))
        onnx.checker.check_model(str(path))
    except Exception as error:  # noqa: BLE001 - whatever makes the file unreadable
        raise AssertionError(
            f"The file export_onnx wrote is not a valid ONNX model: onnx says {type(error).__name__}: "
            f"{str(error).splitlines()[0][:200] if str(error) else ''}\n"
            "Hint: save the ONNXProgram with onnx_program.save(path); torch.save pickles Python objects "
            "and does not write ONNX.") from None
    check(len(proto.graph.input) == 1 and len(proto.graph.output) == 1,
          f"The ONNX graph should have one input and one output, got {len(proto.graph.input)} inputs and "
          f"{len(proto.graph.output)} outputs.", "Export with args=(example,): one tensor in, one out.")


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("The exported ONNX model has a dynamic batch dimension",
                   ko="내보낸 ONNX 모델의 배치 차원은 동적입니다")
def test_onnx_batch_dimension_is_dynamic(impl, onnx_export):
    _, path = _exported_file(onnx_export)
    dims = onnx.load(str(path)).graph.input[0].type.tensor_type.shape.dim
    shape = [d.dim_param or d.dim_value for d in dims]
    check(len(dims) == 2 and dims[0].dim_param != "" and dims[1].dim_value == IN_FEATURES,
          f"The ONNX input's shape should be [<symbolic batch>, {IN_FEATURES}], got {shape}.",
          f"Without dynamic_shapes the batch is fixed to the example's ({EXAMPLE_BATCH}): pass "
          "dynamic_shapes={'features': {0: torch.export.Dim('batch')}} to torch.onnx.export.")


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("ONNX Runtime matches eager outputs for several batch sizes",
                   ko="ONNX Runtime은 여러 배치 크기에서 eager와 같은 출력을 냅니다")
def test_onnx_runtime_matches_eager_for_several_batch_sizes(impl, onnx_export):
    model, path = _exported_file(onnx_export)
    session = _session(path)
    name = session.get_inputs()[0].name
    for batch in ONNX_BATCHES:
        x = _inputs(batch, 10 + batch)
        try:
            (out, *_) = session.run(None, {name: x.numpy()})
        except Exception as error:  # noqa: BLE001 - onnxruntime's shape errors
            raise AssertionError(
                f"onnxruntime could not run the exported model on a batch of {batch}: "
                f"{str(error).splitlines()[0][:200]}\nHint: the batch dimension was fixed to the example's; "
                "make dimension 0 dynamic with dynamic_shapes.") from None
        assert_tensor(torch.from_numpy(out), _eval_outputs(model, x),
                      f"onnxruntime output of the exported model for a batch of {batch}", atol=1e-4,
                      hint="Compare against the model in eval mode: call model.eval() before exporting.")


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
    _, path = _exported_file(onnx_export)
    proto = onnx.load(str(path))
    training = []
    for node in proto.graph.node:
        if node.op_type == "Dropout" and len(node.input) >= 3 and node.input[2]:
            flag = _constant(proto, node.input[2])
            if flag is None or bool(numpy.asarray(flag).any()):
                training.append(f"Dropout {node.name or ''}".strip())
        if node.op_type == "BatchNormalization" and any(
                a.name == "training_mode" and helper.get_attribute_value(a) for a in node.attribute):
            training.append(f"BatchNormalization {node.name or ''}".strip())
    check(not training, f"The exported ONNX graph still runs in training mode: {', '.join(training)} "
          "with training_mode set.",
          "The model was exported in training mode (dropout active, batch statistics); call model.eval() "
          "before torch.onnx.export.")


@pytest.mark.points(2)
@pytest.mark.numerics
@pytest.mark.title("run_onnx feeds the input under the session's input name",
                   ko="run_onnx는 세션의 입력 이름으로 입력을 전달합니다")
def test_run_onnx_feeds_the_sessions_input_name(impl, tmp_path):
    generator = torch.Generator().manual_seed(3)
    weight = torch.randn(3, 2, generator=generator)
    bias = torch.randn(2, generator=generator)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["pixels", "weight"], ["product"]),
         helper.make_node("Add", ["product", "bias"], ["scores"])],
        "affine",
        [helper.make_tensor_value_info("pixels", onnx.TensorProto.FLOAT, ["batch", 3])],
        [helper.make_tensor_value_info("scores", onnx.TensorProto.FLOAT, ["batch", 2])],
        [numpy_helper.from_array(weight.numpy(), "weight"), numpy_helper.from_array(bias.numpy(), "bias")])
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    path = tmp_path / "affine.onnx"
    onnx.save(proto, str(path))
    for batch in (2, 5):
        x = torch.randn(batch, 3, generator=generator)
        out = _call(f"run_onnx(path, x) for a model whose input is named 'pixels', batch {batch}",
                    impl.run_onnx, path, x,
                    hint="Do not hard-code the input name: read it from session.get_inputs()[0].name.")
        out = expect_tensor(out, f"run_onnx(path, x) for a batch of {batch}",
                            "onnxruntime returns NumPy arrays; convert with torch.from_numpy(...).")
        assert_tensor(out, x @ weight + bias, f"run_onnx(path, x) for x of shape {(batch, 3)}",
                      hint="Return the session's first output, converted with torch.from_numpy.")


def _gated_outputs(module, inputs):
    """(In the student's process) module(x) for each x, without gradients, each as an _attempt."""
    with torch.no_grad():
        return [_attempt(module, x) for x in inputs]


@observation
def traced_gated(impl, positive, negative):
    """trace_model(model, positive) on a _gated() model built beside the student's code: whether it
    is a ScriptModule, and its outputs on positive and negative."""
    traced = _attempt(impl.trace_model, _gated()[0], positive)
    if "raised" in traced:
        return {"made": traced}
    module = traced["value"]
    facts = {"made": {"value": None}, "script": isinstance(module, torch.jit.ScriptModule),
             "type": type(module).__name__}
    if facts["script"]:
        facts["outputs"] = _gated_outputs(module, (positive, negative))
    return facts


def _script_kind(facts, what, hint):
    check(facts["script"], f"{what} should be a ScriptModule, got {facts['type']}.", hint)


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("trace_model records only the example input's branch",
                   ko="trace_model은 예제 입력이 지나간 분기만 기록합니다")
def test_trace_freezes_the_example_branch(impl):
    model, positive, negative = _gated()
    facts = traced_gated(impl, positive, negative)
    _value(facts["made"], "trace_model(model, example)")
    _script_kind(facts, "trace_model(model, example)", "Return what torch.jit.trace returns.")
    on_positive, on_negative = facts["outputs"]
    with torch.no_grad():
        assert_tensor(_value(on_positive, "the traced GatedNet on its own example input"),
                      _eval_outputs(model, positive), "the traced GatedNet on its own example input",
                      hint="Dropout is still active in the trace: call model.eval() before torch.jit.trace.")
        frozen = _eval_outputs(model.linear, negative) * 2  # the example's branch, applied to the other input
        got = expect_tensor(_value(on_negative, "the traced GatedNet on an input with h.mean() < 0"),
                            "the traced GatedNet on an input with h.mean() < 0")
        eager = _eval_outputs(model, negative)
    check(tuple(got.shape) == tuple(frozen.shape) and torch.allclose(got, frozen, atol=1e-5)
          and not torch.allclose(got, eager, atol=1e-3),
          "On an input whose h.mean() < 0, a trace of GatedNet made on a positive example should still "
          f"return h * 2 (the frozen branch: {frozen[0, :3].tolist()} ...); got {got.reshape(-1)[:3].tolist()} ..., "
          f"eager gives {eager[0, :3].tolist()} ....",
          "trace_model must use torch.jit.trace on the example given: it records one path through the `if`.")


@observation
def scripted_gated_reloaded(impl, positive, negative, path):
    """to_torchscript(model, positive) on a _gated() model built beside the student's code: whether it
    is a ScriptModule, then torch.jit.save to `path`, torch.jit.load, and the reloaded module's outputs
    on positive and negative."""
    scripted = _attempt(impl.to_torchscript, _gated()[0], positive)
    if "raised" in scripted:
        return {"made": scripted}
    module = scripted["value"]
    facts = {"made": {"value": None}, "script": isinstance(module, torch.jit.ScriptModule),
             "type": type(module).__name__}
    if facts["script"]:
        torch.jit.save(module, str(path))
        facts["outputs"] = _gated_outputs(torch.jit.load(str(path)), (positive, negative))
    return facts


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("to_torchscript keeps both branches, even after reloading",
                   ko="to_torchscript는 다시 불러온 뒤에도 두 분기를 모두 따릅니다")
def test_torchscript_follows_both_branches_after_reload(impl, tmp_path):
    model, positive, negative = _gated()
    facts = scripted_gated_reloaded(impl, positive, negative, tmp_path / "gated.pt")
    _value(facts["made"], "to_torchscript(model, example)")
    _script_kind(facts, "to_torchscript(model, example)",
                 "Return a TorchScript module (torch.jit.script's result), not the nn.Module itself.")
    on_example, on_negative = facts["outputs"]
    what = "the reloaded TorchScript GatedNet on its example (h.mean() > 0)"
    assert_tensor(_value(on_example, what), _eval_outputs(model, positive), what,
                  hint="Dropout is still active: call model.eval() before converting.")
    what = "the reloaded TorchScript GatedNet on an input with h.mean() < 0"
    assert_tensor(_value(on_negative, what), _eval_outputs(model, negative), what,
                  hint="It returned the example's branch: a trace froze the `if`. Use torch.jit.script, "
                       "which compiles the source and keeps the control flow.")


@observation
def exported_program_outputs(impl, seed, example, inputs, cuda=False):
    """export_program(model, example) on a _classifier(seed) built beside the student's code (on CUDA
    with cuda=True): whether it is an ExportedProgram, and program.module()(x) for each input."""
    model = _classifier(seed=seed)
    exported = _attempt(impl.export_program, model.cuda() if cuda else model, example)
    if "raised" in exported:
        return {"made": exported}
    program = exported["value"]
    facts = {"made": {"value": None}, "program": isinstance(program, torch.export.ExportedProgram),
             "type": type(program).__name__}
    if facts["program"]:
        module = program.module()
        facts["outputs"] = [_attempt(module, x) for x in inputs]
    return facts


def _program_kind(facts, what, hint):
    check(facts["program"], f"{what} should be a ExportedProgram, got {facts['type']}.", hint)


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("export_program accepts batch sizes other than the example's",
                   ko="export_program은 예제와 다른 배치 크기도 받습니다")
def test_exported_program_accepts_other_batch_sizes(impl):
    model = _classifier(seed=4)
    inputs = [_inputs(batch, 20 + batch) for batch in PROGRAM_BATCHES]
    facts = exported_program_outputs(impl, 4, _inputs(EXAMPLE_BATCH, 1), inputs)
    _value(facts["made"], "export_program(model, example)",
           hint="Use dynamic_shapes keyed by forward's argument name ('features'); example batch >= 2.")
    _program_kind(facts, "export_program(model, example)", "Return what torch.export.export returns.")
    for batch, x, attempt in zip(PROGRAM_BATCHES, inputs, facts["outputs"]):
        out = _value(attempt, f"program.module()(x) for a batch of {batch}",
                     hint=f"The batch dimension was fixed to the example's ({EXAMPLE_BATCH}): pass dynamic_shapes="
                          "{'features': {0: torch.export.Dim('batch')}} to torch.export.export.")
        assert_tensor(out, _eval_outputs(model, x), f"the exported program's output for a batch of {batch}",
                      hint="The program recorded training-mode dropout and batch statistics: call model.eval() "
                           "before torch.export.export.")


@observation
def program_saved_and_loaded(impl, seed, example, path, x):
    """The grader's torch.export of a _classifier(seed) in eval mode, saved by save_program(program,
    path); then whether torch.export.load(path) can read the file, and if so load_program(path):
    whether it gave an ExportedProgram, and each loaded program's module()(x)."""
    model = _classifier(seed=seed).eval()
    program = torch.export.export(copy.deepcopy(model), (example,),
                                  dynamic_shapes={"features": {0: torch.export.Dim("batch")}})
    facts = {"saved": _attempt(impl.save_program, program, path)}
    if "raised" in facts["saved"]:
        return facts
    facts["saved"] = {"value": None}
    try:
        ours = torch.export.load(str(path))
    except Exception as error:  # noqa: BLE001 - whatever the file is, it is not a .pt2 archive
        facts["unreadable"] = type(error).__name__
        return facts
    facts["ours"] = _attempt(ours.module(), x)
    facts["loaded"] = _attempt(impl.load_program, path)
    if "raised" in facts["loaded"]:
        return facts
    program, facts["loaded"] = facts["loaded"]["value"], {"value": None}
    facts.update(program=isinstance(program, torch.export.ExportedProgram), type=type(program).__name__)
    if facts["program"]:
        facts["theirs"] = _attempt(program.module(), x)
    return facts


@pytest.mark.points(2)
@pytest.mark.export
@pytest.mark.title("save_program writes a .pt2 archive torch.export.load reads",
                   ko="save_program은 torch.export.load로 읽을 수 있는 .pt2 파일을 저장합니다")
def test_saved_program_is_a_pt2_archive(impl, tmp_path):
    model = _classifier(seed=5).eval()
    example = _inputs(EXAMPLE_BATCH, 2)
    path = tmp_path / "classifier.pt2"
    x = _inputs(6, 30)
    facts = program_saved_and_loaded(impl, 5, example, path, x)
    _value(facts["saved"], "save_program(program, path)")
    if "unreadable" in facts:
        raise AssertionError(
            f"torch.export.load could not read the file save_program wrote ({facts['unreadable']}).\n"
            "Hint: write it with torch.export.save(program, path); torch.save pickles the object into a "
            "file that only your own load function can read.")
    _value(facts["loaded"], "load_program(path)")
    _program_kind(facts, "load_program(path)", "Return torch.export.load(path).")
    expected = _eval_outputs(model, x)
    assert_tensor(_value(facts["ours"], "torch.export.load(path).module()(x)"), expected,
                  "torch.export.load(path).module()(x) for a batch of 6")
    assert_tensor(_value(facts["theirs"], "load_program(path).module()(x)"), expected,
                  "load_program(path).module()(x) for a batch of 6")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
@pytest.mark.title("export_program exports a CUDA model that matches eager",
                   ko="export_program은 eager와 일치하는 CUDA 모델을 내보냅니다")
def test_exported_program_from_a_cuda_model(impl):
    model = _classifier(seed=6).cuda()
    x = _inputs(5, 31).cuda()
    facts = exported_program_outputs(impl, 6, _inputs(EXAMPLE_BATCH, 3).cuda(), [x], cuda=True)
    _value(facts["made"], "export_program(model, example) for a CUDA model")
    _program_kind(facts, "export_program(model, example)", "Return what torch.export.export returns.")
    assert_tensor(_value(facts["outputs"][0], "the exported CUDA program for a batch of 5"),
                  _eval_outputs(model, x), "the exported CUDA program for a batch of 5",
                  atol=1e-4, hint="Export on the device the model lives on, in eval mode.")
