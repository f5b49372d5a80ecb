"""`ptgrade mutate`: the reference's small automatic mutations, each graded; the ones no check catches are
listed, and the exit code says whether any survived."""
from ptgrade.instructor import mutate

# `reshape` -> `view` changes nothing here (an equivalent mutant): the one that must survive.
SOLUTION = '''
def double(x):
    return x.reshape(x.shape) * 2


def square(x):
    return x ** 2
'''


def test_every_mutation_is_graded_and_only_the_equivalent_one_survives(kit):
    kit.write("solutions/s1_1_demo.py", SOLUTION)
    outcomes = mutate.run(kit.manifest, kit.item, limit=50)
    assert sorted(o.mutation.description for o in outcomes) == \
        sorted(m.description for m in mutate.mutations(SOLUTION))
    survivors = [o.mutation.description for o in outcomes if not o.killed]
    assert survivors == [".reshape -> .view"], survivors
    by_line = {o.mutation.description: o.by for o in outcomes if o.killed}
    assert "test_double_doubles" in by_line["Mult -> Div"] and "test_square_gradient" in by_line["Pow -> Mult"]


def test_the_command_lists_survivors_and_exits_non_zero(kit):
    kit.write("solutions/s1_1_demo.py", SOLUTION)
    done = kit.cli("mutate", "1.1")
    assert done.returncode == 1, done.stderr
    assert "survived" in done.stdout and ".reshape -> .view" in done.stdout
    assert "1.1: 4 of 5 mutants killed" in done.stdout, done.stdout
