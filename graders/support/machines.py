"""A faked machine, for checks of code that chooses or reports devices: torch says there are `cuda` CUDA
devices (and MPS or not) while a pytest.MonkeyPatch is active. Used inside @observation functions, so it
fakes the student's process, where the code runs."""
from __future__ import annotations

import types

import torch

from graders.support.words import say


def fake_machine(m, cuda: int, mps: bool = False) -> None:
    """With MonkeyPatch `m`: torch reports `cuda` CUDA devices named "Fake GPU <i>" (0: none; asking for the
    name or properties of a device that is not there raises as torch does) and MPS present or not."""
    def index(device=None):
        i = 0 if device is None else (device if isinstance(device, int) else torch.device(device).index or 0)
        if not 0 <= i < cuda:
            raise RuntimeError(say(f"CUDA error: invalid device ordinal {i} (the faked machine has {cuda} CUDA devices)",
                                   f"CUDA error: invalid device ordinal {i} (채점기가 흉내 낸 컴퓨터의 CUDA 장치는 {cuda}개입니다)"))
        return i
    m.setattr(torch.cuda, "is_available", lambda: cuda > 0)
    m.setattr(torch.cuda, "device_count", lambda: cuda)
    m.setattr(torch.cuda, "current_device", lambda: index())
    m.setattr(torch.cuda, "get_device_name", lambda device=None: f"Fake GPU {index(device)}")
    m.setattr(torch.cuda, "get_device_properties",
              lambda device=None: types.SimpleNamespace(name=f"Fake GPU {index(device)}", total_memory=2 ** 34,
                                                        major=9, minor=0, multi_processor_count=132))
    m.setattr(torch.backends.mps, "is_available", lambda: mps)
