// The one typed API the UI talks to. Under Electron the preload exposes it as window.rpcscope;
// in web mode it is carried by a WebSocket to the local host (token taken from the page URL).
// Both answer every call with a Result; the UI cannot tell them apart.
import { ENTRY_NAMES, type Api, type EntryName, type Failure, type Result } from '../../src/common/contract';

declare global {
  interface Window {
    rpcscope?: Api;
  }
}

function bridgeLost(message: string): { ok: false; error: Failure } {
  return { ok: false, error: { code: 'E_BRIDGE', message } };
}

function webSocketApi(): Api {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge?token=${encodeURIComponent(token)}`;
  let socket: Promise<WebSocket> | undefined;
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();

  const open = (): Promise<WebSocket> => {
    socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error('cannot reach the rpcscope host'));
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as { id: number; result: Result<unknown> };
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      };
      ws.onclose = () => {
        socket = undefined;
        for (const done of pending.values()) done(bridgeLost('the connection to the rpcscope host closed'));
        pending.clear();
      };
    });
    return socket.catch((e: unknown) => {
      socket = undefined;
      throw e;
    });
  };

  const call = async (name: EntryName, req: unknown): Promise<Result<unknown>> => {
    let ws: WebSocket;
    try {
      ws = await open();
    } catch (e) {
      return bridgeLost(e instanceof Error ? e.message : String(e));
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, name, req }));
    });
  };

  return Object.fromEntries(ENTRY_NAMES.map((name) => [name, (req: unknown) => call(name, req)])) as Api;
}

export const api: Api = window.rpcscope ?? webSocketApi();
