// XML-RPC faults as Python errors. Python's SimpleXMLRPCServer reports an exception as
// Fault(1, "<class 'KeyError'>:'nope'"), i.e. "%s:%s" % (type(exc), exc); that becomes
// KeyError: 'nope' (the last line of the server's traceback), keeping the fault code. Any other
// fault reads as ServerProxy raises it: xmlrpc.client.Fault: <Fault 4: 'Too many parameters.'>.
import { RemoteError } from '../../common/errors';
import { strRepr } from '../../common/repr';
import type { PyValue } from '../../common/value';

const PY_FAULT = /^<class '([^']+)'>:([\s\S]*)$/;

/** `builtins.KeyError` -> `KeyError`; a traceback prints __main__ and builtins classes bare. */
function tracebackTypeName(qualified: string): string {
  for (const prefix of ['builtins.', '__main__.', 'exceptions.']) {
    if (qualified.startsWith(prefix)) return qualified.slice(prefix.length);
  }
  return qualified;
}

export function faultToRemoteError(code: number, faultString: string, value?: PyValue): RemoteError {
  const m = PY_FAULT.exec(faultString);
  if (m) {
    const message = m[2];
    return new RemoteError(tracebackTypeName(m[1]), [{ t: 'str', v: message }], message, { code, value });
  }
  const text = `<Fault ${code}: ${strRepr(faultString)}>`;
  return new RemoteError('xmlrpc.client.Fault', [{ t: 'int', v: BigInt(code) }, { t: 'str', v: faultString }], text, { code, value });
}
