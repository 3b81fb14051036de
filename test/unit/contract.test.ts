// The main/renderer contract: entries defined once, dispatch never throws, the preload exposes
// exactly one function per entry.
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { channelOf, contract, ENTRY_NAMES, type Handlers } from '../../src/common/contract';
import { dispatch } from '../../src/common/contract/dispatch';
import { RpcError } from '../../src/common/errors';

const exposed: Record<string, unknown> = {};
const invoked: [string, unknown][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke: async (channel: string, req: unknown) => {
      invoked.push([channel, req]);
      if (channel === channelOf('wire.clear')) throw new Error('main process went away');
      return { ok: true, value: 'from main' };
    },
  },
}));

/** handlers that all fail the same way, overridden per test */
function handlers(over: Partial<Handlers>): Handlers {
  const fail = async () => {
    throw new RpcError('E_UNSUPPORTED', 'not in this test');
  };
  return Object.fromEntries(ENTRY_NAMES.map((n) => [n, over[n] ?? fail])) as Handlers;
}

describe('contract', () => {
  it('defines every entry once with request and response schemas and a distinct channel', () => {
    expect(ENTRY_NAMES.length).toBeGreaterThan(8);
    for (const name of ENTRY_NAMES) {
      expect(contract[name].req).toBeInstanceOf(z.ZodType);
      expect(contract[name].res).toBeInstanceOf(z.ZodType);
    }
    expect(new Set(ENTRY_NAMES.map(channelOf)).size).toBe(ENTRY_NAMES.length);
  });

  it('turns unknown entries, bad requests, thrown errors and bad responses into failures', async () => {
    const h = handlers({
      'connections.list': async () => [],
      'connections.remove': async () => {
        throw new Error('disk on fire');
      },
      'wire.clear': async () => ({ cleared: 'many' }) as unknown as { cleared: number },
    });
    expect(await dispatch(h, 'connections.list', {})).toEqual({ ok: true, value: [] });
    expect(await dispatch(h, 'shell.exec', {})).toMatchObject({ ok: false, error: { code: 'E_BRIDGE', message: 'no such entry: shell.exec' } });
    expect(await dispatch(h, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'E_BRIDGE' } });
    const bad = await dispatch(h, 'calls.call', { connectionId: 7 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_BRIDGE' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/connectionId/);
    expect(await dispatch(h, 'methods.list', { connectionId: 'x' })).toEqual({ ok: false, error: { code: 'E_UNSUPPORTED', message: 'not in this test' } });
    expect(await dispatch(h, 'connections.remove', { id: 'x' })).toEqual({ ok: false, error: { code: 'E_INTERNAL', message: 'disk on fire' } });
    expect(await dispatch(h, 'wire.clear', { connectionId: 'x' })).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } });
  });

  it('carries results that survive JSON (the WebSocket) and structured clone (IPC) unchanged', async () => {
    const value = {
      callId: 3,
      durationMs: 1.5,
      outcome: { kind: 'value' as const, repr: '[10**30, inf]', value: { t: 'list' as const, items: [{ t: 'int' as const, v: '1' + '0'.repeat(30) }, { t: 'float' as const, v: 'inf' as const }] } },
    };
    const h = handlers({ 'calls.call': async () => value });
    const r = await dispatch(h, 'calls.call', { connectionId: 'a', source: 'f()' });
    expect(JSON.parse(JSON.stringify(r))).toEqual({ ok: true, value });
    expect(structuredClone(r)).toEqual(r);
  });

  it('preload exposes exactly one function per entry, each invoking its channel and never rejecting', async () => {
    await import('../../src/preload/index');
    const api = exposed.rpcscope as Record<string, (req: unknown) => Promise<unknown>>;
    expect(Object.keys(exposed)).toEqual(['rpcscope']);
    expect(Object.keys(api).sort()).toEqual([...ENTRY_NAMES].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(await api['connections.list']({})).toEqual({ ok: true, value: 'from main' });
    expect(invoked).toEqual([[channelOf('connections.list'), {}]]);
    expect(await api['wire.clear']({ connectionId: 'x' })).toEqual({ ok: false, error: { code: 'E_BRIDGE', message: 'main process went away' } });
  });
});
