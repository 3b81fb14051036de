// What a call that has waited a while says about itself, the same in the window and the terminal
// REPL: the time waited, and how much of the reply has come once it is arriving.
import { fmtSize } from './byte-size';

/** A reply being received: bytes here of the total its framing announced; total 0 when it gives none. */
export interface ReplyProgress {
  received: number;
  total: number;
}

/** What a call's onProgress last told, for a status line that reads it as it redraws. */
export class LatestProgress {
  current?: ReplyProgress;
  readonly report = (received: number, total: number): void => {
    this.current = { received, total };
  };
  clear(): void {
    this.current = undefined;
  }
}

/** shown only after this long: a quick call should not flash a counter */
export const WAITING_SHOWN_AFTER_MS = 1000;

/** `waiting 3 s for the reply · Esc cancels`, `receiving the reply: 1.2 MB of 2.9 MB (3 s) · Esc cancels` */
export function waitingText(waitedMs: number, progress: ReplyProgress | undefined, cancelKey: string): string {
  const seconds = (waitedMs / 1000).toFixed(0);
  const state = !progress
    ? `waiting ${seconds} s for the reply`
    : progress.total > 0
      ? `receiving the reply: ${fmtSize(progress.received)} of ${fmtSize(progress.total)} (${seconds} s)`
      : `receiving the reply: ${fmtSize(progress.received)} so far (${seconds} s)`;
  return `${state} · ${cancelKey} cancels`;
}
