"""Compiles the bound method model.forward instead of the module: the outputs are right, but what comes back is a
function, with no parameters, state_dict, train() or eval() of a module."""
CAUGHT_BY = "test_compiled_module_matches_eager_with_the_given_backend"
MESSAGE_MENTIONS = "not a module"
MESSAGE_MENTIONS_KO = "모듈이 아닙니다"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def compile_model(model, backend="inductor"):
    return torch.compile(model.forward, backend=backend)
