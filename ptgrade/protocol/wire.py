"""What crosses the boundary between the judge and the student's process, and how.

Judge -> worker: requests, pickled (the worker is allowed to trust the judge). Worker -> judge:
observations only, written with `torch.save` and read back with `torch.load(weights_only=True)`,
which rebuilds tensors, numbers, strings and containers and refuses everything else. A value the
worker cannot send as data (a module, a dataset, a function) stays in the worker and is sent as a
*handle*: a number the judge can name in later requests. Every frame is length-prefixed, bounded in
size and read against a deadline, so a worker that lies, floods or stalls costs the judge nothing.
"""
from __future__ import annotations

import collections
import io
import os
import select
import struct
import time

import torch

HEADER = struct.Struct("!Q")
MAX_FRAME = 512 * 1024 * 1024  # an observation larger than this is refused, not read
TAG = "__ptgrade__"
MAX_DEPTH = 64
MAX_MEMBERS = 100_000          # records in one archive (one per tensor storage, and a few more)
MAX_NODES = 250_000            # containers and values in one message, counted as a tree
MIN_TENSOR_BUDGET = 64 * 1024 * 1024  # bytes of tensor data a message may describe, at least; else 4x its size


class WireError(Exception):
    """The other side sent something unreadable, too large, or nothing before the deadline."""


class Timeout(WireError):
    pass


class Closed(WireError):
    pass


class HandleRef:
    """A judge-side name for an object that lives in the worker (pickled into requests)."""
    __slots__ = ("id",)

    def __init__(self, id: int):
        self.id = id

    def __reduce__(self):
        return (HandleRef, (self.id,))


