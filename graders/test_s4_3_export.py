"""4.3 ONNX and TorchScript export: the promises of exercises/s4_3_export.py.

Student functions always receive a deep copy of the grader's model; expected outputs come from the
grader's own copy in evaluation mode, so nothing the student does to the model moves the target.
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

from graders.support.assertions import assert_tensor, check, expect_tensor, expect_type

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


# -- ONNX: one export per grader run, shared by the checks below ----------------------------------
@pytest.fixture(scope="module")
def onnx_export(impl, tmp_path_factory):
    """(model, path, problem): the student's export of a Classifier; problem is the exception it raised."""
    model = _classifier()
    path = tmp_path_factory.mktemp("onnx") / "classifier.onnx"
    try:
        impl.export_onnx(copy.deepcopy(model), _inputs(EXAMPLE_BATCH, 0), path)
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


@pytest.mark.points(2)
@pytest.mark.export
def test_trace_freezes_the_example_branch(impl):
    model, positive, negative = _gated()
    traced = _call("trace_model(model, example)", impl.trace_model, copy.deepcopy(model), positive)
    expect_type(traced, torch.jit.ScriptModule, "trace_model(model, example)",
                "Return what torch.jit.trace returns.")
    with torch.no_grad():
        assert_tensor(traced(positive), _eval_outputs(model, positive),
                      "the traced GatedNet on its own example input",
                      hint="Dropout is still active in the trace: call model.eval() before torch.jit.trace.")
        frozen = _eval_outputs(model.linear, negative) * 2  # the example's branch, applied to the other input
        got = traced(negative)
        eager = _eval_outputs(model, negative)
    check(torch.allclose(got, frozen, atol=1e-5) and not torch.allclose(got, eager, atol=1e-3),
          "On an input whose h.mean() < 0, a trace of GatedNet made on a positive example should still "
          f"return h * 2 (the frozen branch: {frozen[0, :3].tolist()} ...); got {got[0, :3].tolist()} ..., "
          f"eager gives {eager[0, :3].tolist()} ....",
          "trace_model must use torch.jit.trace on the example given: it records one path through the `if`.")


@pytest.mark.points(2)
@pytest.mark.export
def test_torchscript_follows_both_branches_after_reload(impl, tmp_path):
    model, positive, negative = _gated()
    scripted = _call("to_torchscript(model, example)", impl.to_torchscript, copy.deepcopy(model), positive)
    expect_type(scripted, torch.jit.ScriptModule, "to_torchscript(model, example)",
                "Return a TorchScript module (torch.jit.script's result), not the nn.Module itself.")
    path = tmp_path / "gated.pt"
    torch.jit.save(scripted, str(path))
    reloaded = torch.jit.load(str(path))
    with torch.no_grad():
        on_example = reloaded(positive)
        assert_tensor(on_example, _eval_outputs(model, positive),
                      "the reloaded TorchScript GatedNet on its example (h.mean() > 0)",
                      hint="Dropout is still active: call model.eval() before converting.")
        assert_tensor(reloaded(negative), _eval_outputs(model, negative),
                      "the reloaded TorchScript GatedNet on an input with h.mean() < 0",
                      hint="It returned the example's branch: a trace froze the `if`. Use torch.jit.script, "
                           "which compiles the source and keeps the control flow.")


@pytest.mark.points(2)
@pytest.mark.export
def test_exported_program_accepts_other_batch_sizes(impl):
    model = _classifier(seed=4)
    program = _call("export_program(model, example)", impl.export_program, copy.deepcopy(model),
                    _inputs(EXAMPLE_BATCH, 1),
                    hint="Use dynamic_shapes keyed by forward's argument name ('features'); example batch >= 2.")
    expect_type(program, torch.export.ExportedProgram, "export_program(model, example)",
                "Return what torch.export.export returns.")
    module = program.module()
    for batch in PROGRAM_BATCHES:
        x = _inputs(batch, 20 + batch)
        out = _call(f"program.module()(x) for a batch of {batch}", module, x,
                    hint=f"The batch dimension was fixed to the example's ({EXAMPLE_BATCH}): pass dynamic_shapes="
                         "{'features': {0: torch.export.Dim('batch')}} to torch.export.export.")
        assert_tensor(out, _eval_outputs(model, x), f"the exported program's output for a batch of {batch}",
                      hint="The program recorded training-mode dropout and batch statistics: call model.eval() "
                           "before torch.export.export.")


@pytest.mark.points(2)
@pytest.mark.export
def test_saved_program_is_a_pt2_archive(impl, tmp_path):
    model = _classifier(seed=5).eval()
    example = _inputs(EXAMPLE_BATCH, 2)
    program = torch.export.export(copy.deepcopy(model), (example,),
                                  dynamic_shapes={"features": {0: torch.export.Dim("batch")}})
    path = tmp_path / "classifier.pt2"
    _call("save_program(program, path)", impl.save_program, program, path)
    try:
        ours = torch.export.load(str(path))
    except Exception as error:  # noqa: BLE001 - whatever the file is, it is not a .pt2 archive
        raise AssertionError(
            f"torch.export.load could not read the file save_program wrote ({type(error).__name__}).\n"
            "Hint: write it with torch.export.save(program, path); torch.save pickles the object into a "
            "file that only your own load function can read.") from None
    theirs = _call("load_program(path)", impl.load_program, path)
    expect_type(theirs, torch.export.ExportedProgram, "load_program(path)",
                "Return torch.export.load(path).")
    x = _inputs(6, 30)
    expected = _eval_outputs(model, x)
    assert_tensor(ours.module()(x), expected, "torch.export.load(path).module()(x) for a batch of 6")
    assert_tensor(theirs.module()(x), expected, "load_program(path).module()(x) for a batch of 6")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
def test_exported_program_from_a_cuda_model(impl):
    model = _classifier(seed=6).cuda()
    program = _call("export_program(model, example) for a CUDA model", impl.export_program,
                    copy.deepcopy(model), _inputs(EXAMPLE_BATCH, 3).cuda())
    x = _inputs(5, 31).cuda()
    assert_tensor(program.module()(x), _eval_outputs(model, x), "the exported CUDA program for a batch of 5",
                  atol=1e-4, hint="Export on the device the model lives on, in eval mode.")
