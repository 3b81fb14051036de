# Golden XML-RPC documents as Python's xmlrpc.client writes them: responses with every type it
# sends, faults, method calls and a multicall, for the decoder fuzz targets to damage.
#   python3 test/golden/xmlrpc/generate.py > test/golden/xmlrpc/docs.json
import datetime
import json
import xmlrpc.client as xc

VALUES = [
    5, -2 ** 31, 2 ** 31 - 1, True, False, 0.1, 1e300, -0.0, float('inf'), float('nan'), None,
    '', 'hello', 'héllo <&> "q" \'s\'\n\t', '日本語 \U0001f600', 'x' * 300,
    b'\x00\x01\xffbinary' * 30, xc.Binary(b''), datetime.datetime(2024, 1, 2, 3, 4, 5),
    [], [1, [2, [3, []]]], ('t', 1), {}, {'a': 1, 'b': {'c': [True, None]}}, {'': 'empty key', 'x': ''},
    [{'name': 'spam', 'value': [1.5, 'eggs', {'n': None}]}] * 5,
]

docs = [xc.dumps((v,), methodresponse=True, allow_none=True) for v in VALUES]
docs += [
    xc.dumps(xc.Fault(1, "<class 'KeyError'>:'nope'")),
    xc.dumps(xc.Fault(-32601, 'method "nope" is not supported')),
    xc.dumps((2, 3), 'add'),
    xc.dumps(tuple(VALUES[:12]), 'many.params', allow_none=True),
    xc.dumps(([{'methodName': 'add', 'params': [2, 3]}, {'methodName': 'system.listMethods', 'params': []}],), 'system.multicall'),
    xc.dumps(([[5], {'faultCode': 1, 'faultString': "<class 'KeyError'>:'nope'"}],), methodresponse=True),
    xc.dumps((), 'system.listMethods'),
]
print(json.dumps(docs, indent=0, ensure_ascii=False))
