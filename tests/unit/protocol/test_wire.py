"""ptgrade/protocol/wire.py: what may cross from the student's process to the judge, and the refusals that
keep a lying, flooding or stalling worker from costing the judge anything."""
import collections
import io
import os
import pickle
import struct
import time
import zipfile

import numpy
import pytest
import torch

from ptgrade.protocol import wire


def _cross(value, keep=None):
    """`value` as the worker sends it and the judge reads it back; handles come back as (id, type, callable)."""
    data = wire.to_data(value, keep or (lambda obj: 1))
    return wire.from_data(wire.load(wire.dump(data)), lambda key, kind, callable_: (key, kind, callable_))


# -- to_data -> dump -> load -> from_data, for every kind to_data sends -----------------------------------
@pytest.mark.parametrize("value", [None, True, False, 0, -7, 2.5, float("inf"), 1 + 2j, "text", "한글", b"\x00bytes",
                                   torch.float16, torch.int64, torch.device("cpu"), torch.Size([2, 3]), torch.Size([])],
                         ids=repr)
def test_plain_values_cross_as_they_are(value):
    back = _cross(value)
    assert type(back) is type(value) and back == value


def test_tensors_cross_with_their_dtype_shape_and_values():
    for tensor in (torch.arange(6.0).reshape(2, 3), torch.tensor([1, 2], dtype=torch.int8), torch.zeros(0),
                   torch.tensor(3.5, dtype=torch.float64), torch.tensor([True, False])):
        back = _cross(tensor)
        assert type(back) is torch.Tensor and back.dtype == tensor.dtype and torch.equal(back, tensor)


def test_a_parameter_crosses_as_a_parameter():
    parameter = torch.nn.Parameter(torch.ones(2))
    back = _cross(parameter)
    assert type(back) is torch.nn.Parameter and back.requires_grad and torch.equal(back, parameter)


class _Loud(torch.Tensor):
    def __repr__(self):
        raise RuntimeError("an override that must stay in the worker")


def test_a_tensor_subclass_crosses_as_a_plain_tensor():
    value = torch.arange(3.0).as_subclass(_Loud)
    data = wire.to_data(value, None)
    assert type(data) is torch.Tensor
    back = _cross(value)
    assert type(back) is torch.Tensor and torch.equal(back, torch.arange(3.0))


def test_containers_cross_with_their_types():
    value = [1, (2, [3, (4,)]), {"a": {"b": [5]}}, ()]
    back = _cross(value)
    assert back == value and type(back[1]) is tuple and type(back[1][1]) is list and type(back[3]) is tuple
    ordered = collections.OrderedDict([("z", 1), ("a", torch.ones(1))])
    back = _cross(ordered)
    assert type(back) is collections.OrderedDict and list(back) == ["z", "a"] and torch.equal(back["a"], torch.ones(1))
    assert _cross({(1, 2): "pair", 3: "three", None: 0}) == {(1, 2): "pair", 3: "three", None: 0}


def test_sets_and_frozensets_cross_with_their_kind():
    assert _cross({1, 2, "x"}) == {1, 2, "x"} and type(_cross({1})) is set
    back = _cross(frozenset({3, 4}))
    assert back == frozenset({3, 4}) and type(back) is frozenset


def test_a_namedtuple_crosses_as_a_record_with_its_fields():
    Point = collections.namedtuple("Point", ["x", "y"])
    data = wire.to_data(Point(torch.ones(1), 2), None)
    assert data[wire.TAG] == "record" and data["type"] == "Point" and data["fields"] == ["x", "y"]
    back = _cross(Point(torch.ones(1), 2))
    assert type(back).__name__ == "Point" and back._fields == ("x", "y")
    assert torch.equal(back.x, torch.ones(1)) and back.y == 2


def test_torch_return_types_cross_as_records():
    # torch 2.14's return types have no `_fields` (they crossed as handles until wire read __match_args__)
    result = torch.tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=1)
    back = _cross(result)
    assert torch.equal(back.values, torch.tensor([5.0, 7.0])) and torch.equal(back.indices, torch.tensor([1, 0]))


