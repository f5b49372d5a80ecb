"""3.1 Convolutional networks, what the student's process observes: the student's SmallCNN trained there (STEPS Adam
steps on the digits the judge sends), torchvision models built by the student's functions with downloads refused
(DownloadAttempt where torchvision would fetch weights), load_pretrained with its calls to load_state_dict recorded,
and, through torch's compiled pieces (graders/support/pristine.py), the training flags, requires_grad and .grad of a
model's parameters, an autograd pass and a plain SGD step. The judge pulls the weights into its own copy of each
architecture and compares the outputs."""
import contextlib

import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from graders.support import pristine
from ptgrade.protocol.observation import observation


class DownloadAttempt(Exception):
    """Raised in the student's process where torchvision would fetch pretrained weights."""


def _no_download(*args, **kwargs):
    raise DownloadAttempt("pretrained weights requested")


@contextlib.contextmanager
def _offline():
    """torchvision fetches weights through this function; any attempt raises DownloadAttempt (in the worker, where
    the student's code builds its models)."""
    api = torchvision.models._api
    saved = api.load_state_dict_from_url
    api.load_state_dict_from_url = _no_download
    try:
        yield
    finally:
        api.load_state_dict_from_url = saved


def _build_offline(impl, builder, **kwargs):
    """impl.<builder>(**kwargs) with downloads refused: (model, False), or (None, True) when it tried to download."""
    try:
        with _offline():
            return getattr(impl, builder)(**kwargs), False
    except DownloadAttempt:
        return None, True


STEPS = 200


@observation
def small_cnn_trained(impl, x_train, y_train):
    """SmallCNN() trained here for STEPS Adam steps (lr 1e-2, batches of 64 drawn with seed 3) on x_train and y_train,
    in the student's process: the model (it stays there; the judge holds a handle), or the first output that was not a
    tensor."""
    generator = torch.Generator().manual_seed(3)
    model = impl.SmallCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(STEPS):
        index = torch.randint(0, len(y_train), (64,), generator=generator)
        out = model(x_train[index])
        if not isinstance(out, torch.Tensor):
            return {"training_output": out}
        loss = F.cross_entropy(out, y_train[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"model": model}


@observation
def built_offline(impl, builder, **kwargs):
    """impl.<builder>(**kwargs) with downloads refused, in the student's process: {"model": the model (a handle) or
    None, "downloaded": whether it tried to download} (the flag is what the student's process says)."""
    model, downloaded = _build_offline(impl, builder, **kwargs)
    return {"model": model, "downloaded": downloaded}


@observation
def same_object(impl, first, second):
    """`first is second` in the student's process (what it says; it counts only beside the judge's numbers)."""
    return first is second


@observation
def load_weights(impl, model, state):
    """model.load_state_dict(state) (strict), in the student's process."""
    model.load_state_dict(state)


def _parameters(model):
    """(dotted name, tensor) of the model's parameters, as its modules store them (graders/support/pristine.py)."""
    return [(name, tensor) for kind, name, tensor in pristine.module_tensors(model) if kind == "parameter"]


@observation
def backward_of_logsumexp(impl, model, x):
    """In the student's process, through torch's compiled pieces (graders/support/pristine.py, not Module.eval,
    Tensor.backward or anything else a submission can patch): every module's stored training flag set to False, every
    .grad cleared, then autograd's engine run from model(x).logsumexp(1).sum(). The names of all parameters, of those
    that require grad and of those whose .grad was set, as torch's C++ tensors hold them (shown beside the numbers)."""
    for _, module in pristine.submodules(model):
        pristine.instance_dict(module)["training"] = False
    parameters = _parameters(model)
    for _, tensor in parameters:
        pristine.set_tensor_attr(tensor, "grad", None)
    out = model(x)
    if pristine.is_tensor(out) and pristine.tensor_attr(out, "requires_grad"):
        loss = pristine.vf("sum")(pristine.vf("logsumexp")(out, [1]))
        pristine.backward((loss,), (pristine.vf("ones_like")(loss),))
    return {"names": [name for name, _ in parameters],
            "trainable": [name for name, tensor in parameters if pristine.tensor_attr(tensor, "requires_grad")],
            "with_grad": [name for name, tensor in parameters if pristine.tensor_attr(tensor, "grad") is not None]}


@observation
def sgd_step_everywhere(impl, model, lr):
    """One plain SGD step, p -= lr * p.grad, on every parameter that holds a .grad, through torch's compiled pieces
    (not torch.optim, which a submission can patch)."""
    for _, tensor in _parameters(model):
        grad = pristine.tensor_attr(tensor, "grad")
        if grad is not None:
            pristine.tensor_method("sub_")(pristine.tensor_method("detach")(tensor), pristine.vf("mul")(grad, lr))


@observation
def optimizer_holds(impl, optimizer, model):
    """The names of the model's parameters the optimizer holds (None for a tensor that is not one of them), and the first
    group's lr and momentum (what the student's process says)."""
    names = {id(p): name for name, p in model.named_parameters()}
    group = optimizer.param_groups[0]
    return {"held": [names.get(id(p)) for g in optimizer.param_groups for p in g["params"]],
            "lr": group["lr"], "momentum": group.get("momentum")}


@observation
def to_cuda_eval(impl, model):
    """model.cuda().eval() in the student's process."""
    return model.cuda().eval()


@observation
def loaded_pretrained(impl, path, num_classes):
    """load_pretrained(path, num_classes) with downloads refused, in the student's process: the calls it made to
    load_state_dict (strict, missing and unexpected keys), and the model (a handle), or whether it tried to download,
    or the RuntimeError it raised."""
    calls = []
    original = nn.Module.load_state_dict

    def recording(self, state_dict, *args, **kwargs):
        strict = kwargs.get("strict", args[0] if args else True)
        result = original(self, state_dict, *args, **kwargs)
        calls.append({"strict": bool(strict), "missing": list(result.missing_keys),
                      "unexpected": list(result.unexpected_keys)})
        return result

    seen = {"calls": calls, "downloaded": False}
    nn.Module.load_state_dict = recording
    try:
        with _offline():
            seen["model"] = impl.load_pretrained(path, num_classes)
    except DownloadAttempt:
        seen["downloaded"] = True
    except NotImplementedError:  # a RuntimeError too: the stub, not started
        raise
    except RuntimeError as error:
        seen["error"] = f"{type(error).__name__}: {str(error)[:600]}"
    finally:
        nn.Module.load_state_dict = original
    return seen


@observation
def module_flags(impl, model):
    """The names of the model's modules whose stored training flag is True, of its parameters, and of those that
    require grad, read as its modules and torch's C++ tensors hold them (graders/support/pristine.py); shown beside the
    numbers the judge checks."""
    parameters = _parameters(model)
    return {"training": [name or "(the model)" for name, module in pristine.submodules(model)
                         if pristine.instance_dict(module).get("training") is True],
            "names": [name for name, _ in parameters],
            "requires_grad": [name for name, tensor in parameters if pristine.tensor_attr(tensor, "requires_grad")]}
