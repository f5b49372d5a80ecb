"""Reports cuda_built only when CUDA is available: a CUDA build of torch on a machine without a GPU says None, the
confusion of "built with CUDA" with "CUDA is available" the docstring warns about."""
CAUGHT_BY = "test_report_on_a_machine_without_cuda"
MESSAGE_MENTIONS = "cuda_built says how torch was built"
MESSAGE_MENTIONS_KO = "torch가 어떻게 빌드되었는지(torch.version.cuda"
import platform  # noqa: E402

import torch  # noqa: E402

from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s1_1_intro_install import best_device, package_version  # noqa: E402


def environment_report():
    cuda = torch.cuda.is_available()
    count = torch.cuda.device_count() if cuda else 0
    return {
        "python": platform.python_version(),
        "torch": package_version("torch"),
        "torchvision": package_version("torchvision"),
        "torchaudio": package_version("torchaudio"),
        "cuda_built": torch.version.cuda if cuda else None,
        "cuda_available": cuda,
        "mps_available": torch.backends.mps.is_available(),
        "device_count": count,
        "device_names": [torch.cuda.get_device_name(i) for i in range(count)],
        "best_device": best_device().type,
    }