def test_numpy_arrays_and_scalars_cross_as_numpy():
    array = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    back = _cross(array)
    assert isinstance(back, numpy.ndarray) and back.dtype == numpy.float32 and (back == array).all()
    transposed = _cross(array.T)  # not contiguous: sent as a contiguous copy
    assert transposed.shape == (3, 2) and (transposed == array.T).all()
    for scalar in (numpy.float64(1.5), numpy.int32(-3), numpy.bool_(True), numpy.complex64(1j)):
        back = _cross(scalar)
        assert type(back) is type(scalar) and back == scalar


def test_objects_that_are_not_data_cross_as_handles():
    kept = []

    def keep(obj):
        kept.append(obj)
        return len(kept)
    module, function, strings = torch.nn.Linear(2, 2), len, numpy.array(["a", "b"])
    back = _cross({"module": module, "function": function, "strings": strings,
                   "odd keys": {object: 1}, "a set of tensors": frozenset({(1, 2)})}, keep)
    assert back["module"] == (1, "torch.nn.modules.linear.Linear", True)
    assert back["function"] == (2, "builtins.builtin_function_or_method", True)
    assert back["strings"] == (3, "numpy.ndarray", False)  # only numbers cross as arrays
    assert back["odd keys"][1] == "builtins.dict" and back["a set of tensors"][1] == "builtins.frozenset"
    assert kept[:3] == [module, function, strings]


def test_data_crosses_and_everything_else_becomes_a_handle():
    kept = []
    value = {"t": torch.arange(3.0), "n": 2, "s": {1, 2}, "nested": [torch.float16, torch.Size([2])],
             "module": torch.nn.Linear(2, 2)}
    data = wire.to_data(value, lambda obj: kept.append(obj) or len(kept))
    back = wire.from_data(wire.load(wire.dump(data)), lambda key, kind, callable_: (key, kind, callable_))
    assert torch.equal(back["t"], torch.arange(3.0)) and back["s"] == {1, 2} and back["n"] == 2
    assert back["nested"] == [torch.float16, torch.Size([2])]
    assert back["module"] == (1, "torch.nn.modules.linear.Linear", True) and kept[0] is value["module"]


def test_a_value_nested_too_deeply_is_not_sent():
    nested = 1
    for _ in range(wire.MAX_DEPTH + 2):
        nested = [nested]
    with pytest.raises(ValueError, match="nested too deeply"):
        wire.to_data(nested, None)


def test_tensors_in_walks_exact_lists_tuples_and_dicts_in_order():
    a, b, c, d = (torch.full((1,), float(i)) for i in range(4))
    Pair = collections.namedtuple("Pair", "x y")
    found = wire.tensors_in([a, (b, {"k": c}), Pair(d, d), {d}])
    assert [t.item() for t in found] == [0.0, 1.0, 2.0]  # a namedtuple and a set are not walked
    assert wire.tensors_in(a)[0] is a and wire.tensors_in(3) == []


# -- the judge's side: refusals -----------------------------------------------------------------------
class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_an_arbitrary_pickle_from_the_worker_is_refused():
    with pytest.raises(wire.WireError):
        wire.load(pickle.dumps(_Evil()))
    buffer = io.BytesIO()
    torch.save({"x": _Evil()}, buffer)
    with pytest.raises(wire.WireError):
        wire.load(buffer.getvalue())


