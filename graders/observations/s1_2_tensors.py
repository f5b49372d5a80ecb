"""1.2 Tensors: what the student's process observes for exercises/s1_2_tensors.py.

seeded_normal's effect on the global random stream: the student's process's default generator seeded through
torch's compiled Generator (graders/support/pristine.py), seeded_normal called, and the numbers that generator
gives next, drawn the same way. The judge compares them with an untouched generator's.

The NumPy bridge and the in-place step: what a change made *after* the student's function returned shows where.
Each write is the grader's, with values the judge chose; what comes back is the numbers the student's result holds
afterwards, which the judge compares with the values it wrote itself.
"""
import numpy
import torch

from graders.support import pristine
from ptgrade.protocol.observation import observation


@observation
def global_stream_around_seeded_normal(impl, global_seed: int, shape: tuple, seed: int):
    """The student's process's default generator seeded with global_seed, seeded_normal(shape, seed) called, then
    8 numbers drawn from that default generator: what seeded_normal returned, and the 8 draws. The seeding and the
    draws go through torch's compiled Generator and randn (graders/support/pristine.py), not torch.manual_seed,
    torch.randn or get_rng_state, which the student's process may have patched: the draws are numbers the judge
    checks against an untouched generator's."""
    pristine.seed_global(global_seed)
    value = impl.seeded_normal(shape, seed)
    return {"value": value, "after": pristine.global_randn(8)}


@observation
def tensor_after_writing_the_array(impl, array, written):
    """shared_tensor called on a writable copy of `array`; then the grader writes `written` into that array.
    Returns what the student's result holds afterwards (a snapshot of it, if it is a tensor)."""
    mine = numpy.array(array, copy=True)
    result = impl.shared_tensor(mine)
    mine[...] = written
    return {"result": pristine.snapshot(result) if pristine.is_tensor(result) else result}


@observation
def array_after_writing_the_tensor(impl, values, written, requires_grad: bool):
    """shared_array called on a new leaf holding `values` (that requires grad when asked); then the grader writes
    `written` into that tensor in place (under no_grad). Returns the student's result as it is afterwards."""
    tensor = pristine.leaf(pristine.snapshot(values), requires_grad)  # its own memory, never the caller's
    result = impl.shared_array(tensor)
    with torch.no_grad():
        pristine.tensor_method("copy_")(tensor, written)
    return {"result": result}


@observation
def step_seen_through_a_view(impl, values, grad, lr: float):
    """sgd_step_ called on a new leaf holding `values` that requires grad, beside a view of its memory taken before
    the call (as a model or an optimizer holds it). Returns the parameter's values after the call, the view's, and
    whether the parameter is still a leaf that requires grad."""
    param = pristine.leaf(pristine.snapshot(values), True)  # its own memory, never the caller's
    view = pristine.tensor_method("detach")(param)
    impl.sgd_step_(param, grad, lr)
    return {"param": pristine.snapshot(param), "view": pristine.snapshot(view),
            "requires_grad": bool(pristine.tensor_attr(param, "requires_grad")),
            "is_leaf": bool(pristine.tensor_attr(param, "is_leaf"))}
