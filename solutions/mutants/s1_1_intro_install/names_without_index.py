"""Calls torch.cuda.get_device_name() without an index, naming the current GPU once per device."""
CAUGHT_BY = "test_report_lists_every_gpu_of_a_cuda_machine"
MESSAGE_MENTIONS = "current device"
MESSAGE_MENTIONS_KO = "현재 장치의 이름만"
import platform  # noqa: E402

from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def environment_report():
    cuda = torch.cuda.is_available()  # noqa: F405
    count = torch.cuda.device_count() if cuda else 0  # noqa: F405
    return {
        "python": platform.python_version(),
        "torch": package_version("torch"),  # noqa: F405
        "torchvision": package_version("torchvision"),  # noqa: F405
        "torchaudio": package_version("torchaudio"),  # noqa: F405
        "cuda_built": torch.version.cuda,  # noqa: F405
        "cuda_available": cuda,
        "mps_available": torch.backends.mps.is_available(),  # noqa: F405
        "device_count": count,
        "device_names": [torch.cuda.get_device_name() for _ in range(count)],  # noqa: F405
        "best_device": best_device().type,  # noqa: F405
    }
