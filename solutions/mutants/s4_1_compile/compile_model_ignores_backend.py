"""Always compiles with the default backend, ignoring the `backend` argument."""
CAUGHT_BY = "test_compiled_module_matches_eager_with_the_given_backend"
MESSAGE_MENTIONS = "backend"
MESSAGE_MENTIONS_KO = "백엔드를 그대로 넘기세요"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def compile_model(model, backend="inductor"):
    return torch.compile(model, backend="eager")
