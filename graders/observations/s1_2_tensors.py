"""1.2 Tensors: what the student's process observes for exercises/s1_2_tensors.py.

seeded_normal's effect on the global random stream: the student's process's default generator seeded through
torch's compiled Generator (graders/support/pristine.py), seeded_normal called, and the numbers that generator
gives next, drawn the same way. The judge compares them with an untouched generator's.
"""
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