def _deflated(payload: bytes) -> bytes:
    plain, out = zipfile.ZipFile(io.BytesIO(payload)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in plain.infolist():
            archive.writestr(info.filename, plain.read(info))
    return out.getvalue()


@pytest.mark.filterwarnings("ignore:Validating sparse tensor invariants")  # torch warns as it loads the sparse one
def test_a_message_is_read_only_if_it_costs_the_judge_about_what_it_weighs():
    honest = wire.dump({"ok": True, "value": [torch.arange(4.0), {"a": (1, 2)}, torch.zeros(3).expand(2, 3)]})
    assert wire.load(honest)["value"][1] == {"a": (1, 2)}
    nested = [1.0]
    for _ in range(60):  # 2**60 leaves in 61 lists
        nested = [nested, nested]
    bombs = {"deflated records": _deflated(wire.dump({"ok": True, "value": torch.zeros(1 << 20)})),
             "shared references": wire.dump({"ok": True, "value": nested}),
             "a zero-stride view": wire.dump({"ok": True, "value": torch.zeros(1).expand(10 ** 12)}),
             "a sparse tensor": wire.dump({"ok": True, "value": torch.eye(3).to_sparse()})}
    for name, payload in bombs.items():
        started = time.monotonic()
        with pytest.raises(wire.WireError):
            wire.load(payload)
        assert time.monotonic() - started < 5, name
    with pytest.raises(wire.WireError):  # a numpy scalar of a kind to_data never sends
        wire.from_data({wire.TAG: "npscalar", "dtype": "V1000000", "value": 1}, None)


@pytest.mark.parametrize("payload", [b"", b"PK", b"not an archive at all"])
def test_check_archive_refuses_what_is_not_an_archive(payload):
    with pytest.raises(wire.WireError, match="not an archive"):
        wire.check_archive(payload)


def test_check_archive_refuses_a_compressed_record():
    with pytest.raises(wire.WireError, match="compressed record"):
        wire.check_archive(_deflated(wire.dump(torch.zeros(100))))


def test_check_archive_refuses_a_record_whose_own_header_says_compressed():
    payload = bytearray(wire.dump(torch.zeros(4)))
    info = zipfile.ZipFile(io.BytesIO(bytes(payload))).infolist()[0]
    method_at = info.header_offset + 8  # the local header's compression method
    struct.pack_into("<H", payload, method_at, zipfile.ZIP_DEFLATED)
    wire.check_archive(wire.dump(torch.zeros(4)))  # the untouched archive is fine
    with pytest.raises(wire.WireError, match="own header says it is compressed"):
        wire.check_archive(bytes(payload))


def test_check_archive_refuses_too_many_records(monkeypatch):
    payload = wire.dump([torch.zeros(1) for _ in range(5)])  # a record per storage
    wire.check_archive(payload)
    monkeypatch.setattr(wire, "MAX_MEMBERS", 3)
    with pytest.raises(wire.WireError, match="over the limit of 3"):
        wire.check_archive(payload)


def test_check_archive_refuses_records_declaring_more_than_the_budget():
    payload = wire.dump(torch.zeros(1000))
    wire.check_archive(payload, budget=len(payload))
    with pytest.raises(wire.WireError, match="records declaring"):
        wire.check_archive(payload, budget=100)


def test_bounded_accepts_an_honest_value_and_counts_tensor_bytes():
    wire.bounded({"a": [torch.zeros(10), (torch.ones(2, 2),)]}, tensor_bytes=56)  # 40 + 16 bytes
    with pytest.raises(wire.WireError, match="more than 55 bytes"):
        wire.bounded({"a": [torch.zeros(10), (torch.ones(2, 2),)]}, tensor_bytes=55)


def test_bounded_counts_a_shared_reference_every_time(monkeypatch):
    monkeypatch.setattr(wire, "MAX_NODES", 50)
    shared = list(range(10))
    wire.bounded([shared] * 3, tensor_bytes=0)  # 1 + 3 * 11 values
    with pytest.raises(wire.WireError, match="more than 50 values"):
        wire.bounded([shared] * 5, tensor_bytes=0)  # 1 + 5 * 11
    with pytest.raises(wire.WireError, match="more than 50 values"):
        wire.bounded({k: shared for k in range(5)}, tensor_bytes=0)  # keys count too


@pytest.mark.filterwarnings("ignore:torch.quantize_per_tensor")  # deprecated, but a worker may still send one
def test_bounded_refuses_a_tensor_that_is_not_plain_and_strided():
    with pytest.raises(wire.WireError, match="layout"):
        wire.bounded([torch.eye(2).to_sparse()], tensor_bytes=1 << 20)
    with pytest.raises(wire.WireError, match="layout"):
        wire.bounded(torch.quantize_per_tensor(torch.ones(2), 0.1, 0, torch.quint8), tensor_bytes=1 << 20)


def test_bounded_refuses_a_value_nested_too_deeply():
    nested = [1]
    for _ in range(wire.MAX_DEPTH + 2):
        nested = [nested]
    with pytest.raises(wire.WireError, match="nested too deeply"):
        wire.bounded(nested, tensor_bytes=0)


@pytest.mark.parametrize("value, words", [
    ({wire.TAG: "nonsense"}, "unknown tag"),
    ({wire.TAG: "handle", "id": "x", "type": "t", "callable": True}, "malformed 'handle'"),
    ({wire.TAG: "handle", "type": "t", "callable": True}, "malformed 'handle'"),
    ({wire.TAG: "set", "frozen": False}, "malformed 'set'"),
    ({wire.TAG: "set", "frozen": False, "items": [[1]]}, "malformed 'set'"),  # an unhashable member
    ({wire.TAG: "record", "type": "P", "fields": ["a"], "values": [1, 2]}, "malformed 'record'"),
    ({wire.TAG: "ndarray"}, "malformed 'ndarray'"),
    ({wire.TAG: "npscalar", "dtype": "O", "value": 1}, "malformed 'npscalar'"),
    ({wire.TAG: "npscalar", "dtype": "f8", "value": "1e308"}, "malformed 'npscalar'"),
])
def test_from_data_refuses_a_malformed_tagged_value(value, words):
    with pytest.raises(wire.WireError, match=words):
        wire.from_data([value], lambda *a: a)


def test_from_data_refuses_an_ndarray_that_holds_no_tensor():
    with pytest.raises(wire.WireError, match="malformed 'ndarray'"):
        wire.from_data({wire.TAG: "ndarray", "tensor": [1]}, None)


def test_from_data_refuses_a_value_nested_too_deeply():
    nested = 1
    for _ in range(wire.MAX_DEPTH + 2):
        nested = [nested]
    with pytest.raises(wire.WireError, match="nested too deeply"):
        wire.from_data(nested, None)


def test_a_record_with_odd_field_names_is_renamed_not_refused():
    back = wire.from_data({wire.TAG: "record", "type": "R", "fields": ["ok", "class", "ok"], "values": [1, 2, 3]}, None)
    assert tuple(back) == (1, 2, 3) and back.ok == 1


# -- frames -------------------------------------------------------------------------------------------
def test_frames_round_trip_through_a_pipe():
    read_fd, write_fd = os.pipe()
    try:
        wire.write_frame(write_fd, b"first")
        wire.write_frame(write_fd, b"")
        assert wire.read_frame(read_fd, time.monotonic() + 1) == b"first"
        assert wire.read_frame(read_fd, None) == b""
        wire.write_frame(write_fd, b"x" * 100)
        with pytest.raises(wire.WireError, match="over the limit of 99"):
            wire.read_frame(read_fd, time.monotonic() + 1, limit=99)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_a_closed_channel_is_closed_not_a_timeout():
    read_fd, write_fd = os.pipe()
    os.write(write_fd, wire.HEADER.pack(10) + b"short")
    os.close(write_fd)
    try:
        with pytest.raises(wire.Closed):
            wire.read_frame(read_fd, time.monotonic() + 1)
    finally:
        os.close(read_fd)


def test_frames_are_bounded_in_size_and_time():
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, wire.HEADER.pack(wire.MAX_FRAME + 1))
        with pytest.raises(wire.WireError, match="over the limit"):
            wire.read_frame(read_fd, time.monotonic() + 1)
        started = time.monotonic()
        with pytest.raises(wire.Timeout):
            wire.read_frame(read_fd, time.monotonic() + 0.2)
        assert time.monotonic() - started < 2
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_a_handle_ref_pickles_to_its_id():
    ref = pickle.loads(pickle.dumps(wire.HandleRef(42)))
    assert type(ref) is wire.HandleRef and ref.id == 42


def test_the_one_walk_visits_values_in_order_and_rebuilds_each_container_of_its_own_type():
    t1, t2 = torch.ones(1), torch.zeros(2)
    value = (t1, [1, {"a": t2, "b": "s"}], {"k": (3,)})
    assert [type(v) for v in wire.leaves(value)] == [torch.Tensor, int, torch.Tensor, str, int]
    assert wire.tensors_in(value) == [t1, t2]
    doubled = wire.rebuild(value, lambda v: v * 2)
    assert type(doubled) is tuple and type(doubled[1]) is list and type(doubled[1][1]) is dict
    assert doubled[1][1]["b"] == "ss" and doubled[2] == {"k": (6,)}


def test_the_walk_stops_at_the_depth_limit_and_does_not_open_subclasses():
    deep = current = []
    for _level in range(wire.MAX_DEPTH + 5):
        current.append([])
        current = current[0]
    assert len(list(wire.leaves(deep))) == 1  # what lies deeper is one leaf, never walked

    class Mine(list):
        pass
    mine = Mine([torch.ones(1)])
    assert list(wire.leaves(mine)) == [mine] and wire.tensors_in(mine) == []
