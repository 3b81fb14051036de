// mpjson:// — the Cookbook's JSON variant on multiprocessing.connection: the proxy does
// connection.send(json.dumps((name, args, kwargs))), so a message is a pickled str holding JSON text,
// and so is the reply. JSON has no exceptions: the seed-001 server calls json.dumps(e), which fails,
// and its handler thread dies without answering; the other variant replies json.dumps(str(e)), which
// arrives as an ordinary string result.
import type { Layer } from '../../common/frames';
import { repr } from '../../common/repr';
import { jsonToPy, pyToJsonText } from '../../codecs/json-value';
import { encodePickle } from '../../codecs/pickle/encode';
import type { ClientOptions, RpcClient } from '../types';
import { cookbookCall, pickleWireOptions } from './pickle';
import { jsonLayers } from './layers';
import { MpClient, type MpCodec } from './session';
import { jsonTextOf } from './unwrap';

export function mpjsonCodec(protocol: number): MpCodec {
  const describe = (payload: Uint8Array, base: number): Layer[] => jsonLayers(payload, base);
  return {
    encodeRequest(req) {
      return encodePickle({ t: 'str', v: pyToJsonText(cookbookCall(req)) }, { protocol });
    },
    describeRequest: describe,
    describeReply: describe,
    decodeReply: (payload) => jsonToPy(jsonTextOf(payload)),
    // json.dumps(str(KeyError('x'))) is the text "'x'" (Python 2: "u'x'")
    isMissingMethodReply: (value, method) => {
      const quoted = repr({ t: 'str', v: method });
      return value.t === 'str' && (value.v === quoted || value.v === `u${quoted}`);
    },
    // the seed-001 server's handler thread dies on json.dumps(e); its connection stays open (the
    // traceback keeps it alive) or closes when collected, so the call ends in a timeout or a close
    noReplyHint: 'seed-001 servers do this when the function raised and the error could not be JSON-encoded',
    // the pickle server's handler dies on pickle.loads of our JSON text, without a word
    firstCallHint: 'a server that reads pickles (pickle://) does not answer a JSON call either',
  };
}

export function createMpjsonClient(opts: ClientOptions): RpcClient {
  return new MpClient(opts, mpjsonCodec(pickleWireOptions(opts).protocol));
}
