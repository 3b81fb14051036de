// The terminal's status line while a call waits (the REPL's and rpcscope run's; rpcscope call's on
// stderr): after a second, how long it has waited and how much of the reply has come (as the window
// shows it), redrawn in place and erased before anything is printed, so results land on clean lines.
import { WAITING_SHOWN_AFTER_MS, waitingText, type ReplyProgress } from '../common/waiting-text';
import type { Style } from './style';

const REDRAW_MS = 250;
const ERASE = '\r\x1b[2K';

export class WaitingLine {
  private timer?: NodeJS.Timeout;
  /** the text on the line now ('' when none): redrawn only when it changes */
  private shown = '';

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly style: Style,
    private readonly progress: () => ReplyProgress | undefined,
  ) {}

  /** From now until stop(): after a second, the line; `label` goes before it (which call of a run). */
  start(label = ''): void {
    this.stop();
    const since = Date.now();
    this.timer = setInterval(() => {
      const waited = Date.now() - since;
      if (waited < WAITING_SHOWN_AFTER_MS) return;
      // one line: a wrapped one could not be erased by going back to its start
      const text = (label + waitingText(waited, this.progress(), 'Ctrl-C')).slice(0, Math.max(10, (this.out.columns || 80) - 1));
      if (text === this.shown) return;
      this.out.write(ERASE + this.style.dim(text));
      this.shown = text;
    }, REDRAW_MS);
    this.timer.unref();
  }

  /** Erases the line if it is shown (it comes back at the next redraw while the call still waits). */
  clear(): void {
    if (this.shown === '') return;
    this.out.write(ERASE);
    this.shown = '';
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
