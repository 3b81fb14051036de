# Golden JSON-RPC 2.0 responses as Python's json module writes them (results of every JSON type,
# errors with data, batches, big ints, NaN and Infinity as Python allows them, escapes), for the
# decoder fuzz targets to damage.
#   python3 test/golden/jsonrpc/generate.py > test/golden/jsonrpc/docs.json
import json

RESULTS = [
    5, -7, 2 ** 70, -(10 ** 30), 0.1, 1e300, -0.0, 1e16, float('inf'), float('-inf'), float('nan'), True, False, None,
    '', 'hello', 'héllo "q" \\ \n\t\x00', '日本語 \U0001f600', 'x' * 300,
    [], [1, [2, [3, []]]], {}, {'a': 1, 'b': {'c': [True, None]}}, {'': 'empty key', 'x': ''},
    [{'name': 'spam', 'value': [1.5, 'eggs', {'n': None}]}] * 5,
]


def reply(result, id_=1):
    return {'jsonrpc': '2.0', 'result': result, 'id': id_}


def error(code, message, data=None, id_=1):
    err = {'code': code, 'message': message}
    if data is not None:
        err['data'] = data
    return {'jsonrpc': '2.0', 'error': err, 'id': id_}


docs = [json.dumps(reply(r)) for r in RESULTS]
docs += [json.dumps(reply(r, 'abc'), ensure_ascii=False, indent=2) for r in RESULTS[14:20]]
docs += [
    json.dumps(error(-32601, 'Method not found', 'nope')),
    json.dumps(error(-32602, 'Invalid params', "add() missing 1 required positional argument: 'b'")),
    json.dumps(error(-32000, 'Server error', {'type': 'KeyError', 'args': ['nope'], 'traceback': 'Traceback (most recent call last):\n  ...\nKeyError: \'nope\'\n'})),
    json.dumps(error(-32700, 'Parse error', id_=None)),
    json.dumps([reply(5, 1), error(-32601, 'Method not found', 'nope', 2), reply([1, 2], 3)]),
    json.dumps({'jsonrpc': '2.0', 'method': 'note', 'params': ['a notification']}),
    json.dumps(reply(5, 1), separators=(',', ':')),
]
print(json.dumps(docs, indent=0))