# -- framing ------------------------------------------------------------------------------------
def write_frame(fd: int, payload: bytes) -> None:
    data = HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_frame(fd: int, deadline: float | None, limit: int = MAX_FRAME) -> bytes:
    header = _read_exactly(fd, HEADER.size, deadline)
    (size,) = HEADER.unpack(header)
    if size > limit:
        raise WireError(f"a message of {size} bytes, over the limit of {limit}")
    return _read_exactly(fd, size, deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, remaining = [], size
    while remaining:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise Timeout("no answer before the deadline")
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise Closed("the other side closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# -- worker side: any value -> data ----------------------------------------------------------------
_PLAIN = (type(None), bool, int, float, complex, str, bytes)


def to_data(value, keep, depth: int = 0):
    """`value` as data `torch.save` can write and `weights_only` can read; `keep(obj)` stores an
    object the judge cannot receive and returns its handle id."""
    if depth > MAX_DEPTH:
        raise ValueError("the value is nested too deeply to send")
    kind = type(value)
    if kind in _PLAIN or kind in (torch.dtype, torch.device, torch.Size):
        return value
    if isinstance(value, torch.Tensor):
        if kind is torch.nn.Parameter:
            return value
        # A Tensor subclass is sent as a plain tensor: its overrides stay in the worker.
        return value.as_subclass(torch.Tensor) if kind is not torch.Tensor else value
    if kind is list:
        return [to_data(v, keep, depth + 1) for v in value]
    if kind is tuple:
        return tuple(to_data(v, keep, depth + 1) for v in value)
    fields = _record_fields(kind) if isinstance(value, tuple) else None
    if fields is not None:  # a namedtuple, or a torch.return_types struct sequence (values, indices)
        return {TAG: "record", "type": kind.__name__, "fields": list(fields),
                "values": [to_data(v, keep, depth + 1) for v in value]}
    if kind in (dict, collections.OrderedDict) and all(type(k) in _PLAIN or type(k) is tuple for k in value):
        items = {k: to_data(v, keep, depth + 1) for k, v in value.items()}
        return items if kind is dict else collections.OrderedDict(items)
    if kind in (set, frozenset) and all(type(k) in _PLAIN for k in value):
        return {TAG: "set", "frozen": kind is frozenset, "items": list(value)}
    numpy = _numpy()
    if numpy is not None and isinstance(value, numpy.ndarray) and value.dtype.kind in "biufc":
        return {TAG: "ndarray", "tensor": torch.from_numpy(numpy.ascontiguousarray(value))}
    if numpy is not None and isinstance(value, numpy.generic) and value.dtype.kind in "biufc":
        return {TAG: "npscalar", "dtype": value.dtype.str, "value": value.item()}
    return {TAG: "handle", "id": keep(value), "type": f"{kind.__module__}.{kind.__qualname__}",
            "callable": callable(value)}


def _record_fields(kind) -> tuple | None:
    """The field names of a named tuple's type: `_fields`, or `__match_args__` for a struct sequence (torch's
    return types have no `_fields` in torch 2.14), as long as they name every item."""
    fields = getattr(kind, "_fields", None)
    if fields is None and kind.__module__ == "torch.return_types":
        fields = getattr(kind, "__match_args__", None)
    return tuple(fields) if isinstance(fields, tuple) and all(type(f) is str for f in fields) else None


def _numpy():
    import sys
    return sys.modules.get("numpy")


# -- both sides: the one walk through arguments and results -------------------------------------------
def leaves(value, depth: int = 0):
    """What `value` holds, through exact lists, tuples and dicts (values, not keys) down to MAX_DEPTH, in order."""
    if depth < MAX_DEPTH and type(value) in (list, tuple):
        for v in value:
            yield from leaves(v, depth + 1)
    elif depth < MAX_DEPTH and type(value) is dict:
        for v in value.values():
            yield from leaves(v, depth + 1)
    else:
        yield value


def rebuild(value, leaf, depth: int = 0):
    """`value` with each of its `leaves` replaced by `leaf(it)`, every container rebuilt of its own type."""
    if depth < MAX_DEPTH and type(value) in (list, tuple):
        return type(value)(rebuild(v, leaf, depth + 1) for v in value)
    if depth < MAX_DEPTH and type(value) is dict:
        return {k: rebuild(v, leaf, depth + 1) for k, v in value.items()}
    return leaf(value)


def tensors_in(value) -> list:
    """Tensors in `value`, in order. The judge and the worker both walk arguments and results with this, so the
    i-th tensor means the same on both sides."""
    return [v for v in leaves(value) if isinstance(v, torch.Tensor)]


_SAVE = torch.save  # taken when the worker starts, before the student's file could replace torch.save


def dump(value) -> bytes:
    buffer = io.BytesIO()
    _SAVE(value, buffer)
    return buffer.getvalue()


# -- judge side: data -> values ---------------------------------------------------------------------
def load(payload: bytes):
    """Read an observation; only what `weights_only` allows can come out, and only what costs the judge about
    what the message weighs: its records stored (never inflated), and what it describes bounded (see `bounded`)."""
    check_archive(payload)
    try:
        value = torch.load(io.BytesIO(payload), weights_only=True, map_location=_map_location)
    except Exception as error:  # noqa: BLE001 - anything unreadable is the sender's fault
        raise WireError(f"an unreadable message ({type(error).__name__})") from None
    bounded(value, max(MIN_TENSOR_BUDGET, 4 * len(payload)))
    return value


_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")


def check_archive(payload: bytes, budget: int | None = None) -> None:
    """A `torch.save` archive the judge may open: every record stored as it is (torch writes them so; a
    compressed one could inflate without limit), in the central directory and in its own header alike, and
    the sizes it declares within `budget` (default: the archive's own size)."""
    import zipfile
    try:
        infos = zipfile.ZipFile(io.BytesIO(payload)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error) as error:
        raise WireError(f"not an archive ({type(error).__name__})") from None
    if len(infos) > MAX_MEMBERS:
        raise WireError(f"an archive of {len(infos)} records, over the limit of {MAX_MEMBERS}")
    declared = 0
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED or info.file_size != info.compress_size:
            raise WireError("a compressed record (the judge reads stored records only)")
        header = payload[info.header_offset:info.header_offset + _LOCAL_HEADER.size]
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04" or _LOCAL_HEADER.unpack(header)[3] != 0:
            raise WireError("a record whose own header says it is compressed")
        declared += info.file_size
    if declared > (len(payload) if budget is None else budget):
        raise WireError(f"records declaring {declared} bytes in an archive of {len(payload)}")


def bounded(value, tensor_bytes: int) -> None:
    """Refuse a value that would cost the judge far more than it weighs: more than MAX_NODES containers and
    values counted as a tree (a few shared references can stand for exponentially many), tensors describing
    more than `tensor_bytes` bytes (a zero-stride view of one number can describe terabytes), or a tensor
    that is not a plain strided one."""
    stack, nodes, total = [(value, 0)], 0, 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise WireError(f"a message of more than {MAX_NODES} values")
        if isinstance(item, torch.Tensor):
            if item.layout != torch.strided or item.is_quantized or item.is_nested:
                raise WireError(f"a tensor of layout {item.layout}")
            total += item.numel() * item.element_size()
            if total > tensor_bytes:
                raise WireError(f"tensors describing more than {tensor_bytes} bytes")
        elif depth <= MAX_DEPTH and type(item) in (list, tuple):
            stack.extend((v, depth + 1) for v in item)
        elif depth <= MAX_DEPTH and type(item) in (dict, collections.OrderedDict):
            stack.extend((v, depth + 1) for pair in item.items() for v in pair)
        elif depth > MAX_DEPTH:
            raise WireError("a message nested too deeply")


def _map_location(storage, location):
    # A CUDA tensor from a worker on a machine without CUDA cannot happen honestly; keep it on the CPU.
    return storage if location == "cpu" or torch.cuda.is_available() else storage.cpu()


def from_data(value, make_handle, depth: int = 0):
    """Rebuild tagged values; `make_handle(id, type, callable)` makes the judge's proxy."""
    if depth > MAX_DEPTH:
        raise WireError("a message nested too deeply")
    kind = type(value)
    if kind is list:
        return [from_data(v, make_handle, depth + 1) for v in value]
    if kind is tuple:
        return tuple(from_data(v, make_handle, depth + 1) for v in value)
    if kind in (dict, collections.OrderedDict):
        tag = value.get(TAG) if kind is dict else None
        if tag is None:
            return kind((k, from_data(v, make_handle, depth + 1)) for k, v in value.items())
        return _untag(tag, value, make_handle, depth)
    return value


def _untag(tag, value, make_handle, depth):
    try:
        if tag == "handle":
            return make_handle(int(value["id"]), str(value["type"]), bool(value["callable"]))
        if tag == "set":
            items = [from_data(v, make_handle, depth + 1) for v in value["items"]]
            return frozenset(items) if value["frozen"] else set(items)
        if tag == "record":
            fields = [str(f) for f in value["fields"]]
            record = collections.namedtuple(str(value["type"]), fields, rename=True)
            return record(*[from_data(v, make_handle, depth + 1) for v in value["values"]])
        if tag == "ndarray":
            if type(value["tensor"]) is not torch.Tensor:
                raise ValueError("no tensor")
            return value["tensor"].numpy()
        if tag == "npscalar":  # only the kinds to_data sends: a void or object dtype could allocate at will
            import numpy
            dtype = numpy.dtype(str(value["dtype"]))
            if dtype.kind not in "biufc" or type(value["value"]) not in (bool, int, float, complex):
                raise ValueError(f"a numpy scalar of dtype {dtype}")
            return dtype.type(value["value"])
    except (KeyError, TypeError, ValueError) as error:
        raise WireError(f"a malformed {tag!r} value ({error})") from None
    raise WireError(f"an unknown tag {tag!r}")
