// The sandboxed bridge: exactly one function per contract entry, each an ipcRenderer.invoke on the
// entry's channel. Nothing else of Electron or Node reaches the page.
import { contextBridge, ipcRenderer } from 'electron';
import { channelOf, ENTRY_NAMES, type Api, type Result } from '../common/contract';

const api = Object.fromEntries(
  ENTRY_NAMES.map((name) => [
    name,
    (req: unknown): Promise<Result<unknown>> =>
      ipcRenderer.invoke(channelOf(name), req).catch((e: unknown) => ({
        ok: false,
        error: { code: 'E_BRIDGE', message: e instanceof Error ? e.message : String(e) },
      })),
  ]),
) as Api;

contextBridge.exposeInMainWorld('rpcscope', Object.freeze(api));
