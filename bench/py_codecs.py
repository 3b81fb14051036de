"""Python's side of the codec benchmark: writes the documents rpcscope decodes and times CPython on them.

Usage: py_codecs.py OUTDIR RUNS PICKLE_MB XML_MB JSON_MB
Writes OUTDIR/reply.pickle (pickle.dumps of a list of small dicts, default protocol),
OUTDIR/reply.xml (an XML-RPC methodResponse) and OUTDIR/reply.json (json.dumps of the same kind of
list), then prints one JSON line of best-of-RUNS CPU times (ms) of pickle.loads / pickle.dumps (the C
implementation) and of repr(pickle.loads(...)) (showing the reply), xmlrpc.client.loads / dumps and json.loads / dumps (the C accelerator).
"""
import json
import os
import pickle
import sys
import time
import xmlrpc.client as xc

out, runs, pickle_mb, xml_mb, json_mb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])


def row(i):
    return {'id': i, 'name': 'item %d' % i, 'price': i * 0.25, 'ok': i % 2 == 0, 'tags': ['a', 'b'], 'owner': None}


def sized(make_doc, target):
    # size from a sample, then the real document
    k = 2000
    n = max(1, int(k * target / len(make_doc(k))))
    return make_doc(n), n


WALL = {}


def best(fn, name, prepare=lambda: None):
    """Best of RUNS timed calls of fn; prepare (untimed) makes each call's input."""
    t = w = float('inf')
    for _ in range(runs):
        arg = prepare()
        c, s = time.process_time(), time.perf_counter()
        out = fn(arg)
        t = min(t, time.process_time() - c)
        w = min(w, time.perf_counter() - s)
        # freed after the timer, as the Node side's garbage is swept after its own
        del out
    WALL[name] = w * 1000
    return t * 1000


# one document at a time, as the Node side does: each section's values are dropped before the next
pdoc, pn = sized(lambda n: pickle.dumps([row(i) for i in range(n)]), pickle_mb * 1e6)
with open(os.path.join(out, 'reply.pickle'), 'wb') as f:
    f.write(pdoc)
result = {
    'pickle_bytes': len(pdoc), 'pickle_rows': pn, 'pickle_protocol': pickle.DEFAULT_PROTOCOL,
    'pickle_loads_ms': best(lambda _: pickle.loads(pdoc), 'pickle_loads'),
    # a freshly loaded value per run, as the Node side encodes one (see codecs.ts)
    'pickle_dumps_ms': best(pickle.dumps, 'pickle_dumps', lambda: pickle.loads(pdoc)),
    # what Python's own REPL does to show the reply
    'pickle_show_ms': best(lambda _: repr(pickle.loads(pdoc)), 'pickle_show'),
}
del pdoc

xdoc, xn = sized(lambda n: xc.dumps(([dict(row(i), owner='') for i in range(n)],), methodresponse=True).encode('utf-8'), xml_mb * 1e6)
with open(os.path.join(out, 'reply.xml'), 'wb') as f:
    f.write(xdoc)
xvalue = xc.loads(xdoc)[0]
result.update({
    'xml_bytes': len(xdoc), 'xml_rows': xn,
    # from bytes, as the HTTP body arrives (loads parses bytes through expat)
    'xml_loads_ms': best(lambda _: xc.loads(xdoc), 'xml_loads'),
    # a methodCall carrying the same list, as the request body ServerProxy sends (UTF-8 bytes, as
    # rpcscope's encodeMethodCall writes it)
    'xml_dumps_ms': best(lambda _: xc.dumps(xvalue, 'echo').encode('utf-8', 'xmlcharrefreplace'), 'xml_dumps'),
})
del xdoc, xvalue

jdoc, jn = sized(lambda n: json.dumps([row(i) for i in range(n)]).encode('utf-8'), json_mb * 1e6)
with open(os.path.join(out, 'reply.json'), 'wb') as f:
    f.write(jdoc)
result.update({
    'json_bytes': len(jdoc), 'json_rows': jn,
    # from bytes, as a JSON-RPC reply arrives
    'json_loads_ms': best(lambda _: json.loads(jdoc), 'json_loads'),
    'json_dumps_ms': best(json.dumps, 'json_dumps', lambda: json.loads(jdoc)),
})
result['wall_ms'] = WALL
print(json.dumps(result))
