// JSON-RPC message encoding/decoding, error objects as remote errors, and OpenRPC method lists.
import { describe, expect, it } from 'vitest';
import { decodeJsonRpcResponse, encodeJsonRpcBatch, encodeJsonRpcRequest, jsonRpcErrorToRemote } from '../../src/codecs/jsonrpc';
import { methodsFromOpenRpc } from '../../src/codecs/openrpc';
import { isRpcError } from '../../src/common/errors';
import { int, str } from '../../src/common/value';
import { runPython } from '../helpers/python';

describe('JSON-RPC messages', () => {
  it('writes requests as json.dumps writes the same dict', () => {
    const ours = [
      encodeJsonRpcRequest({ method: 'add', params: { kind: 'positional', args: [int(2n ** 64n), str('é')] }, id: 7 }),
      encodeJsonRpcRequest({ method: 'note', params: { kind: 'named', kwargs: [['msg', str('hi')]] } }),
      encodeJsonRpcBatch([{ method: 'a', params: { kind: 'positional', args: [] }, id: 1 }]),
      encodeJsonRpcRequest({ method: 'we"ird\\ñame\n', params: { kind: 'named', kwargs: [] }, id: 0 }),
      encodeJsonRpcBatch([
        { method: 'a', params: { kind: 'positional', args: [str('x')] }, id: 2 },
        { method: 'b', params: { kind: 'named', kwargs: [['k', int(1)]] } },
      ]),
    ];
    const expected = JSON.parse(
      runPython(`import json
print(json.dumps([
  json.dumps({'jsonrpc': '2.0', 'method': 'add', 'params': [2**64, 'é'], 'id': 7}),
  json.dumps({'jsonrpc': '2.0', 'method': 'note', 'params': {'msg': 'hi'}}),
  json.dumps([{'jsonrpc': '2.0', 'method': 'a', 'params': [], 'id': 1}]),
  json.dumps({'jsonrpc': '2.0', 'method': 'we"ird\\\\ñame\\n', 'params': {}, 'id': 0}),
  json.dumps([{'jsonrpc': '2.0', 'method': 'a', 'params': ['x'], 'id': 2}, {'jsonrpc': '2.0', 'method': 'b', 'params': {'k': 1}}]),
]))`),
    ) as string[];
    expect(ours).toEqual(expected);
  });

  it('reads single and batch responses and refuses malformed ones', () => {
    expect(decodeJsonRpcResponse('{"jsonrpc": "2.0", "result": 12345678901234567890, "id": 3}')).toEqual({ id: int(3), result: int(12345678901234567890n) });
    const batch = decodeJsonRpcResponse('[{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":2},{"jsonrpc":"2.0","result":null,"id":1}]');
    expect(Array.isArray(batch) && batch.map((r) => r.id)).toEqual([int(2), int(1)]);
    for (const bad of ['{"jsonrpc":"2.0","id":1}', '{"jsonrpc":"2.0","result":1,"error":{"code":1,"message":"x"},"id":1}', '{"error":{"code":"x"},"id":1}', '5']) {
      let err: unknown;
      try {
        decodeJsonRpcResponse(bad);
      } catch (e) {
        err = e;
      }
      expect(isRpcError(err, 'E_PROTOCOL'), bad).toBe(true);
    }
  });

  it('shows error objects readably, as Python exceptions when the data names one', () => {
    expect(jsonRpcErrorToRemote({ code: -32601, message: 'Method not found' }).message).toBe('JSONRPCError: -32601 Method not found');
    expect(jsonRpcErrorToRemote({ code: -32602, message: 'Invalid params', data: str('missing b') }).message).toBe('JSONRPCError: -32602 Invalid params: missing b');
    const typed = jsonRpcErrorToRemote({
      code: -32000,
      message: "'nope'",
      data: { t: 'dict', kv: [str('type'), str('KeyError'), str('message'), str("'nope'")] },
    });
    expect([typed.message, typed.pyType, typed.extra.code]).toEqual(["KeyError: 'nope'", 'KeyError', -32000]);
    const tb = 'Traceback (most recent call last):\n  File "x.py", line 1, in f\nZeroDivisionError: division by zero\n';
    const fromTb = jsonRpcErrorToRemote({ code: -32603, message: 'Internal error', data: str(tb) });
    expect([fromTb.message, fromTb.extra.traceback]).toEqual(['ZeroDivisionError: division by zero', tb]);
  });
});

describe('OpenRPC method lists', () => {
  it('resolves $refs, renders signatures and survives reference cycles', () => {
    const doc = {
      openrpc: '1.2.6',
      info: { title: 't', version: '1' },
      methods: [
        { $ref: '#/components/methods/Walk' },
        { name: 'pick', params: [{ name: 'x', schema: { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/Node' }] } }] },
        { name: 'bare' },
      ],
      components: {
        methods: { Walk: { name: 'walk', description: 'Walk a tree.', params: [{ name: 'tree', required: true, schema: { $ref: '#/components/schemas/Node' } }] } },
        schemas: { Node: { title: 'Node', type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } } },
      },
    };
    const methods = methodsFromOpenRpc(doc);
    expect(methods.map((m) => m.signature)).toEqual(['walk(tree: object)', 'pick(x?: string | object)', 'bare()']);
    expect(methods[0].doc).toBe('Walk a tree.');
    expect(() => methodsFromOpenRpc({ openrpc: '1.2.6' })).toThrow(/did not return an OpenRPC document/);
  });
});
