// One ipcMain handler per contract entry, generated from the contract. Each checks that the caller
// is our page's top frame, then runs the entry through dispatch() (never throws).
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channelOf, ENTRY_NAMES, type Handlers, type Result } from '../common/contract';
import { dispatch } from '../common/contract/dispatch';
import { isTrustedSender } from './policy';

type HandleOnly = Pick<IpcMain, 'handle'>;

export function registerIpc(ipc: HandleOnly, handlers: Handlers, rendererUrl: string): void {
  for (const name of ENTRY_NAMES) {
    ipc.handle(channelOf(name), async (event: IpcMainInvokeEvent, req: unknown): Promise<Result<unknown>> => {
      const frame = event.senderFrame;
      const isMain = frame !== null && frame !== undefined && frame.parent === null;
      if (!isTrustedSender(frame?.url, rendererUrl, isMain)) {
        return { ok: false, error: { code: 'E_BRIDGE', message: `refused ${name} from an untrusted frame` } };
      }
      return dispatch(handlers, name, req);
    });
  }
}
