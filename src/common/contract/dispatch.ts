// Runs one contract entry on the host side: validates the request, calls the handler, turns any
// exception into a Failure and validates the response. Used by Electron main and web mode alike.
import { RemoteError, RpcError } from '../errors';
import { pastedCallHintSchema, type Failure, type Result } from './base';
import { contract, isEntryName, type Handlers } from './index';

export function toFailure(e: unknown): Failure {
  if (e instanceof RpcError) {
    const f: Failure = e.detail === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, detail: e.detail };
    // (the connection registry tags a call's failure with the call's number)
    const { callId } = e as { callId?: unknown };
    if (typeof callId === 'number' && Number.isInteger(callId) && callId > 0) f.callId = callId;
    // (and app-core a pasted call's with the hint for it)
    const hint = pastedCallHintSchema.safeParse((e as { hint?: unknown }).hint);
    if (hint.success && hint.data) f.hint = hint.data;
    return f;
  }
  if (e instanceof RemoteError) return { code: 'E_REMOTE', message: e.message };
  return { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

export async function dispatch(handlers: Handlers, name: unknown, rawReq: unknown): Promise<Result<unknown>> {
  if (!isEntryName(name)) return { ok: false, error: { code: 'E_BRIDGE', message: `no such entry: ${String(name)}` } };
  const spec = contract[name];
  const req = spec.req.safeParse(rawReq ?? {});
  if (!req.success) {
    return { ok: false, error: { code: 'E_BRIDGE', message: `bad request for ${name}: ${req.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` } };
  }
  try {
    // the mapped Handlers type guarantees the pairing; TypeScript cannot correlate it through a union key
    const handler = handlers[name] as (r: unknown) => Promise<unknown>;
    const value = await handler(req.data);
    const res = spec.res.safeParse(value);
    if (!res.success) {
      return { ok: false, error: { code: 'E_INTERNAL', message: `bad response from ${name}: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` } };
    }
    return { ok: true, value: res.data };
  } catch (e) {
    return { ok: false, error: toFailure(e) };
  }
}
