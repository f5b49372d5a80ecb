"""4.3 ONNX and TorchScript export: what the student's process observes for exercises/s4_3_export.py.

The models the student's functions export are built here, beside the student's code, from a seed the judge
sends (a Classifier with BatchNorm and Dropout, a GatedNet that branches on tensor values, a ConvNet whose
BatchNorm freezing folds, a QuantNet of large Linears for dynamic quantization). The observations hand them to
export_onnx, export_program, save_program / load_program, trace_model, to_torchscript, freeze_for_inference,
quantize_linear_int8 and saved_size (and run_onnx a layer's output made here) and report, as data: what each call raised
(summarised), whether the result is an ExportedProgram or a ScriptModule, the outputs it gives on the inputs the
judge sent, and for a frozen module the parameters it keeps and the attributes and operators its forward graph
holds. The files they write (ONNX, .pt2, TorchScript archives) stay in the folder the judge names, for the judge
to read. TorchScript modules are saved, reloaded and run through torch's C++ bindings taken when this module is
imported (before the student's file), never through the Python objects the student's code returned.
"""
import copy

import torch
from torch import nn

from graders.support.raised import explaining_line
from ptgrade.protocol.observation import observation

IN_FEATURES = 10


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


class ConvNet(nn.Module):
    """Conv2d + BatchNorm2d (which freezing folds into the convolution) and Dropout (which it drops)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, padding=1)
        self.norm = nn.BatchNorm2d(6)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(6, 3)

    def forward(self, images):
        h = torch.relu(self.norm(self.conv(images)))
        return self.out(self.dropout(h.mean(dim=(2, 3))))


def _conv_net(seed=7):
    """A ConvNet in training mode whose BatchNorm running statistics are far from (0, 1)."""
    torch.manual_seed(seed)
    model = ConvNet()
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _ in range(5):
            model(torch.randn(8, 3, 6, 6, generator=generator) * 2 + 1)
    return model.train()


# -- what the student's code raised, summarised in the student's process ---------------------------------------


def _attempt(function, *args):
    """(In the student's process) {"value": function(*args)} or {"raised": what it raised, summarised};
    NotImplementedError goes through (the check is not started)."""
    try:
        return {"value": function(*args)}
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - reported by the check, as errors.calling does
        return {"raised": explaining_line(error)}


# -- ONNX ---------------------------------------------------------------------------------------------------------
@observation
def onnx_exported(impl, seed, example, path):
    """export_onnx(model, example, path) on a _classifier(seed) built beside the student's code."""
    impl.export_onnx(_classifier(seed), example, path)


@observation
def run_onnx_on_layer_output(impl, path, inputs, layer):
    """run_onnx(path, x) on x = inputs @ layer made beside the student's code with `layer` requiring grad: the output
    of a layer, as the docstring says x may be (a tensor that requires grad and is not a leaf; a tensor the judge
    sends always arrives as a leaf)."""
    return impl.run_onnx(path, inputs @ layer.detach().requires_grad_())


# TorchScript is saved, reloaded and run beside the student's code through these, taken when this module is imported
# (before the student's file, in every worker): a submission that later rebinds torch.jit.ScriptModule, torch.jit.save,
# torch.jit.load or a module's forward does not reach them. The numbers come from the C++ module itself.
_CPP_MODULE = torch._C.ScriptModule
_cpp_save = torch._C.ScriptModule.save
_cpp_method = torch._C.ScriptModule._get_method
_CompilationUnit = torch._C.CompilationUnit
_import_ir_module = torch._C.import_ir_module
_method_graph = torch._C.ScriptMethod.graph.fget
_graph_nodes_of = torch._C.Graph.nodes
_block_nodes_of = torch._C.Block.nodes
_node_kind = torch._C.Node.kind
_node_blocks = torch._C.Node.blocks
_node_string = torch._C.Node.s
_ParameterDict, _parameter_items = torch._C.ParameterDict, torch._C.ParameterDict.items
_type, _getattr, _no_grad = type, getattr, torch.no_grad


def _cpp_module(value):
    """The C++ TorchScript module behind `value` (its `_c`), or None when it has none: a ScriptModule's numbers,
    archive and graph are read from this object, never from the Python object wrapped around it."""
    cpp = _getattr(value, "_c", None)
    return cpp if _type(cpp) is _CPP_MODULE else None


def _cpp_outputs(cpp, inputs):
    """(In the student's process) the C++ module's forward on each input, without gradients, each as an _attempt."""
    forward = _cpp_method(cpp, "forward")
    with _no_grad():
        return [_attempt(forward, x) for x in inputs]


def _saved_script(cpp, path) -> dict:
    """(In the student's process) the C++ module saved to `path` (what torch.jit.save writes), as an _attempt."""
    return _attempt(lambda: _cpp_save(cpp, str(path)))


def _reloaded(path):
    """(In the student's process) the C++ module torch.jit.load(path) would wrap."""
    return _import_ir_module(_CompilationUnit(), str(path), None, {}, False)


def _graph_nodes(nodes):
    """Every node of a TorchScript graph (its nodes, read through the grader's own references), those inside if/loop
    blocks too."""
    for node in nodes:
        yield node
        for inner in _node_blocks(node):
            yield from _graph_nodes(_block_nodes_of(inner))


# -- TorchScript: tracing and scripting ---------------------------------------------------------------------------
@observation
def traced_gated(impl, example, other, path):
    """trace_model(model, example) on a _gated() model built beside the student's code: whether it
    is a ScriptModule, its outputs on example and other (an input that takes the other branch), and torch.jit.save
    of it to `path`."""
    traced = _attempt(impl.trace_model, _gated()[0], example)
    if "raised" in traced:
        return {"made": traced}
    module = traced["value"]
    cpp = _cpp_module(module)
    facts = {"made": {"value": None}, "script": cpp is not None, "type": _type(module).__name__}
    if cpp is not None:
        facts["outputs"] = _cpp_outputs(cpp, (example, other))
        facts["saved"] = _saved_script(cpp, path)
    return facts


@observation
def scripted_gated_reloaded(impl, positive, negative, path):
    """to_torchscript(model, positive) on a _gated() model built beside the student's code: whether it
    is a ScriptModule, then torch.jit.save to `path`, torch.jit.load, and the reloaded module's outputs
    on positive and negative."""
    scripted = _attempt(impl.to_torchscript, _gated()[0], positive)
    if "raised" in scripted:
        return {"made": scripted}
    module = scripted["value"]
    cpp = _cpp_module(module)
    facts = {"made": {"value": None}, "script": cpp is not None, "type": _type(module).__name__}
    if cpp is not None:
        facts["saved"] = _saved_script(cpp, path)
        if "raised" not in facts["saved"]:
            reloaded = _attempt(_reloaded, path)
            facts["outputs"] = ([reloaded, reloaded] if "raised" in reloaded
                                else _cpp_outputs(reloaded["value"], (positive, negative)))
    return facts


# -- torch.export -------------------------------------------------------------------------------------------------
@observation
def exported_program_outputs(impl, seed, example, inputs, cuda=False, path=None):
    """export_program(model, example) on a _classifier(seed) built beside the student's code (on CUDA
    with cuda=True): whether it is an ExportedProgram, program.module()(x) for each input, and (with a `path`)
    torch.export.save(program, path) for the judge to read."""
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
        if path is not None:
            facts["saved"] = _attempt(lambda: torch.export.save(program, str(path)))
    return facts


@observation
def program_saved_and_loaded(impl, seed, example, path, x):
    """The grader's torch.export of a _classifier(seed) in eval mode, saved by save_program(program,
    path); then load_program(path): whether it gave an ExportedProgram, and its module()(x)."""
    model = _classifier(seed=seed).eval()
    program = torch.export.export(copy.deepcopy(model), (example,),
                                  dynamic_shapes={"features": {0: torch.export.Dim("batch")}})
    facts = {"saved": _attempt(impl.save_program, program, path)}
    if "raised" in facts["saved"]:
        return facts
    facts["saved"] = {"value": None}
    facts["loaded"] = _attempt(impl.load_program, path)
    if "raised" in facts["loaded"]:
        return facts
    program, facts["loaded"] = facts["loaded"]["value"], {"value": None}
    facts.update(program=isinstance(program, torch.export.ExportedProgram), type=type(program).__name__)
    if facts["program"]:
        facts["theirs"] = _attempt(program.module(), x)
    return facts


# -- TorchScript freezing -----------------------------------------------------------------------------------------
@observation
def frozen_conv_net(impl, seed, example, inputs, path):
    """freeze_for_inference(model, example) on a _conv_net(seed) built beside the student's code:
    whether it is a ScriptModule, the parameters it still holds, the attributes its forward graph
    reads (prim::GetAttr), the operators in that graph, its outputs on each input, and torch.jit.save of it
    to `path`."""
    made = _attempt(impl.freeze_for_inference, _conv_net(seed), example)
    if "raised" in made:
        return {"made": made}
    module = made["value"]
    cpp = _cpp_module(module)
    facts = {"made": {"value": None}, "script": cpp is not None, "type": _type(module).__name__}
    if cpp is not None:
        nodes = list(_graph_nodes(_graph_nodes_of(_method_graph(_cpp_method(cpp, "forward")))))
        facts["parameters"] = [name for name, _ in _parameter_items(_ParameterDict(cpp))]
        facts["reads"] = [_node_string(node, "name") for node in nodes if _node_kind(node) == "prim::GetAttr"]
        facts["operators"] = sorted({_node_kind(node) for node in nodes})
        facts["outputs"] = _cpp_outputs(cpp, inputs)
        facts["saved"] = _saved_script(cpp, path)
    return facts


# -- dynamic quantization -----------------------------------------------------------------------------------------
QUANT_WIDTH = 192
_save_tensors = torch.save  # taken when this module is imported, before the student's file could replace it
_quantize_dynamic = torch.ao.quantization.quantize_dynamic


class QuantNet(nn.Module):
    """Linears that hold almost all the weights (what dynamic quantization shrinks) and a Dropout (which it keeps)."""

    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(IN_FEATURES, QUANT_WIDTH)
        self.dropout = nn.Dropout(0.3)
        self.mid = nn.Linear(QUANT_WIDTH, QUANT_WIDTH)
        self.head = nn.Linear(QUANT_WIDTH, 4)

    def forward(self, features):
        h = self.dropout(torch.relu(self.inp(features)))
        return self.head(torch.relu(self.mid(h)))


def _quant_net(seed):
    """A QuantNet in training mode, its weights drawn from `seed`."""
    torch.manual_seed(seed)
    return QuantNet().train()


@observation
def quantized_net(impl, seed, inputs, path):
    """quantize_linear_int8(model) on a _quant_net(seed) built beside the student's code: whether it gave a module,
    its outputs on `inputs` (called as returned, without gradients), the float model's outputs after the call (put in
    eval mode here), and the returned model's state_dict written to `path` with torch.save, for the judge to read;
    `passed_in` says whether the model returned is the one passed (only words a message)."""
    model = _quant_net(seed)
    made = _attempt(impl.quantize_linear_int8, model)
    if "raised" in made:
        return {"made": made}
    quantized = made["value"]
    facts = {"made": {"value": None}, "module": isinstance(quantized, nn.Module), "type": _type(quantized).__name__,
             "passed_in": quantized is model}
    if facts["module"]:
        with _no_grad():
            facts["outputs"] = _attempt(lambda: quantized(inputs))
            facts["float_after"] = _attempt(lambda: model.eval()(inputs))
        facts["saved"] = _attempt(lambda: _save_tensors(quantized.state_dict(), str(path)))
    return facts


@observation
def saved_sizes(impl, seed, float_path, quantized_path):
    """saved_size(model, path) on an eval-mode _quant_net(seed) and on the grader's own dynamic int8 quantization of
    it: the numbers it returned, the files left in the judge's folder."""
    model = _quant_net(seed).eval()
    quantized = _quantize_dynamic(copy.deepcopy(model), {nn.Linear}, dtype=torch.qint8)
    return {"float": _attempt(impl.saved_size, model, float_path),
            "quantized": _attempt(impl.saved_size, quantized, quantized_path)}
