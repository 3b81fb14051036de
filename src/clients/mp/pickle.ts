// pickle:// — the Python Cookbook's RPC over multiprocessing.connection (recipe 11.8). The proxy does
// connection.send(pickle.dumps((name, args, kwargs))): the message is a pickle of a bytes object
// holding the pickle of the tuple, and the reply is unwrapped the same way. `?wrap=0` talks to servers
// that send and receive the tuple and the result directly; replies are auto-detected either way.
// `?protocol=N` picks the pickle protocol of requests (default 4; Python 2.7 servers need 2).
import type { CallRequest } from '../../common/call';
import { RpcError } from '../../common/errors';
import type { Layer } from '../../common/frames';
import { isExceptionValue, remoteErrorFromValue } from '../../common/pyexc';
import { param } from '../../common/url';
import { strDict, type PyValue } from '../../common/value';
import { decodePickle } from '../../codecs/pickle';
import { encodePickle } from '../../codecs/pickle/encode';
import type { ClientOptions, RpcClient } from '../types';
import { MpClient, type MpCodec } from './session';
import { pickleLayers } from './layers';
import { unwrapInnerPickle } from './unwrap';

export interface PickleWireOptions {
  protocol: number;
  /** wrap requests as pickle.dumps(...) inside send() (the Cookbook), and unwrap bytes replies */
  wrap: boolean;
}

export function pickleWireOptions(opts: ClientOptions): PickleWireOptions {
  const p = param(opts.endpoint, 'protocol');
  const protocol = opts.pickleProtocol ?? (p === undefined ? 4 : Number(p));
  if (!Number.isInteger(protocol) || protocol < 0 || protocol > 5) {
    throw new RpcError('E_URL', `pickle protocol must be 0..5, not ${JSON.stringify(p ?? protocol)}`);
  }
  const w = param(opts.endpoint, 'wrap');
  if (w !== undefined && w !== '0' && w !== '1') throw new RpcError('E_URL', `wrap must be 0 or 1, not ${JSON.stringify(w)}`);
  return { protocol, wrap: w !== '0' };
}

/** The Cookbook proxy's `(name, args, kwargs)`, which mpjson:// sends as JSON text. */
export function cookbookCall(req: CallRequest): PyValue {
  return {
    t: 'tuple',
    items: [
      { t: 'str', v: req.method },
      { t: 'tuple', items: req.args },
      strDict(req.kwargs),
    ],
  };
}

export function encodePickleRequest(req: CallRequest, o: PickleWireOptions): Uint8Array {
  const inner = encodePickle(cookbookCall(req), { protocol: o.protocol });
  return o.wrap ? encodePickle({ t: 'bytes', v: inner }, { protocol: o.protocol }) : inner;
}

/** The value a reply carries: unwrapped when it is a pickle inside a pickle. */
export function decodePickleReply(payload: Uint8Array, o: PickleWireOptions): PyValue {
  const outer = decodePickle(payload);
  const inner = o.wrap ? unwrapInnerPickle(outer) : undefined;
  return inner ? inner.value : outer;
}

export function pickleCodec(o: PickleWireOptions): MpCodec {
  const describe = (payload: Uint8Array, base: number): Layer[] => pickleLayers(payload, base, o.wrap);
  return {
    encodeRequest: (req) => encodePickleRequest(req, o),
    describeRequest: describe,
    describeReply: describe,
    decodeReply(payload) {
      const value = decodePickleReply(payload, o);
      // the Cookbook proxy: `if isinstance(result, Exception): raise result`
      if (value.t === 'object' && isExceptionValue(value)) throw remoteErrorFromValue(value);
      return value;
    },
    firstCallHint: [
      o.protocol > 2 ? 'if the server runs Python 2, it cannot read pickle protocol 3 or higher: use ?protocol=2' : undefined,
      // the JSON variant's handler dies on json.loads of our pickle, without a word
      'a server that reads JSON (mpjson://) does not answer a pickled call either',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

export function createPickleClient(opts: ClientOptions): RpcClient {
  return new MpClient(opts, pickleCodec(pickleWireOptions(opts)));
}
