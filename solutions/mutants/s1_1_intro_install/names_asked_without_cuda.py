"""Asks for the name of GPU 0 whether or not CUDA is available, which raises on a CPU-only machine."""
CAUGHT_BY = "test_report_on_a_machine_without_cuda"
MESSAGE_MENTIONS = "only for i in range"
MESSAGE_MENTIONS_KO = "is_available()일 때만"
import platform  # noqa: E402

from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def environment_report():
    return {
        "python": platform.python_version(),
        "torch": package_version("torch"),  # noqa: F405
        "torchvision": package_version("torchvision"),  # noqa: F405
        "torchaudio": package_version("torchaudio"),  # noqa: F405
        "cuda_built": torch.version.cuda,  # noqa: F405
        "cuda_available": torch.cuda.is_available(),  # noqa: F405
        "mps_available": torch.backends.mps.is_available(),  # noqa: F405
        "device_count": torch.cuda.device_count(),  # noqa: F405
        "device_names": [torch.cuda.get_device_name(0)],  # noqa: F405
        "best_device": best_device().type,  # noqa: F405
    }
