"""The JSON-safe value form (src/common/value-json.ts) on the Python side, for parity tests.

decode(j) builds the Python value; encode(v) produces the JSON-safe form of a Python value.
"""
import base64
import builtins
import math


def _float_in(x):
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "-0": -0.0}.get(x, x) if isinstance(x, str) else float(x)


def _float_out(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0 and math.copysign(1, x) < 0:
        return "-0"
    return x


def decode(j):
    t = j["t"]
    if t == "none":
        return None
    if t == "bool":
        return j["v"]
    if t == "int":
        return int(j["v"])
    if t == "float":
        return _float_in(j["v"])
    if t == "complex":
        return complex(_float_in(j["re"]), _float_in(j["im"]))
    if t == "str":
        return j["v"]
    if t == "bytes":
        return base64.b64decode(j["b64"])
    if t == "bytearray":
        return bytearray(base64.b64decode(j["b64"]))
    if t == "list":
        return [decode(x) for x in j["items"]]
    if t == "tuple":
        return tuple(decode(x) for x in j["items"])
    if t == "set":
        return set(decode(x) for x in j["items"])
    if t == "frozenset":
        return frozenset(decode(x) for x in j["items"])
    if t == "dict":
        return {decode(k): decode(v) for k, v in j["entries"]}
    if t == "object" and j["module"] == "builtins":
        return getattr(builtins, j["name"])(*[decode(a) for a in j["args"]])
    raise ValueError("cannot decode %r" % (t,))


def encode(v):
    if v is None:
        return {"t": "none"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": str(v)}
    if isinstance(v, float):
        return {"t": "float", "v": _float_out(v)}
    if isinstance(v, complex):
        return {"t": "complex", "re": _float_out(v.real), "im": _float_out(v.imag)}
    if isinstance(v, str):
        return {"t": "str", "v": v}
    if isinstance(v, (bytes, bytearray)):
        return {"t": "bytes" if isinstance(v, bytes) else "bytearray", "b64": base64.b64encode(v).decode()}
    for typ, tag in ((list, "list"), (tuple, "tuple"), (set, "set"), (frozenset, "frozenset")):
        if isinstance(v, typ):
            return {"t": tag, "items": [encode(x) for x in v]}
    if isinstance(v, dict):
        return {"t": "dict", "entries": [[encode(k), encode(x)] for k, x in v.items()]}
    raise ValueError("cannot encode %r" % (type(v),))
